"""Atom feeds of new and updated labs, overall and per country, institute and instrument,
read with a standard XML parser and linked from the pages."""

import re
import xml.etree.ElementTree as ET

import pytest

from tests.factories import InstituteFactory, InstrumentFactory, LabFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    return [
        (entry.find(f"{ATOM}title").text, entry.find(f"{ATOM}link").get("href"))
        for entry in feed.findall(f"{ATOM}entry")
    ]


@pytest.fixture
def labs():
    insis = InstituteFactory(code="INSIS")
    irl = InstrumentFactory(code="IRL")
    tokyo = LabFactory(
        name_fr="Robotique à Tokyo",
        name_en="Robotics in Tokyo",
        slug="jrl",
        countries=["JP"],
        lead_institute=insis,
        instrument=irl,
    )
    rio = LabFactory(
        name_fr="Maths à Rio",
        slug="impa",
        countries=["BR"],
        lead_institute=InstituteFactory(code="INSMI"),
        instrument=InstrumentFactory(code="IRP"),
    )
    LabFactory(name_fr="Caché", slug="hidden", countries=["JP"], is_published=False)
    return tokyo, rio


def test_the_overall_feed_holds_every_published_lab_last_changed_first(client, labs):
    tokyo, rio = labs
    tokyo.save()  # changed last
    found = entries(client.get("/en/labs/feed.atom"))
    assert [link for _title, link in found] == [
        "http://testserver/en/labs/jrl/",
        "http://testserver/en/labs/impa/",
    ]
    assert found[0][0] == "IRL – Robotics in Tokyo"


@pytest.mark.parametrize(
    "path",
    [
        "/fr/laboratoires/flux/pays/jp.atom",
        "/en/labs/feed/institute/insis.atom",
        "/en/labs/feed/instrument/irl.atom",
    ],
)
def test_a_narrow_feed_holds_only_its_labs(client, labs, path):
    assert [link.rsplit("/", 2)[-2] for _title, link in entries(client.get(path))] == ["jrl"]


@pytest.mark.parametrize(
    "path",
    [
        "/en/labs/feed/country/zz.atom",
        "/en/labs/feed/institute/nope.atom",
        "/en/labs/feed/instrument/%00.atom",
    ],
)
def test_an_unknown_scope_is_404(client, labs, path):
    assert client.get(path).status_code == 404


def test_the_pages_link_to_their_feeds(client, labs):
    assert 'href="/en/labs/feed.atom"' in client.get("/en/").content.decode()
    assert (
        'href="/en/labs/feed/country/jp.atom"' in client.get("/en/countries/jp/").content.decode()
    )
    assert (
        'href="/en/labs/feed/instrument/irl.atom"'
        in client.get("/en/instruments/irl/").content.decode()
    )
    listing = client.get("/en/labs/?institute=insis").content.decode()
    assert 'href="/en/labs/feed/institute/insis.atom"' in listing


@pytest.mark.parametrize(
    ("slug", "path", "name"),
    [
        ("feed", "/en/labs/feed/", "Feed lab"),
        ("flux", "/fr/laboratoires/flux/", "Laboratoire du flux"),
    ],
)
def test_a_lab_named_like_the_feeds_keeps_its_page(client, slug, path, name):
    LabFactory(name_fr="Laboratoire du flux", name_en="Feed lab", slug=slug, countries=["FR"])
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert re.search(rf"<h1[^>]*>{name}\b", response.content.decode())
