"""The public site with the demo data: every page answers in both languages and states the
facts of the source documents (read from the demo file itself)."""

import tomllib
from html import unescape

import pytest
from django.utils import translation
from django.utils.formats import number_format

from demo.loader import DATA_FILE
from geography.models import Country
from instruments.models import Instrument
from laboratories.models import Lab, ResearchCenter
from offices.models import Office

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_file():
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)


@pytest.fixture
def demo(demo_loaded, demo_file, db):
    """The demo file's data, loaded once for the module (see tests/conftest.py)."""
    return demo_file


def text(response):
    assert response.status_code == 200, response.request["PATH_INFO"]
    return unescape(response.content.decode())


LISTS = {
    "fr": [
        "",
        "laboratoires/",
        "pays/",
        "centres/",
        "bureaux/",
        "instruments/",
        "recherche/?q=pekin",
    ],
    "en": ["", "labs/", "countries/", "centres/", "offices/", "instruments/", "search/?q=pekin"],
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_answers_with_the_demo_data(client, demo, language):
    with translation.override(language):
        entries = [
            *Lab.objects.published(),
            *ResearchCenter.objects.published(),
            *Office.objects.all(),
            *Instrument.objects.all(),
            *Country.objects.filter(labs__isnull=False).distinct(),
        ]
        paths = [entry.get_absolute_url() for entry in entries]
    paths += [f"/{language}/{path}" for path in LISTS[language]]
    for path in paths:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_instrument_page_states_its_duration_and_funding_range(client, demo, language):
    years = {"fr": "{} ans", "en": "{} years"}[language]
    for instrument in demo["instrument"]:
        page = text(client.get(f"/{language}/instruments/{instrument['code'].lower()}/"))
        assert instrument[f"name_{language}"] in page
        if instrument.get("duration_years"):
            assert years.format(instrument["duration_years"]) in page
        if instrument.get("funding_min") and instrument.get("funding_max"):
            with translation.override(language):
                low = number_format(instrument["funding_min"], force_grouping=True)
                high = number_format(instrument["funding_max"], force_grouping=True)
            assert low in page and high in page, instrument["code"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_four_centres_are_listed(client, demo, language):
    assert len(demo["research_center"]) == 4
    page = text(client.get(f"/{language}/centres/"))
    for center in demo["research_center"]:
        assert center[f"name_{language}"] in page


@pytest.mark.parametrize(("language", "path"), [("fr", "/fr/bureaux/"), ("en", "/en/offices/")])
def test_every_office_is_listed(client, demo, language, path):
    page = text(client.get(path))
    for office in demo["office"]:
        assert office[f"name_{language}"] in page


@pytest.mark.parametrize(("language", "path"), [("fr", "/fr/laboratoires/"), ("en", "/en/labs/")])
def test_each_named_lab_is_under_its_countrys_filter(client, demo, language, path):
    for lab in demo["lab"]:
        for code in lab["countries"]:
            response = client.get(f"{path}?country={code.lower()}")
            assert lab["slug"] in {found.slug for found in response.context["labs"]}, code


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_key_figures_show_the_latest_year_and_the_earlier_value(client, demo, language):
    response = client.get(f"/{language}/")
    figures = {item["latest"].metric: item for item in response.context["figures"]}
    latest = {}
    for figure in demo["key_figure"]:
        if figure["year"] >= latest.get(figure["metric"], {"year": 0})["year"]:
            latest[figure["metric"]] = figure
    assert set(figures) == set(latest)
    page = text(response)
    for metric, figure in latest.items():
        assert figures[metric]["latest"].year == figure["year"]
        assert str(figure["year"]) in page
        if figures[metric]["previous"]:
            assert f"({figures[metric]['previous'].year}" in page


def test_searching_the_demo_data_without_accents(client, demo):
    response = client.get("/en/search/?q=singapour")
    sections = {section["name"]: section["items"] for section in response.context["sections"]}
    assert "cintra" in {lab.slug for lab in sections["labs"]}
    french = client.get("/fr/recherche/?q=universite")
    assert french.context["total"] > 0
