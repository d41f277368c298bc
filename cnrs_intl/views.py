from urllib.parse import urlencode

from django.db.models import Count, F, Window
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from instruments.models import Instrument
from laboratories.filters import Problem, ranked_labs, read_search, search_ranks
from laboratories.index import current as current_index
from laboratories.models import KeyFigure, Quote, ResearchCenter
from laboratories.regions import Region
from offices.models import Office

SEARCH_LABS_SHOWN = 20


def key_figures():
    """Each metric's latest figure, with the previous year's figure of the same metric."""
    figures = {}
    for figure in KeyFigure.objects.order_by("metric", "-year"):
        figures.setdefault(figure.metric, []).append(figure)
    order = list(KeyFigure.Metric.values)
    return [
        {"latest": found[0], "previous": found[1] if len(found) > 1 else None}
        for metric, found in sorted(figures.items(), key=lambda item: order.index(item[0]))
    ]


@require_safe
def home(request):
    index = current_index()
    labs = index.everything()
    country_counts = index.count_by_country(labs)
    region_counts = index.count_by_region(labs)
    return render(
        request,
        "home.html",
        {
            "figures": key_figures(),
            "lab_count": index.count(labs),
            "country_count": len(country_counts),
            "center_count": ResearchCenter.objects.published().count(),
            "office_count": Office.objects.open().count(),
            "regions": [
                {"value": value, "label": label, "count": region_counts[value]}
                for value, label in Region.choices
                if region_counts.get(value)
            ],
            "instruments": Instrument.objects.ordered(),
            "quote": Quote.objects.filter(is_published=True)
            .select_related("lab")
            .order_by("position", "pk")
            .first(),
        },
    )


def _with_total(queryset):
    """Ordered by rank, each row carrying the number of matches (one query for both)."""
    return queryset.annotate(match_count=Window(Count("pk"))).order_by(
        F("search_rank").desc(), "pk"
    )


@require_safe
def search(request):
    """Labs, centres, offices and instruments matching ``q``, ranked, matched words marked."""
    problems: list[Problem] = []
    language = get_language()
    query, stems = read_search(request.GET, problems, language)
    context = {"query": query, "problems": problems, "sections": [], "stems": stems}
    if query:
        index = current_index()
        ranks = search_ranks(query, language)
        matches = ranked_labs(index, index.everything(), ranks, language)
        labs = matches[:SEARCH_LABS_SHOWN]
        centers = list(
            _with_total(ResearchCenter.objects.published().search(query, language)).select_related(
                "university", "country"
            )
        )
        offices = list(
            _with_total(Office.objects.search(query, language)).select_related("country")
        )
        instruments = list(_with_total(Instrument.objects.search(query, language)))
        context["sections"] = [
            {
                "name": "labs",
                "items": labs,
                "count": len(matches),
                "more_url": reverse("laboratories:list") + "?" + urlencode({"q": query})
                if len(matches) > len(labs)
                else "",
            },
            {"name": "centers", "items": centers, "count": len(centers)},
            {"name": "offices", "items": offices, "count": len(offices)},
            {"name": "instruments", "items": instruments, "count": len(instruments)},
        ]
        context["total"] = sum(section["count"] for section in context["sections"])
    return render(request, "search.html", context)


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /i18n/",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
def healthz(request):
    """The process answers; the database is not consulted."""
    return HttpResponse("ok", content_type="text/plain")
