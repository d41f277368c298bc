import datetime

import pytest
from django.utils import translation

from provenance.models import Source
from tests.factories import (
    DerciMissionFactory,
    LabFactory,
    OfficeFactory,
    ResearchCenterFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices():
    tokyo = OfficeFactory(
        name_fr="Bureau du CNRS à Tokyo",
        name_en="CNRS office in Tokyo",
        slug="tokyo",
        covered_countries=["JP", "KR", "TW"],
        email="tokyo@example.org",
        missions_fr="Représenter le CNRS.",
        missions_en="Representing the CNRS.",
    )
    ottawa = OfficeFactory(
        name_fr="Bureau du CNRS à Ottawa",
        name_en="CNRS office in Ottawa",
        slug="ottawa",
        city_fr="Ottawa",
        city_en="Ottawa",
        country_id="CA",
        covered_countries=["CA"],
        is_open=False,
        opened_on=datetime.date(2010, 9, 1),
        closed_on=datetime.date(2018, 12, 31),
    )
    return tokyo, ottawa


def test_open_and_former_offices_are_apart_and_former_ones_show_their_dates(client, offices):
    response = client.get("/en/offices/")
    assert response.context["open_offices"] == [offices[0]]
    assert response.context["closed_offices"] == [offices[1]]
    page = response.content.decode()
    assert page.index("CNRS office in Tokyo") < page.index("Former offices")
    assert page.index("Former offices") < page.index("CNRS office in Ottawa")
    assert "Open from 1 September 2010 to 31 December 2018" in page


def test_offices_page_shows_derci_missions_and_sectors(client, offices):
    DerciMissionFactory(text_fr="Piloter la politique internationale.", text_en="Steering.")
    SectorFactory(name_fr="Asie-Pacifique", name_en="Asia-Pacific", countries=["JP", "KR"])
    page = client.get("/fr/bureaux/").content.decode()
    assert "Piloter la politique internationale." in page
    assert "Asie-Pacifique" in page
    assert 'id="derci"' in page


def test_office_page_shows_contact_missions_and_covered_countries(client, offices):
    page = client.get("/en/offices/tokyo/").content.decode()
    assert "Representing the CNRS." in page
    assert 'href="mailto:tokyo@example.org"' in page
    for country in ["Japan", "South Korea", "Taiwan"]:
        assert country in page


def test_a_closed_office_says_so(client, offices):
    page = client.get("/fr/bureaux/ottawa/").content.decode()
    assert "Ce bureau est fermé." in page


def test_country_page_shows_labs_by_instrument_centres_office_and_sector(client, offices):
    lab = LabFactory(name_fr="Robotique", name_en="Robotics", countries=["JP"])
    LabFactory(name_fr="Ailleurs", name_en="Elsewhere", countries=["BR"])
    ResearchCenterFactory(name_fr="Centre de Tokyo", name_en="Tokyo centre", country_id="JP")
    SectorFactory(name_fr="Asie", name_en="Asia", countries=["JP"])
    response = client.get("/en/countries/jp/")
    assert response.status_code == 200
    [group] = response.context["groups"]
    assert group["instrument"] == lab.instrument and group["labs"] == [lab]
    page = response.content.decode()
    assert "Tokyo centre" in page
    assert "CNRS office in Tokyo" in page
    assert "Asia" in page
    assert "Elsewhere" not in page


def test_a_country_no_office_covers_points_to_derci(client, offices):
    page = client.get("/en/countries/ar/").content.decode()
    assert "No CNRS office covers this country" in page


def test_a_country_covered_by_a_former_office_says_formerly(client, offices):
    page = client.get("/en/countries/ca/").content.decode()
    assert "Formerly:" in page
    assert "closed in 2018" in page


def test_a_country_page_gives_the_covering_offices_contact(client, offices):
    tokyo, _ottawa = offices
    tokyo.address_en = "Maison franco-japonaise\nTokyo"
    tokyo.phone = "+81 3 0000 0000"
    tokyo.website = "https://www.example.org/tokyo/"
    tokyo.save()
    page = client.get("/en/countries/kr/").content.decode()
    assert "CNRS office in Tokyo" in page
    assert "Maison franco-japonaise<br>Tokyo" in page
    assert 'href="mailto:tokyo@example.org"' in page
    assert 'href="tel:+81300000000"' in page
    assert 'href="https://www.example.org/tokyo/"' in page
    assert "publishes no e-mail" not in page


def test_an_office_without_public_email_says_so_plainly(client, offices):
    tokyo, _ottawa = offices
    tokyo.email = ""
    tokyo.save()
    for path in ("/fr/pays/jp/", "/fr/bureaux/tokyo/"):
        page = client.get(path).content.decode()
        assert "Le bureau ne publie pas d’adresse électronique." in page, path


def test_an_office_or_centre_without_source_is_not_shown_as_current(client, offices):
    page = client.get("/en/offices/tokyo/").content.decode()
    assert "Not verified: no source is recorded" in page
    Source.objects.create(
        entry=offices[0],
        url="https://example.org/",
        publisher="CNRS",
        read_on=datetime.date(2026, 11, 2),
    )
    page = client.get("/en/offices/tokyo/").content.decode()
    assert "Active as of 2 November 2026" in page
    centre = ResearchCenterFactory(slug="tokyo-centre")
    with translation.override("en"):
        page = client.get(centre.get_absolute_url()).content.decode()
    assert "Not verified: no source is recorded" in page
