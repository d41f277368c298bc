"""The labs list: each filter, the facet counts, the active filters, sorting and pages."""

import datetime
import re

import pytest
from django.utils import translation

from laboratories.filters import LabFilterSet
from laboratories.models import Partner
from tests.factories import (
    InstituteFactory,
    InstrumentFactory,
    LabFactory,
    PartnerFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def labs():
    """Five labs spread over countries, instruments, institutes, themes and dates."""
    irl = InstrumentFactory(code="IRL", duration_years=5)
    irp = InstrumentFactory(code="IRP", name_fr="Projet", name_en="Project", duration_years=5)
    insis = InstituteFactory(code="INSIS")
    inc = InstituteFactory(code="INC", name_fr="Institut de chimie", name_en="Chemistry")
    robots = ThemeFactory(slug="robotique", name_fr="Robotique", name_en="Robotics")
    maths = ThemeFactory(slug="maths", name_fr="Mathématiques", name_en="Mathematics")
    company = PartnerFactory(kind=Partner.Kind.COMPANY, name_fr="Thales", name_en="Thales")
    found = {
        "jrl": LabFactory(
            name_fr="Robotique à Tsukuba",
            name_en="Robotics in Tsukuba",
            instrument=irl,
            lead_institute=insis,
            countries=["JP"],
            start_date=TODAY.replace(year=TODAY.year - 2),
        ),
        "cintra": LabFactory(
            name_fr="Cintra",
            name_en="Cintra",
            instrument=irl,
            lead_institute=insis,
            countries=["SG"],
            start_date=TODAY.replace(year=TODAY.year - 1),
        ),
        "impa": LabFactory(
            name_fr="Mathématiques à Rio",
            name_en="Mathematics in Rio",
            instrument=irl,
            lead_institute=InstituteFactory(code="INSMI", name_fr="Maths", name_en="Maths"),
            countries=["BR"],
            start_date=datetime.date(2006, 1, 1),
            end_date=datetime.date(2010, 1, 1),
        ),
        "ocean": LabFactory(
            name_fr="Océans Japon-Brésil",
            name_en="Oceans Japan-Brazil",
            instrument=irp,
            lead_institute=inc,
            countries=["JP", "BR"],
        ),
        "chem": LabFactory(
            name_fr="Chimie verte",
            name_en="Green chemistry",
            instrument=irp,
            lead_institute=inc,
            countries=["CN"],
        ),
    }
    found["jrl"].themes.add(robots)
    found["impa"].themes.add(maths)
    found["cintra"].partners.add(company)
    found["ocean"].other_institutes.add(insis)
    return found


def names(response):
    return [lab.name for lab in response.context["labs"]]


def facet(response, name):
    facets = {facet.name: facet for facet in response.context["facets"]}
    return {choice.value: choice.count for choice in facets[name].choices}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=jp", {"jrl", "ocean"}),
        ("country=JP", {"jrl", "ocean"}),
        ("country=jp&country=sg", {"jrl", "ocean", "cintra"}),
        ("region=latin-america", {"impa", "ocean"}),
        ("region=asia", {"jrl", "cintra", "ocean", "chem"}),
        ("instrument=irp", {"ocean", "chem"}),
        ("instrument=IRL", {"jrl", "cintra", "impa"}),
        ("institute=insis", {"jrl", "cintra", "ocean"}),  # ocean: INSIS among its other institutes
        ("institute=inc", {"ocean", "chem"}),
        ("theme=robotique", {"jrl"}),
        ("status=ended", {"impa"}),
        ("status=active", {"jrl", "cintra", "ocean", "chem"}),
        ("industry=yes", {"cintra"}),
        ("q=tsukuba", {"jrl"}),
        ("q=rio", {"impa"}),
        ("country=jp&instrument=irl", {"jrl"}),
        ("region=asia&institute=inc&status=active", {"ocean", "chem"}),
        ("", {"jrl", "cintra", "impa", "ocean", "chem"}),
    ],
)
@pytest.mark.parametrize("prefix", ["/fr/laboratoires/", "/en/labs/"])
def test_each_filter_narrows_the_list(client, labs, prefix, query, expected):
    response = client.get(f"{prefix}?{query}")
    assert response.status_code == 200
    assert response.context["problems"] == []
    assert {lab.pk for lab in response.context["labs"]} == {labs[key].pk for key in expected}


def test_facet_counts_each_choice_given_the_other_filters(client, labs):
    response = client.get("/en/labs/?instrument=irl&country=jp")
    # Countries: counted among IRLs (the instrument filter), whatever the country filter.
    assert facet(response, "country") == {"jp": 1, "sg": 1, "br": 1}
    # Instruments: counted among labs in Japan (the country filter), whatever the instrument.
    assert facet(response, "instrument") == {"irl": 1, "irp": 1}
    # Both filters apply to the others.
    assert facet(response, "status") == {"active": 1, "ended": 0}
    assert facet(response, "theme")["robotique"] == 1
    assert facet(response, "institute")["insis"] == 1


def test_facet_counts_without_filters(client, labs):
    response = client.get("/fr/laboratoires/")
    assert facet(response, "country") == {"jp": 2, "br": 2, "sg": 1, "cn": 1}
    # A lab in Japan and Brazil counts once in Asia and once in Latin America.
    regions = facet(response, "region")
    assert regions["asia"] == 4 and regions["latin-america"] == 2 and regions["europe"] == 0
    assert facet(response, "institute") == {"insis": 3, "inc": 2, "insmi": 1}
    assert facet(response, "status") == {"active": 4, "ended": 1}
    assert facet(response, "industry") == {"yes": 1}


