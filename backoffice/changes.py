"""Field values of content entries as the back-office compares and shows them.

Used by the review flow (what a referent proposes against what is published) and by the
history (what changed between two versions). Values are normalised to JSON: relations as
primary keys (sorted lists for many-to-many), dates in ISO form, decimals without trailing
zeros, an empty text as ``None``.
"""

import datetime
import difflib
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# "Name (in English)": the language of a field, after the field's name.
FIELD_LANGUAGES = {"fr": gettext_lazy("in French"), "en": gettext_lazy("in English")}


def json_value(value):
    """``value`` (a model field value or a form's cleaned value) in comparable JSON form."""
    if isinstance(value, models.Model):
        return _json_pk(value.pk)
    if isinstance(value, models.QuerySet | list | tuple | set | frozenset):
        return sorted((json_value(item) for item in value), key=str)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if value == "":
        return None
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)


def _json_pk(pk):
    return pk if isinstance(pk, int) else str(pk)


def model_field_names(model, names):
    """The names among ``names`` that are concrete or many-to-many fields of ``model``."""
    known = {field.name for field in model._meta.get_fields() if field.concrete}
    return [name for name in names if name in known]


def entry_values(entry, field_names):
    """The stored values of ``field_names`` of ``entry``, read from the database."""
    values = {}
    for name in field_names:
        field = entry._meta.get_field(name)
        if field.many_to_many:
            values[name] = json_value(
                list(getattr(entry, name).order_by().values_list("pk", flat=True))
            )
        elif field.is_relation:
            values[name] = json_value(getattr(entry, field.attname))
        else:
            values[name] = json_value(field.value_from_object(entry))
    return values


def form_values(form, field_names):
    """The values a valid model form would save, for ``field_names``."""
    return {name: json_value(form.cleaned_data.get(name)) for name in field_names}


def field_label(model, name):
    """ "Name (English)" for a translation field, "Instrument" for any other."""
    field = model._meta.get_field(name)
    language = getattr(field, "language", None)
    if language:
        base = capfirst(field.translated_field.verbose_name)
        return f"{base} ({FIELD_LANGUAGES.get(language, language)})"
    return capfirst(field.verbose_name)


def field_language(model, name):
    return getattr(model._meta.get_field(name), "language", None)


def base_field_name(model, name):
    field = model._meta.get_field(name)
    translated = getattr(field, "translated_field", None)
    return translated.name if translated is not None else name


EMPTY = "—"  # how an empty value is shown


class RelatedNames:
    """Display names of related rows, fetched with one query per related model."""

    def __init__(self, model):
        self.model = model
        self.wanted = {}
        self.names = {}

    def want(self, name, value):
        field = self.model._meta.get_field(name)
        if not field.is_relation or value in (None, []):
            return
        ids = value if isinstance(value, list) else [value]
        self.wanted.setdefault(field.related_model, set()).update(ids)

    def fetch(self):
        for related_model, ids in self.wanted.items():
            rows = related_model._default_manager.filter(pk__in=ids)
            self.names[related_model] = {_json_pk(row.pk): str(row) for row in rows}
        self.wanted = {}

    def display(self, name, value):
        """``value`` of field ``name`` as a reader sees it."""
        field = self.model._meta.get_field(name)
        if value is None or value == []:
            return EMPTY
        if field.is_relation:
            names = self.names.get(field.related_model, {})
            ids = value if isinstance(value, list) else [value]
            shown = [names.get(pk, _("deleted entry %(id)s") % {"id": pk}) for pk in ids]
            return ", ".join(sorted(shown))
        if isinstance(field, models.BooleanField):
            return _("Yes") if value else _("No")
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return str(value)


@dataclass
class FieldChange:
    name: str
    label: str
    language: str | None
    before: str
    after: str
    changed: bool = True
    note: str = ""

    @property
    def marked(self):
        """Words removed and added are marked when a text is edited, not when it is set."""
        return self.changed and EMPTY not in (self.before, self.after)

    @property
    def before_html(self):
        if self.marked:
            return word_diff(self.before, self.after)[0]
        if self.changed and self.before != EMPTY:
            return format_html("<del>{}</del>", self.before)
        return escape(self.before)

    @property
    def after_html(self):
        if self.marked:
            return word_diff(self.before, self.after)[1]
        if self.changed and self.after != EMPTY:
            return format_html("<ins>{}</ins>", self.after)
        return escape(self.after)


WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(before: str, after: str):
    """The two texts as HTML, removed words in ``<del>`` and added words in ``<ins>``."""
    old, new = WORDS.findall(before or ""), WORDS.findall(after or "")
    old_html, new_html = [], []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old[i1:i2]), "".join(new[j1:j2])
        if tag == "equal":
            old_html.append(escape(removed))
            new_html.append(escape(added))
            continue
        if removed:
            old_html.append(format_html_join("", "<del>{}</del>", [(removed,)]))
        if added:
            new_html.append(format_html_join("", "<ins>{}</ins>", [(added,)]))
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))  # noqa: S308 (escaped)


def ordered_with_languages(model, names):
    """``names`` in model field order, with both languages of every translated field."""
    wanted = set(names)
    for name in names:
        if field_language(model, name):
            base = base_field_name(model, name)
            wanted.update(f"{base}_{code}" for code, _label in settings.LANGUAGES)
    order = [field.name for field in model._meta.get_fields() if field.concrete]
    return [name for name in order if name in wanted]
