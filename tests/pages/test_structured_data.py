"""What machines read of the pages: schema.org JSON-LD on entry pages, Open Graph and a
canonical link on every public page, and /favicon.ico."""

import datetime
import json
import re

import pytest

from laboratories.models import Partner
from tests.factories import LabFactory, OfficeFactory, PartnerFactory, ResearchCenterFactory

pytestmark = pytest.mark.django_db


def json_ld(page: str) -> dict:
    [found] = re.findall(r'<script type="application/ld\+json" nonce="[^"]*">(.*?)</script>', page)
    return json.loads(found)


def meta(page: str, name: str) -> str:
    return re.search(rf'<meta property="{name}" content="([^"]*)">', page).group(1)


def test_a_lab_page_describes_the_lab_as_a_research_organization(client):
    lab = LabFactory(
        name_fr="Robotique à Tokyo",
        name_en="Robotics in Tokyo </script>",
        slug="jrl",
        acronym="JRL",
        city_en="Tsukuba",
        latitude="36.08",
        longitude="140.08",
        countries=["JP"],
        website="https://jrl.example.org/",
    )
    lab.partners.add(PartnerFactory(name_en="AIST", kind=Partner.Kind.RESEARCH, slug="aist"))
    page = client.get("/en/labs/jrl/").content.decode()
    data = json_ld(page)
    assert data["@type"] == "ResearchOrganization"
    assert data["name"] == "Robotics in Tokyo </script>"  # escaped, still one script element
    assert data["url"] == "http://testserver/en/labs/jrl/"
    assert data["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Tsukuba",
        "addressCountry": "JP",
    }
    assert data["identifier"] == [{"@type": "PropertyValue", "propertyID": "slug", "value": "jrl"}]
    parents = [parent["name"] for parent in data["parentOrganization"]]
    assert parents[0] == "Centre national de la recherche scientifique" and "AIST" in parents
    assert data["geo"]["latitude"] == 36.08


def test_a_centre_page_names_its_university(client):
    centre = ResearchCenterFactory(slug="tokyo")
    data = json_ld(client.get("/fr/centres/tokyo/").content.decode())
    assert data["parentOrganization"][1]["name"] == centre.university.name


def test_an_office_page_describes_the_office_as_an_organization_of_the_cnrs(client):
    OfficeFactory(
        slug="ottawa",
        name_en="CNRS office in Ottawa",
        city_en="Ottawa",
        country_id="CA",
        covered_countries=["CA"],
        address_en="Embassy of France,\n  42 Sussex Drive",
        email="ottawa@cnrs.fr",
        website="https://ottawa.office.cnrs.fr/",
        opened_on=datetime.date(2022, 1, 1),
        opened_precision="year",
        latitude="45.44",
        longitude="-75.69",
    )
    data = json_ld(client.get("/en/offices/ottawa/").content.decode())
    assert data["@type"] == "Organization"
    assert data["name"] == "CNRS office in Ottawa"
    assert data["url"] == data["@id"] == "http://testserver/en/offices/ottawa/"
    assert data["sameAs"] == "https://ottawa.office.cnrs.fr/"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Embassy of France, 42 Sussex Drive",
        "addressLocality": "Ottawa",
        "addressCountry": "CA",
    }
    assert data["email"] == "ottawa@cnrs.fr"
    assert data["foundingDate"] == "2022"  # a year, as the source gives it
    assert data["areaServed"] == [{"@type": "Country", "name": "Canada", "identifier": "CA"}]
    assert data["geo"]["longitude"] == -75.69
    assert data["parentOrganization"]["alternateName"] == "CNRS"
    assert "telephone" not in data and "dissolutionDate" not in data  # not known: left out


@pytest.mark.parametrize("path", ["/fr/", "/en/labs/?country=jp&page=2", "/en/calls/"])
def test_every_public_page_has_its_canonical_link_and_open_graph(client, path):
    page = client.get(path).content.decode()
    canonical = re.search(r'<link rel="canonical" href="([^"]*)">', page).group(1)
    assert canonical.startswith("http://testserver/") and "country" not in canonical
    assert meta(page, "og:url") == canonical
    title = re.search(r"<title>(.*?) – CNRS International</title>", page, re.S).group(1)
    assert meta(page, "og:title") == " ".join(title.split())
    assert meta(page, "og:description")


def test_favicon_ico_is_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"
