"""Every public page in both languages, each listing its other-language twin."""

from collections.abc import Sequence
from functools import cached_property

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse

from geography.models import Country
from instruments.models import Instrument
from laboratories.models import Lab, ResearchCenter
from offices.models import Office


class LanguagePairs(Sequence):
    """The (item, language) pairs a multilingual sitemap lists, read one slice at a time.

    Django's default builds every pair of every item before cutting a page: with 100,000
    labs, each sitemap request would load them all.
    """

    def __init__(self, items, languages):
        self.items = items
        self.languages = list(languages)

    @cached_property
    def item_count(self) -> int:
        return self.items.count() if hasattr(self.items, "query") else len(self.items)

    def __len__(self):
        return self.item_count * len(self.languages)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        width = len(self.languages)
        first, last = start // width, -(-stop // width)
        pairs = [(item, language) for item in self.items[first:last] for language in self.languages]
        return pairs[start - first * width : stop - first * width]


class PortalSitemap(Sitemap):
    i18n = True
    alternates = True
    limit = 5000

    @property
    def paginator(self):
        languages = self.languages or [code for code, _name in settings.LANGUAGES]
        return Paginator(LanguagePairs(self.items(), languages), self.limit)


class PageSitemap(PortalSitemap):
    priority = 0.8

    def items(self):
        return [
            "home",
            "laboratories:list",
            "countries",
            "laboratories:centers",
            "instruments:list",
            "offices:list",
        ]

    def location(self, item):
        return reverse(item)


class LabSitemap(PortalSitemap):
    def items(self):
        return Lab.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, lab):
        return lab.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class CountrySitemap(PortalSitemap):
    def items(self):
        labs = Lab.countries.through.objects.filter(
            country_id=OuterRef("pk"), lab__is_published=True
        )
        centers = ResearchCenter.objects.published().filter(country_id=OuterRef("pk"))
        return Country.objects.filter(Q(Exists(labs)) | Q(Exists(centers))).order_by("code")


class CenterSitemap(PortalSitemap):
    def items(self):
        return ResearchCenter.objects.published().only("slug").order_by("pk")


class InstrumentSitemap(PortalSitemap):
    def items(self):
        return Instrument.objects.only("code").order_by("position", "code")


class OfficeSitemap(PortalSitemap):
    def items(self):
        return Office.objects.only("slug").order_by("slug")


SITEMAPS = {
    "pages": PageSitemap,
    "labs": LabSitemap,
    "countries": CountrySitemap,
    "centres": CenterSitemap,
    "instruments": InstrumentSitemap,
    "offices": OfficeSitemap,
}
