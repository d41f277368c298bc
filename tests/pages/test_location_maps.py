"""The small map on the lab, centre and office pages: drawn by the portal from its own map
file, with a text alternative, and nothing in it to click or reach with Tab."""

import re
from decimal import Decimal

import pytest

from geography import maps
from tests.factories import LabFactory, OfficeFactory, ResearchCenterFactory

pytestmark = pytest.mark.django_db

SVG = re.compile(r'<svg class="location-map__svg"[^>]*>.*?</svg>', re.S)


def small_map(path, client) -> str:
    page = client.get(path).content.decode()
    found = SVG.findall(page)
    assert len(found) == 1, "one small map on the page"
    svg = found[0]
    assert 'role="img"' in svg
    assert "<a " not in svg and "tabindex" not in svg  # no Tab stop, nothing to follow
    assert 'href="/static/maps/world.svg#world"' in svg  # the portal's own shapes, no tiles
    return svg


def test_a_lab_page_marks_its_city_on_a_small_map(client):
    LabFactory(
        slug="kyoto-lab",
        city_fr="Kyoto",
        city_en="Kyoto",
        latitude=Decimal("35.01"),
        longitude=Decimal("135.77"),
    )
    svg = small_map("/en/labs/kyoto-lab/", client)
    assert 'aria-label="Map of the location: Kyoto, Japan"' in svg
    assert "#c-JP" in svg
    x, y = maps.project(35.01, 135.77)
    assert f'cx="{round(x, 1)}" cy="{round(y, 1)}"' in svg
    french = small_map("/fr/laboratoires/kyoto-lab/", client)
    assert 'aria-label="Carte du lieu\u202f: Kyoto, Japon"' in french
    assert "," not in re.search(r'viewBox="([^"]+)"', french)[1]  # numbers unlocalised


def test_a_lab_without_coordinates_shows_its_countries_without_a_marker(client):
    LabFactory(slug="rio-lab", city_fr="", city_en="", countries=["BR"])
    svg = small_map("/en/labs/rio-lab/", client)
    assert "#c-BR" in svg and "<circle" not in svg
    assert 'aria-label="Map of the location: Brazil"' in svg


def test_a_centre_page_shows_its_country(client):
    centre = ResearchCenterFactory(country_id="CA", university__name_en="McGill University")
    svg = small_map(f"/en/centres/{centre.slug}/", client)
    assert "#c-CA" in svg
    assert 'aria-label="Map of the location: McGill University, Canada"' in svg


def test_an_office_page_shows_its_city_and_the_countries_it_covers(client):
    OfficeFactory(
        slug="tokyo",
        latitude=Decimal("35.68"),
        longitude=Decimal("139.69"),
        covered_countries=["JP", "KR", "TW"],
    )
    svg = small_map("/en/offices/tokyo/", client)
    assert svg.count("<circle") == 1
    assert 'class="location-map__country"' in svg and "#c-JP" in svg
    for code in ["KR", "TW"]:
        assert f'#c-{code}" class="location-map__nearby"' in svg
    assert "Map of the location: Tokyo, Japan, and the countries it covers" in svg


def test_a_country_page_shows_the_country(client):
    svg = small_map("/fr/pays/kr/", client)
    assert "#c-KR" in svg and "<circle" not in svg
    assert 'aria-label="Carte du lieu\u202f: Corée du Sud"' in svg
