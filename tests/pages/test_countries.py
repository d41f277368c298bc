"""The countries index and the map name every country where the CNRS is present, and search
finds countries by their names in either language."""

import pytest

from tests.factories import LabFactory, OfficeFactory, ResearchCenterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def presence():
    LabFactory(countries=["JP"])
    # No entry in these countries: an office there, one covering it, a centre.
    OfficeFactory(slug="delhi", country_id="IN", covered_countries=["IN", "LK"])
    OfficeFactory(slug="pretoria", country_id="ZA", covered_countries=[])
    OfficeFactory(slug="brussels", country_id="BE", kind="antenna", covered_countries=[])
    OfficeFactory(slug="ottawa", country_id="CA", covered_countries=["CA"], is_open=False)
    ResearchCenterFactory(country_id="DK")


def test_the_countries_index_lists_every_country_with_a_presence(client, presence):
    response = client.get("/en/countries/")
    listed = {
        country["code"]: country
        for region in response.context["regions"]
        for country in region["countries"]
    }
    assert set(listed) >= {"jp", "in", "lk", "za", "be", "dk"}
    assert "ca" not in listed  # only a former office
    assert (listed["in"]["labs"], listed["in"]["offices"]) == (0, 1)
    page = response.content.decode()
    for name in ("India", "South Africa", "Belgium", "Sri Lanka"):
        assert name in page
    # On the map too, linked, and said to have no entry.
    assert 'href="/en/countries/za/"' in page
    assert "South Africa: an office or a centre, no entry" in page
    assert "an office or a centre, no entry</li>" in page  # the legend


@pytest.mark.parametrize(
    ("prefix", "query"),
    [
        ("/fr/recherche/", "Corée"),
        ("/fr/recherche/", "coree"),
        ("/en/search/", "Korea"),
        ("/en/search/", "KOREA"),
        ("/fr/recherche/", "coree du sud"),
    ],
)
def test_search_finds_a_country_by_its_french_or_english_name(client, query, prefix):
    response = client.get(prefix, {"q": query})
    assert response.status_code == 200
    [countries] = [s for s in response.context["sections"] if s["name"] == "countries"]
    urls = [country["url"] for country in countries["items"]]
    assert any(url.endswith("/kr/") for url in urls), urls
    assert "/kr/" in response.content.decode()


def test_search_names_no_country_for_words_that_are_not_one(client):
    response = client.get("/en/search/", {"q": "laboratory"})
    [countries] = [s for s in response.context["sections"] if s["name"] == "countries"]
    assert countries["items"] == []
