"""The country pages: every country with entries, and what the CNRS does in one country
(its labs by instrument, its centres, the office that covers it, its Derci sector)."""

import datetime
import re

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.views.generic import TemplateView

from core.text import name_key
from geography import maps
from geography.models import Country
from geography.regions import Region, country_name
from instruments.models import Instrument
from laboratories.filters import unfiltered_counts
from laboratories.links import lab_list_url
from laboratories.models import Lab, ResearchCenter
from offices.models import Office, Sector

COUNTRY_CODE = re.compile(r"[A-Za-z]{2}")
LABS_PER_INSTRUMENT = 12


class CountryListView(TemplateView):
    """Every country where the CNRS is present (entries, a centre, an open office there or
    covering it), by region, with counts and the map."""

    page_cache_parameters = ()
    template_name = "pages/country_list.html"

    def get_context_data(self, **kwargs):
        counts = unfiltered_counts(get_language(), datetime.date.today())
        lab_counts = counts.facets["country"]
        region_counts = counts.facets["region"]
        center_counts = ResearchCenter.objects.published().count_by_country()
        office_counts = Office.objects.open().count_by_country()
        regions = dict(Country.objects.values_list("code", "region"))
        # One reverse() for the couple of hundred country links.
        country_url = reverse("country", kwargs={"code": "zz"}).replace("/zz/", "/{}/")
        rows = {}
        present = set(center_counts) | set(office_counts)
        for code in set(lab_counts) | present:
            rows.setdefault(regions.get(code), []).append(
                {
                    "code": code.lower(),
                    "name": country_name(code),
                    "labs": lab_counts.get(code, 0),
                    "centers": center_counts.get(code, 0),
                    "offices": office_counts.get(code, 0),
                    "url": country_url.format(code.lower()),
                }
            )
        by_region = [
            {
                "value": value,
                "label": label,
                "count": region_counts.get(value, 0),
                "countries": sorted(rows[value], key=lambda row: name_key(row["name"])),
                "url": lab_list_url(region=value),
            }
            for value, label in Region.choices
            if rows.get(value)
        ]
        return super().get_context_data(
            regions=by_region,
            total=counts.total,
            world_map=maps.world_map(
                lab_counts,
                url_for=lambda code: country_url.format(code.lower()),
                cities=counts.cities,
                present=present,
            ),
            **kwargs,
        )


class CountryDetailView(TemplateView):
    """A country: its labs by instrument, its centres, the office that covers it, its sector."""

    page_cache_parameters = ()
    template_name = "pages/country_detail.html"

    def get(self, request, *args, **kwargs):
        code = kwargs["code"]
        if not COUNTRY_CODE.fullmatch(code):
            raise Http404
        if code != code.lower():
            return redirect("country", code=code.lower(), permanent=True)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        country = get_object_or_404(Country, pk=kwargs["code"].upper())
        code = str(country.code)
        language = get_language()
        labs = Lab.objects.published().in_countries([code])
        counts = labs.count_by_instrument()
        first_labs = (
            labs.with_status(datetime.date.today())
            .annotate(
                position=Window(
                    RowNumber(),
                    partition_by=F("instrument_id"),
                    order_by=[Lab.name_order(language).asc(), "pk"],
                )
            )
            .filter(position__lte=LABS_PER_INSTRUMENT)
            .order_by("instrument_id", "position")
            .prefetch_related("countries")
        )
        by_instrument = {}
        for lab in first_labs:
            by_instrument.setdefault(lab.instrument_id, []).append(lab)
        groups = [
            {
                "instrument": instrument,
                "labs": by_instrument.get(instrument.pk, []),
                "count": counts[instrument.pk],
                "url": lab_list_url(country=code, instrument=instrument.code),
            }
            for instrument in Instrument.objects.ordered()
            if counts.get(instrument.pk)
        ]
        offices = list(Office.objects.covering(code).with_list_relations())
        return super().get_context_data(
            country=country,
            groups=groups,
            total=sum(counts.values()),
            labs_url=lab_list_url(country=code),
            centers=ResearchCenter.objects.published()
            .filter(country_id=code)
            .with_list_relations(),
            open_offices=[office for office in offices if office.is_open],
            closed_offices=[office for office in offices if not office.is_open],
            sectors=Sector.objects.filter(countries=code),
            derci_url=reverse("offices:list") + "#derci",
            location=maps.location_map(countries=[code]),
            location_label=maps.location_label([country.name]),
            **kwargs,
        )
