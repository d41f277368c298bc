"""The read API as a partner's program sees it: lists with the page's filters, pages with a
count and links, objects in both languages, errors naming the parameter, the licence, the
rate limit, and nothing unpublished."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from laboratories.models import Partner
from provenance.models import Source
from tests.factories import (
    CallFactory,
    InstituteFactory,
    KeyFigureFactory,
    LabFactory,
    OfficeFactory,
    PartnerFactory,
    ResearchCenterFactory,
    ThemeFactory,
    bulk_labs,
)

pytestmark = pytest.mark.django_db

LICENCE_LINK = '<https://www.etalab.gouv.fr/licence-ouverte-open-licence/>; rel="license"'


@pytest.fixture
def labs():
    robots = ThemeFactory(slug="robotique", name_fr="Robotique", name_en="Robotics")
    company = PartnerFactory(slug="aist", kind=Partner.Kind.COMPANY)
    japan = LabFactory(
        name_fr="Robotique à Tsukuba",
        name_en="Robotics in Tsukuba",
        slug="jrl",
        summary_fr="<p>Des robots</p>",
        summary_en="<p>Robots</p>",
        countries=["JP"],
    )
    japan.themes.add(robots)
    japan.partners.add(company)
    brazil = LabFactory(
        name_fr="Maths à Rio", name_en="Maths in Rio", slug="impa", countries=["BR"]
    )
    hidden = LabFactory(name_fr="Caché", slug="hidden", countries=["JP"], is_published=False)
    hidden.partners.add(PartnerFactory(slug="only-hidden"))
    return japan, brazil


def test_the_labs_list_takes_the_pages_filters_and_gives_a_page_with_its_count(client, labs):
    response = client.get("/api/v1/labs/?country=jp&theme=robotique&lang=en")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert data["next"] is None and data["previous"] is None
    assert data["license"]["name"].startswith("Licence Ouverte")
    lab = data["results"][0]
    assert lab["slug"] == "jrl"
    assert lab["name"] == "Robotics in Tsukuba"
    assert lab["translations"]["name"] == {"fr": "Robotique à Tsukuba", "en": "Robotics in Tsukuba"}
    assert lab["url"] == "http://testserver/en/labs/jrl/"
    assert lab["partners"] == ["aist"]
    assert lab["industry"] is True
    assert response["Content-Language"] == "en"
    assert response["Link"] == LICENCE_LINK


def test_the_language_follows_accept_language_without_lang(client, labs):
    response = client.get("/api/v1/labs/jrl/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["name"] == "Robotics in Tsukuba"
    response = client.get("/api/v1/labs/jrl/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["name"] == "Robotique à Tsukuba"
    assert response.json()["url"] == "http://testserver/fr/laboratoires/jrl/"


def test_lists_are_paginated_in_an_explicit_order_with_links(client):
    bulk_labs(25)
    first = client.get("/api/v1/labs/?page_size=10&sort=name").json()
    assert first["count"] == 25
    assert len(first["results"]) == 10
    assert "page=2" in first["next"] and first["previous"] is None
    second = client.get(first["next"]).json()
    names = [lab["name"] for lab in first["results"] + second["results"]]
    assert names == sorted(names, key=str.lower)
    last = client.get("/api/v1/labs/?page=last&page_size=10").json()
    assert len(last["results"]) == 5 and last["next"] is None


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("country=xx", "country"),
        ("instrument=nope", "instrument"),
        ("status=sleeping", "status"),
        ("sort=sideways", "sort"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page_size=1000", "page_size"),
        ("lang=de", "lang"),
        ("q=%00%01", "q"),
    ],
)
def test_a_parameter_that_cannot_be_used_is_answered_400_naming_it(client, labs, query, parameter):
    response = client.get(f"/api/v1/labs/?{query}")
    assert response.status_code == 400
    assert parameter in [error["parameter"] for error in response.json()["errors"]]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/labs/hidden/",
        "/api/v1/labs/nowhere/",
        "/api/v1/labs/%00/",
        "/api/v1/centres/nowhere/",
        "/api/v1/countries/zz/",
        "/api/v1/instruments/xyz/",
        "/api/v1/partners/only-hidden/",
        "/api/v1/key-figures/x/",
        "/api/v1/countries/0.5/",
        "/api/v1/labs/?page=9",
    ],
)
def test_unknown_or_unpublished_objects_are_404_in_json(client, labs, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_unpublished_entries_never_appear(client, labs):
    ResearchCenterFactory(slug="hidden-centre", is_published=False)
    slugs = [lab["slug"] for lab in client.get("/api/v1/labs/?page_size=100").json()["results"]]
    assert "hidden" not in slugs
    partners = [p["slug"] for p in client.get("/api/v1/partners/").json()["results"]]
    assert "aist" in partners and "only-hidden" not in partners
    centres = [c["slug"] for c in client.get("/api/v1/centres/").json()["results"]]
    assert "hidden-centre" not in centres


def test_every_list_answers_with_its_objects(client, labs):
    centre = ResearchCenterFactory(slug="tokyo")
    centre.labs.add(*labs)
    OfficeFactory(slug="tokyo-office")
    KeyFigureFactory(metric="irl-count", year=2020, value=80)
    assert client.get("/api/v1/centres/tokyo/").json()["labs"] == ["impa", "jrl"]
    assert client.get("/api/v1/offices/tokyo-office/").status_code == 200
    japan = client.get("/api/v1/countries/jp/?lang=en").json()
    assert japan["name"] == "Japan"
    assert japan["translations"]["name"] == {"fr": "Japon", "en": "Japan"}
    assert japan["url"] == "http://testserver/en/countries/jp/"
    figures = client.get("/api/v1/key-figures/").json()["results"]
    assert figures[0]["value"] == 80
    assert client.get("/api/v1/key-figures/irl-count-2020/").json()["year"] == 2020
    root = client.get("/api/v1/").json()
    assert set(root["resources"]) >= {"labs", "centres", "offices", "instruments", "countries"}


def test_anonymous_use_is_rate_limited_with_headers_saying_so(client, labs, settings):
    settings.PORTAL_API_ANONYMOUS_RATE = "3/minute"
    responses = [client.get("/api/v1/labs/") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert [r["RateLimit-Remaining"] for r in responses[:3]] == ["2", "1", "0"]
    assert responses[0]["RateLimit-Limit"] == "3"
    assert int(responses[3]["Retry-After"]) > 0
    # Another address has its own count; a forged X-Forwarded-For changes nothing.
    assert client.get("/api/v1/labs/", REMOTE_ADDR="10.0.0.2").status_code == 200
    assert client.get("/api/v1/labs/", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def test_the_api_sets_no_cookie_and_is_not_framed(client, labs):
    response = client.get("/api/v1/labs/")
    assert not response.cookies
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "path", ["/api/v1/labs/", "/api/v1/centres/", "/api/v1/offices/", "/api/v1/partners/"]
)
def test_a_page_of_a_list_runs_the_same_queries_with_few_or_many_entries(client, path):
    centre = ResearchCenterFactory()

    def grow(count, prefix):
        made = bulk_labs(count, prefix=prefix)
        centre.labs.add(*made)
        for lab in made:
            lab.partners.add(PartnerFactory())
        for _ in range(max(1, count // 10)):
            ResearchCenterFactory().labs.add(made[0])
            OfficeFactory().covered_countries.set(["JP", "KR"])

    def queries():
        client.get(path)  # what a process looks up once
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    grow(3, "few")
    few = queries()
    grow(60, "many")
    assert queries() == few
    assert few <= API_MAX_QUERIES


# The request's savepoint (2), the throttle's cache read and write (3 with the database
# cache), the FilterSet's choices (3) for the labs, the count and the page, the prefetches.
API_MAX_QUERIES = 14


def test_a_partner_carries_its_public_page_and_ror_id(client, labs):
    found = client.get("/api/v1/partners/aist/").json()
    assert found["url"].endswith("/aist/")
    assert client.get(found["url"]).status_code == 200
    assert "ror" in found


def test_calls_give_their_window_platform_targets_and_files(client):
    call = CallFactory(
        slug="iea",
        summary_fr="Chaque année",
        summary_en="Every year",
        platform_name="CoopIntEer",
        platform_url="https://coopinteer.cnrs.fr/",
        countries=["JP"],
    )
    InstituteFactory(code="INSIS").calls.add(call)
    CallFactory(slug="hidden", is_published=False)

    listed = client.get("/api/v1/calls/?lang=en").json()
    assert listed["count"] == 1 and [c["slug"] for c in listed["results"]] == ["iea"]
    found = client.get("/api/v1/calls/iea/?lang=en").json()
    assert found["title"] == "Call iea"
    assert found["translations"]["summary"] == {"fr": "Chaque année", "en": "Every year"}
    assert (found["instrument"], found["recurrence"]) == ("IEA", "yearly")
    assert (found["opens_month"], found["closes_month"]) == (6, 9)
    opens = datetime.date.fromisoformat(found["window"]["opens"])
    closes = datetime.date.fromisoformat(found["window"]["closes"])
    assert (opens.month, opens.day, closes.month, closes.day) == (6, 1, 9, 30)
    assert found["window"]["is_open"] == (opens <= datetime.date.today())
    assert found["platform_url"] == "https://coopinteer.cnrs.fr/"
    assert (found["institutes"], found["countries"]) == (["INSIS"], ["JP"])
    assert found["url"] == "http://testserver/en/calls/#iea"
    assert client.get(found["ics_url"]).status_code == 200
    assert client.get("/api/v1/calls/hidden/").status_code == 404
    assert "calls" in client.get("/api/v1/").json()["resources"]


def test_a_page_of_calls_runs_the_same_queries_with_few_or_many_calls(client):
    def queries():
        client.get("/api/v1/calls/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/calls/").status_code == 200
        return len(captured)

    def grow(count):
        for _ in range(count):
            call = CallFactory(countries=["JP", "KR"])
            InstituteFactory(code="INSIS").calls.add(call)

    grow(2)
    few = queries()
    grow(30)
    assert queries() == few
    assert few <= API_MAX_QUERIES


def test_labs_centres_offices_and_partners_carry_their_sources(client, labs):
    japan, _brazil = labs
    centre = ResearchCenterFactory(slug="tokyo")
    office = OfficeFactory(slug="tokyo-office")
    day = datetime.date(2026, 11, 30)
    for entry in (japan, centre, office, Partner.objects.get(slug="aist")):
        Source.objects.create(
            entry=entry, url="https://www.cnrs.fr/x", publisher="CNRS", read_on=day
        )
    for path in (
        "/api/v1/labs/jrl/",
        "/api/v1/centres/tokyo/",
        "/api/v1/offices/tokyo-office/",
        "/api/v1/partners/aist/",
    ):
        sources = client.get(path).json()["sources"]
        assert [(s["publisher"], s["url"], s["as_of"]) for s in sources] == [
            ("CNRS", "https://www.cnrs.fr/x", "2026-11-30")
        ], path
    assert client.get("/api/v1/labs/impa/").json()["sources"] == []
