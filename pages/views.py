import datetime

from django.conf import settings
from django.db.models import Count, F, Window
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from core.text import name_key
from geography import maps
from geography.regions import Region, country_name, find_countries
from instruments.models import Instrument
from laboratories.filters import LIST_DEFERRED, Problem, read_search, unfiltered_counts
from laboratories.links import lab_list_url
from laboratories.models import KeyFigure, Lab, Quote, ResearchCenter
from offices.models import Office

from .cache import public_page

SEARCH_LABS_SHOWN = 20
SEARCH_COUNTRIES_SHOWN = 12


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
@public_page()
def home(request):
    counts = unfiltered_counts(get_language(), datetime.date.today())
    region_counts = counts.facets["region"]
    country_url = reverse("country", kwargs={"code": "zz"}).replace("/zz/", "/{}/")
    return render(
        request,
        "home.html",
        {
            "hide_site_search": True,  # the first screen has its own search box
            "figures": key_figures(),
            "world_map": maps.world_map(
                counts.countries,
                url_for=lambda code: country_url.format(code.lower()),
                cities=counts.cities,
            ),
            "lab_count": counts.total,
            "country_count": len(counts.facets["country"]),
            "center_count": ResearchCenter.objects.published().count(),
            "office_count": Office.objects.open().count(),
            "regions": [
                {"label": label, "count": region_counts[value], "url": lab_list_url(region=value)}
                for value, label in Region.choices
                if region_counts.get(value)
            ],
            "instruments": Instrument.objects.ordered(),
            "quote": Quote.objects.shown().select_related("lab").order_by("position", "pk").first(),
        },
    )


def _with_total(queryset):
    """Ordered by rank, each row carrying the number of matches (one query for both)."""
    return queryset.annotate(match_count=Window(Count("pk"))).order_by(
        F("search_rank").desc(), "pk"
    )


def _best_labs(query: str, language: str) -> tuple[list, int]:
    """The best-ranked labs matching ``query`` and the number of matches.

    Ranked first on narrow rows (id, rank, sort key), then only the labs shown are read in
    full: ranking thousands of full rows (descriptions, the instrument's texts) cost more
    than both queries together at 100,000 entries."""
    ranked = list(
        Lab.objects.published()
        .search(query, language)
        .annotate(match_count=Window(Count("pk")))
        .order_by(F("search_rank").desc(), Lab.name_order(language), "pk")
        .values_list("pk", "match_count")[:SEARCH_LABS_SHOWN]
    )
    if not ranked:
        return [], 0
    found = (
        Lab.objects.filter(pk__in=[pk for pk, _count in ranked])
        .with_status(datetime.date.today())
        .defer(*LIST_DEFERRED)
        .select_related("instrument")
        .in_bulk()
    )
    return [found[pk] for pk, _count in ranked if pk in found], ranked[0][1]


@require_safe
@public_page("q")
def search(request):
    """Countries named by ``q`` (in French or English), then labs, centres, offices and
    instruments matching it, ranked, matched words marked."""
    problems: list[Problem] = []
    language = get_language()
    query, stems = read_search(request.GET, problems, language)
    context = {"query": query, "problems": problems, "sections": [], "stems": stems}
    if query:
        labs, lab_count = _best_labs(query, language)
        centers = list(
            _with_total(ResearchCenter.objects.published().search(query, language)).select_related(
                "university", "country"
            )
        )
        offices = list(
            _with_total(Office.objects.search(query, language)).select_related("country")
        )
        instruments = list(_with_total(Instrument.objects.search(query, language)))
        countries = sorted(
            (
                {"name": country_name(code), "url": reverse("country", args=[code.lower()])}
                for code in find_countries(query)
            ),
            key=lambda country: name_key(country["name"]),
        )[:SEARCH_COUNTRIES_SHOWN]
        context["sections"] = [
            {"name": "countries", "items": countries, "count": len(countries)},
            {
                "name": "labs",
                "items": labs,
                "count": lab_count,
                "more_url": lab_list_url(q=query) if lab_count > len(labs) else "",
            },
            {"name": "centers", "items": centers, "count": len(centers)},
            {"name": "offices", "items": offices, "count": len(offices)},
            {"name": "instruments", "items": instruments, "count": len(instruments)},
        ]
        context["total"] = sum(section["count"] for section in context["sections"])
    return render(request, "search.html", context)


# The favicon.svg's globe as a 32-pixel icon, for what asks for /favicon.ico.
FAVICON = settings.BASE_DIR / "static" / "img" / "favicon.ico"


@require_safe
@cache_control(public=True, max_age=7 * 24 * 60 * 60)
def favicon_ico(request):
    return HttpResponse(FAVICON.read_bytes(), content_type="image/vnd.microsoft.icon")


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
