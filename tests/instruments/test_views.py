import datetime

import pytest

from tests.factories import InstrumentFactory, LabFactory, ResearchCenterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def iea():
    return InstrumentFactory(
        code="IEA",
        name_fr="Action de recherche émergente internationale",
        name_en="International Emerging Action",
        purpose_fr="Explorer une collaboration nouvelle.",
        purpose_en="Exploring a new collaboration.",
        audience_en="Researchers of a CNRS unit.",
        how_to_apply_en="Apply to the annual call.",
        evaluation_en="Peer review by the institute.",
        formalisation_en="A letter of the institute.",
        duration_years=2,
        funding_min=10_000,
        funding_max=14_000,
        min_partner_countries=1,
        max_partner_countries=None,
        call_window_en="Applications from June to September.",
        call_opens_month=6,
        call_closes_month=9,
        application_platform="Galaxie",
    )


def test_instrument_page_states_its_rules_and_its_next_call(client, iea):
    page = client.get("/en/instruments/iea/").content.decode()
    for text in [
        "International Emerging Action",
        "Exploring a new collaboration.",
        "Researchers of a CNRS unit.",
        "Apply to the annual call.",
        "Peer review by the institute.",
        "A letter of the institute.",
        "2 years",
        "€10,000 to €14,000",
        "At least 1 foreign partner country",
        "Applications from June to September.",
        "Apply on Galaxie.",
    ]:
        assert text in page, text
    opens, closes = iea.next_call()
    assert f"Next call: from 1 June {opens.year} to 30 September {closes.year}." in page
    assert closes >= datetime.date.today()


def test_instrument_page_in_french_formats_numbers_the_french_way(client, iea):
    page = client.get("/fr/instruments/iea/").content.decode()
    assert "de 10\u202f000 à 14\u202f000\u202f€" in page
    assert "2 ans" in page
    opens, closes = iea.next_call()
    # The first of the month is an ordinal in French; narrow no-break space before « : ».
    assert f"Prochain appel\u202f: du 1er juin {opens.year} au 30 septembre {closes.year}." in page
    # No French text for the audience: the English one, marked as such.
    assert '<div class="prose" lang="en"><p>Researchers of a CNRS unit.</p></div>' in page


def test_instrument_page_lists_its_entries(client, iea):
    lab = LabFactory(
        name_fr="Action au Chili", name_en="Action in Chile", instrument=iea, countries=["CL"]
    )
    LabFactory(name_fr="Autre", name_en="Other")
    response = client.get("/en/instruments/iea/")
    assert list(response.context["labs"]) == [lab]
    assert response.context["entry_count"] == 1


def test_the_irc_instrument_lists_the_centres(client):
    InstrumentFactory(code="IRC", name_fr="Centre", name_en="Centre")
    center = ResearchCenterFactory(name_fr="iGlobes", name_en="iGlobes")
    ResearchCenterFactory(name_fr="Caché", name_en="Hidden", is_published=False)
    response = client.get("/fr/instruments/irc/")
    assert response.context["centers"] == [center]


def test_instruments_list_shows_each_with_duration_funding_and_count(client, iea):
    InstrumentFactory(code="IRL", name_fr="Laboratoire", name_en="Laboratory")
    LabFactory(instrument=iea)
    page = client.get("/en/instruments/").content.decode()
    assert "International Emerging Action" in page
    assert "€10,000 to €14,000" in page
    assert "€75,000 to €100,000" in page
    assert [i.entry_count for i in client.get("/en/instruments/").context["instruments"]] == [1, 0]
