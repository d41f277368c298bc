import datetime
import re

from django.core.paginator import Paginator
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language, ngettext
from django.views.generic import DetailView, ListView, TemplateView, View

from instruments.models import Instrument
from offices.models import Office, Sector

from . import exports, maps
from .filters import (
    SORT_CHOICES,
    LabFilterSet,
    Problem,
    read_format,
    read_page,
    unfiltered_counts,
)
from .links import lab_list_url
from .models import Country, Lab, ResearchCenter
from .regions import Region, country_name
from .search import fold

COUNTRY_CODE = re.compile(r"[A-Za-z]{2}")
LABS_PER_PAGE = 20
LABS_PER_INSTRUMENT = 12


class CountedPaginator(Paginator):
    """A paginator told how many entries there are (counted with the facets), so that it
    only reads the entries of its page."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count


def page_of(paginator: Paginator, asked, problems: list[Problem]):
    """The page asked for, or the last one (said as a problem) when it is beyond the end."""
    last = paginator.num_pages
    if asked == "last":
        return paginator.page(last)
    if asked > last:
        problems.append(
            Problem(
                "page",
                str(asked),
                ngettext(
                    "there is only %(n)s page; it is shown",
                    "there are only %(n)s pages; the last one is shown",
                    last,
                )
                % {"n": last},
            )
        )
        return paginator.page(last)
    return paginator.page(asked)


class LabListView(View):
    page_cache_parameters = (*LabFilterSet.base_filters, "page", "format")
    """The labs list: filters with facet counts, a map, pages, and CSV and JSON exports."""

    template_name = "laboratories/lab_list.html"

    def get(self, request):
        filterset = LabFilterSet(request.GET, base_url=request.path)
        problems = list(filterset.problems)
        export_format = read_format(request.GET, problems)
        asked_page = read_page(request.GET, problems)
        if export_format:
            if problems:
                return exports.bad_request(export_format, problems)
            respond = exports.csv_response if export_format == "csv" else exports.json_response
            return respond(
                request, filterset.qs, language=filterset.language, today=filterset.today
            )

        counts = filterset.counts()
        paginator = CountedPaginator(filterset.page_labs(), LABS_PER_PAGE, count=counts.total)
        page = page_of(paginator, asked_page, problems)
        parameters = filterset.parameters.without("page")
        return TemplateResponse(
            request,
            self.template_name,
            {
                "filterset": filterset,
                "facets": filterset.facets(counts),
                "active_filters": filterset.active_filters(),
                "problems": problems,
                "page_obj": page,
                "labs": page.object_list,
                "world_map": self.world_map(filterset, counts),
                "sort_choices": SORT_CHOICES if filterset.query else SORT_CHOICES[1:],
                "sort": filterset.sort_order,
                "hidden_for_sort": parameters.without("sort").pairs,
                "hidden_for_search": parameters.without("q").pairs,
                "page_parameters": parameters.pairs,
                "csv_url": parameters.adding("format", "csv").url(request.path),
                "json_url": parameters.adding("format", "json").url(request.path),
                "stems": filterset.stems,
                "noindex": filterset.is_filtered or page.number > 1,
            },
        )

    @staticmethod
    def world_map(filterset: LabFilterSet, counts):
        parameters = filterset.parameters.without("page").without("country")
        return maps.world_map(
            counts.countries,
            url_for=lambda code: parameters.adding("country", code.lower()).url(filterset.base_url),
            selected={code.upper() for code in filterset.data.getlist("country")},
            cities=counts.cities,
        )


class LabDetailView(DetailView):
    page_cache_parameters = ()
    template_name = "laboratories/lab_detail.html"
    context_object_name = "lab"

    def get_queryset(self):
        return Lab.objects.published().with_detail_relations().with_status(datetime.date.today())


class CountryListView(TemplateView):
    page_cache_parameters = ()
    """Every country with entries, by region, with counts and the map."""

    template_name = "laboratories/country_list.html"

    def get_context_data(self, **kwargs):
        counts = unfiltered_counts(get_language(), datetime.date.today())
        lab_counts = counts.facets["country"]
        region_counts = counts.facets["region"]
        center_counts = ResearchCenter.objects.published().count_by_country()
        regions = dict(Country.objects.values_list("code", "region"))
        # One reverse() for the couple of hundred country links.
        country_url = reverse("laboratories:country", kwargs={"code": "zz"}).replace("/zz/", "/{}/")
        rows = {}
        for code in set(lab_counts) | set(center_counts):
            rows.setdefault(regions.get(code), []).append(
                {
                    "code": code.lower(),
                    "name": country_name(code),
                    "labs": lab_counts.get(code, 0),
                    "centers": center_counts.get(code, 0),
                    "url": country_url.format(code.lower()),
                }
            )
        by_region = [
            {
                "value": value,
                "label": label,
                "count": region_counts.get(value, 0),
                "countries": sorted(rows[value], key=lambda row: fold(row["name"]).lower()),
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
            ),
            **kwargs,
        )


class CountryDetailView(TemplateView):
    page_cache_parameters = ()
    """A country: its labs by instrument, its centres, the office that covers it, its sector."""

    template_name = "laboratories/country_detail.html"

    def get(self, request, *args, **kwargs):
        code = kwargs["code"]
        if not COUNTRY_CODE.fullmatch(code):
            raise Http404
        if code != code.lower():
            return redirect("laboratories:country", code=code.lower(), permanent=True)
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
            **kwargs,
        )


class ResearchCenterListView(ListView):
    page_cache_parameters = ()
    template_name = "laboratories/researchcenter_list.html"
    context_object_name = "centers"

    def get_queryset(self):
        return ResearchCenter.objects.published().with_list_relations()


class ResearchCenterDetailView(DetailView):
    page_cache_parameters = ()
    template_name = "laboratories/researchcenter_detail.html"
    context_object_name = "center"

    def get_queryset(self):
        return ResearchCenter.objects.published().with_detail_relations()

    def get_context_data(self, **kwargs):
        labs = [lab for lab in self.object.labs.all() if lab.is_published]
        return super().get_context_data(labs=labs, **kwargs)
