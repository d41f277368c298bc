"""List filters of the back-office: what is incomplete, and filters that say a wrong value.

"Missing English text" means an entry with a text in French whose English version is empty
(and the other way round): a text empty in both languages is not missing a translation.
"""

from django.contrib import admin, messages
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator

LANGUAGE_CODES = ("fr", "en")


def translated_fields(model):
    try:
        return sorted(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return []


def _empty(column):
    return Q(**{f"{column}__isnull": True}) | Q(**{column: ""})


def missing_text_q(model, language: str) -> Q:
    """Entries with at least one text filled in the other language but empty in ``language``."""
    other = next(code for code in LANGUAGE_CODES if code != language)
    condition = Q(pk__in=[])
    for name in translated_fields(model):
        condition |= Q(**{f"{name}_{other}__gt": ""}) & _empty(f"{name}_{language}")
    return condition


class CheckedListFilter(admin.SimpleListFilter):
    """A list filter that says so on the page when its value is not one of its choices."""

    def value_is_known(self, request):
        choices = {str(key) for key, _label in self.lookup_choices}
        if self.value() is None or self.value() in choices:
            return True
        messages.warning(
            request,
            _("“%(value)s” is not a choice of the filter “%(filter)s”: it was ignored.")
            % {"value": self.value(), "filter": self.title},
        )
        return False


class MissingTextFilter(CheckedListFilter):
    title = _("completeness")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [("en", _("Missing English text")), ("fr", _("Missing French text"))]

    def queryset(self, request, queryset):
        if not self.value_is_known(request):
            return queryset
        if self.value() in LANGUAGE_CODES:
            return queryset.filter(missing_text_q(queryset.model, self.value()))
        return queryset


class ReviewedFilter(CheckedListFilter):
    """Entries not reviewed for over a year (``review_dates.stale_q``, as on the dashboard)."""

    title = _("review")
    parameter_name = "reviewed"
    STALE = "stale"

    def lookups(self, request, model_admin):
        return [(self.STALE, _("Not reviewed for over a year"))]

    def queryset(self, request, queryset):
        if self.value_is_known(request) and self.value() == self.STALE:
            return queryset.stale()
        return queryset
