"""Atom feeds of new and updated published labs: all of them, or those of one country, one
institute or one instrument (django.contrib.syndication)."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from geography.models import Country
from geography.regions import country_name
from instruments.models import Instrument

from .models import Institute, Lab, LabCondition

FEED_SIZE = 50
CODE_LENGTH = 12


class LabFeed(Feed):
    """The latest published labs, last changed first; ``kind`` narrows them to one country,
    institute or instrument (``code``, any case)."""

    feed_type = Atom1Feed
    page_cache_parameters = ()

    def get_object(self, request, kind=None, code=None):
        if kind is None:
            return None
        if len(code) > CODE_LENGTH or not code.isalnum():
            raise Http404
        if kind == "country":
            return kind, get_object_or_404(Country, pk=code.upper())
        if kind == "institute":
            return kind, get_object_or_404(Institute, code=code.upper())
        return kind, get_object_or_404(Instrument, code=code.upper())

    def title(self, obj):
        if obj is None:
            return _("CNRS International: new and updated labs")
        return _("CNRS International: new and updated labs – %(scope)s") % {
            "scope": self._scope(obj)
        }

    @staticmethod
    def _scope(obj):
        kind, found = obj
        if kind == "country":
            return country_name(str(found.code))
        return f"{found.code} – {found.name}"

    def link(self, obj):
        if obj is None:
            return reverse("laboratories:list")
        return obj[1].get_absolute_url()

    def subtitle(self, obj):
        return _("The CNRS's international structures, last changed first.")

    def feed_url(self, obj):
        return feed_url(obj[0], obj[1]) if obj else reverse("laboratories:feed")

    def items(self, obj):
        labs = Lab.objects.published().select_related("instrument")
        if obj is not None:
            kind, found = obj
            condition = {
                "country": lambda: LabCondition.in_countries([str(found.code)]),
                "institute": lambda: LabCondition.involving_institute(found.pk),
                "instrument": lambda: LabCondition.with_instrument(found.pk),
            }[kind]()
            labs = labs.filter(condition)
        return labs.order_by("-updated_at", "-pk")[:FEED_SIZE]

    def item_title(self, lab):
        return f"{lab.instrument.code} – {lab.name}"

    def item_description(self, lab):
        return strip_tags(lab.summary)

    def item_pubdate(self, lab):
        return lab.created_at

    def item_updateddate(self, lab):
        return lab.updated_at

    def item_categories(self, lab):
        return [lab.instrument.code, *lab.country_codes]


def feed_url(kind: str, found) -> str:
    """The address of the feed of one country, institute or instrument."""
    code = str(found.code).lower()
    return reverse(f"laboratories:feed-{kind}", kwargs={"code": code})
