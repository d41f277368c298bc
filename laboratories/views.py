import datetime
import re

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.translation import get_language, ngettext
from django.views.generic import DetailView, ListView, View

from core.text import name_key
from geography import maps

from . import exports
from .filters import (
    SORT_CHOICES,
    LabFilterSet,
    Problem,
    read_format,
    read_page,
)
from .models import Lab, Partner, ResearchCenter

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
    """The labs list: filters with facet counts, a map, pages, and CSV and JSON exports."""

    page_cache_parameters = (*LabFilterSet.base_filters, "page", "format")
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

    def get_context_data(self, **kwargs):
        lab = self.object
        countries = sorted(lab.countries.all(), key=lambda country: name_key(country.name))
        return super().get_context_data(
            location=maps.location_map(
                [(lab.latitude, lab.longitude)], [str(country.pk) for country in countries]
            ),
            location_label=maps.location_label([lab.city, *(c.name for c in countries)]),
            **kwargs,
        )


class PartnerDetailView(DetailView):
    """A partner institution and the published structures and centres it takes part in."""

    page_cache_parameters = ()
    template_name = "laboratories/partner_detail.html"
    context_object_name = "partner"

    def get_queryset(self):
        return Partner.objects.with_detail_relations()

    def get_context_data(self, **kwargs):
        partner = self.object
        return super().get_context_data(
            labs=partner.labs.published()
            .with_list_relations()
            .with_status(datetime.date.today())
            .order_by(Lab.name_order(get_language())),
            centers=partner.research_centers.published(),
            stems=[],
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
        center = self.object
        labs = [lab for lab in center.labs.all() if lab.is_published]
        return super().get_context_data(
            labs=labs,
            location=maps.location_map(countries=[center.country_id]),
            location_label=maps.location_label([center.university.name, center.country.name]),
            **kwargs,
        )