def test_facets_are_links_that_keep_the_other_filters(client, labs):
    page = client.get("/en/labs/?instrument=irl&page=1").content.decode()
    # Choosing Brazil keeps the instrument and drops the page number.
    assert 'href="/en/labs/?instrument=irl&amp;country=br"' in page
    # The selected instrument links to the list without it.
    assert 'href="/en/labs/" rel="nofollow" class="is-selected" aria-current="true"' in page


def test_the_country_filter_adds_countries(client, labs):
    page = client.get("/en/labs/?country=jp").content.decode()
    assert 'href="/en/labs/?country=jp&amp;country=br"' in page


def test_active_filters_are_listed_and_each_removed_in_one_click(client, labs):
    response = client.get("/fr/laboratoires/?country=jp&country=br&theme=robotique&q=tsukuba")
    active = {(f.name, f.value_label): f.remove_url for f in response.context["active_filters"]}
    assert active[("country", "Japon")] == "/fr/laboratoires/?q=tsukuba&country=br&theme=robotique"
    assert active[("theme", "Robotique")] == "/fr/laboratoires/?q=tsukuba&country=jp&country=br"
    assert active[("q", "tsukuba")] == "/fr/laboratoires/?country=jp&country=br&theme=robotique"
    page = response.content.decode()
    assert "Pays\u202f: Japon" in page
    assert "Retirer tous les filtres" in page


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Chimie verte", "Cintra", "Mathématiques à Rio", "Océans Japon-Brésil"]),
        ("-start", ["Cintra", "Robotique à Tsukuba", "Mathématiques à Rio", "Chimie verte"]),
        ("start", ["Mathématiques à Rio", "Robotique à Tsukuba", "Cintra", "Chimie verte"]),
        # Brésil, Brésil (+ Japon), Chine, Japon, Singapour.
        ("country", ["Mathématiques à Rio", "Océans Japon-Brésil", "Chimie verte"]),
    ],
)
def test_sort_orders(client, labs, sort, expected):
    found = names(client.get(f"/fr/laboratoires/?sort={sort}"))
    assert found[: len(expected)] == expected


def test_names_sort_without_regard_to_accents_in_the_page_language(client):
    for name_fr, name_en in [("Écologie", "Zoology"), ("Zoologie", "Ecology"), ("Biologie", "")]:
        LabFactory(name_fr=name_fr, name_en=name_en)
    assert names(client.get("/fr/laboratoires/")) == ["Biologie", "Écologie", "Zoologie"]
    # On the English page "Biologie" has no English name: it falls back on French.
    assert names(client.get("/en/labs/")) == ["Biologie", "Ecology", "Zoology"]


def test_search_results_come_by_relevance_with_matched_words_marked(client, labs):
    response = client.get("/fr/laboratoires/?q=japon")
    assert response.context["sort"] == "relevance"
    assert names(response)[0] == "Océans Japon-Brésil"  # in its name, before the country only
    assert "<mark>Japon</mark>" in response.content.decode()


def test_pages(client, labs):
    for n in range(25):
        LabFactory(name_fr=f"Zêta {n:02}", name_en=f"Zeta {n:02}")
    first = client.get("/fr/laboratoires/")
    second = client.get("/fr/laboratoires/?page=2")
    assert len(first.context["labs"]) == 20
    assert second.context["page_obj"].number == 2
    assert not set(names(first)) & set(names(second))
    assert 'href="?page=2"' in first.content.decode()
    last = client.get("/fr/laboratoires/?page=last")
    assert last.context["page_obj"].number == 2


def test_the_filterset_reports_nothing_for_good_input(labs):
    with translation.override("en"):
        filterset = LabFilterSet({"country": ["JP", "br"], "instrument": "IRL", "sort": "-start"})
    assert filterset.problems == []
    assert filterset.data.getlist("country") == ["jp", "br"]


def test_the_count_heading_says_how_many_entries_match(client, labs):
    page = client.get("/en/labs/?country=jp").content.decode()
    assert re.search(r"<h2 id=\"results-title\">\s*2 entries\s*</h2>", page)


def test_the_partner_filter_and_facet(client, labs):
    tokyo = PartnerFactory(slug="u-tokyo", name_fr="Université de Tokyo", name_en="", acronym="")
    labs["jrl"].partners.add(tokyo)
    labs["ocean"].partners.add(tokyo)
    response = client.get("/en/labs/?partner=U-Tokyo")
    assert response.context["problems"] == []
    assert {lab.pk for lab in response.context["labs"]} == {labs["jrl"].pk, labs["ocean"].pk}
    page = response.content.decode()
    # The chosen partner is named (in French, said so: it has no English name).
    assert {(f.name, f.value_label) for f in response.context["active_filters"]} >= {
        ("partner", "Université de Tokyo")
    }
    assert "Partner institution" in page
    # Counted given the other filters: Thales among the IRLs.
    response = client.get("/en/labs/?instrument=irl")
    assert facet(response, "partner") == {"u-tokyo": 1, labs["cintra"].partners.get().slug: 1}
    page = response.content.decode()
    assert 'href="/en/labs/?instrument=irl&amp;partner=u-tokyo"' in page


def test_an_unknown_partner_is_said_and_the_other_filters_apply(client, labs):
    response = client.get("/en/labs/?partner=nobody&instrument=irp")
    assert response.status_code == 200
    assert [(p.parameter, p.value) for p in response.context["problems"]] == [("partner", "nobody")]
    assert "not a known partner institution" in response.content.decode()
    assert {lab.pk for lab in response.context["labs"]} == {labs["ocean"].pk, labs["chem"].pk}
    assert client.get("/en/labs/?partner=nobody&format=csv").status_code == 400
