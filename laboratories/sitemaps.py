"""Every public page in both languages, each listing its other-language twin."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from instruments.models import Instrument
from offices.models import Office

from .models import Country, Lab, ResearchCenter


class PortalSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class PageSitemap(PortalSitemap):
    priority = 0.8

    def items(self):
        return [
            "home",
            "laboratories:list",
            "laboratories:countries",
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
