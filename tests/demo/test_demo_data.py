"""The demo data as loaded, once for this module (``demo_loaded``, each test in a savepoint of
its own): every entry once with its history, facts updated in place, and what a visitor reads."""

from decimal import Decimal

import pytest
from django.utils import translation
from modeltranslation.translator import translator

from demo.directory import DIRECTORY_FILES, merge_directory, read_directory
from demo.loader import DATA_FILE, load_demo
from instruments.models import EuropeanProgramme, Instrument
from laboratories.models import (
    Institute,
    KeyFigure,
    Lab,
    Partner,
    Quote,
    ResearchCenter,
    Theme,
)
from offices.models import DerciMission, Office, Sector
from tests.demo.loading import LANGUAGES, MODELS, file_data, table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def demo(demo_loaded, db):
    """The demo data, loaded once for the module: a test's own writes are rolled back."""
    return demo_loaded


def test_every_entry_of_the_file_is_loaded_once_with_one_history_row(demo):
    data = file_data()
    tables = {
        Instrument: "instrument",
        EuropeanProgramme: "european_programme",
        Institute: "institute",
        Theme: "theme",
        Partner: "partner",
        Lab: "lab",
        ResearchCenter: "research_center",
        Quote: "quote",
        KeyFigure: "key_figure",
        Office: "office",
        DerciMission: "derci_mission",
        Sector: "sector",
    }
    load_demo()
    directory = merge_directory([read_directory(path) for path in DIRECTORY_FILES])
    for model, table in tables.items():
        # portal.toml's entries, and those the directory adds (demo/directory.py).
        entries = data.get(table, [])  # none for a table the sources do not fill (sectors)
        known = {entry.get("slug") for entry in entries}
        added = [e for e in directory.get(table, []) if e["slug"] not in known]
        assert model.objects.count() == len(entries) + len(added), model
        if model in (Lab, Office, Partner):  # the directory's updates are recorded too
            assert model.history.count() >= model.objects.count(), model
        else:
            assert model.history.count() == model.objects.count(), model


def test_a_reset_puts_a_changed_fact_back_in_place(demo):
    Instrument.objects.filter(code="IRL").update(funding_max=99999)
    history = Instrument.history.count()

    report = load_demo(reset=True)

    assert Instrument.objects.get(code="IRL").funding_max == 100000
    assert report.tallies[Instrument].updated == 1
    assert Instrument.history.count() == history + 1


# --- What a visitor reads -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "years", "funding", "countries"),
    [
        ("IRL", 5, (75000, 100000), (1, 1)),
        ("IRP", 5, (50000, 75000), (1, 2)),
        ("IRN", 5, (50000, 75000), (1, None)),
        ("IEA", 2, (10000, 14000), (None, None)),
        ("IRC", None, (None, None), (1, 1)),
        ("UMIFRE", None, (None, None), (None, None)),
    ],
)
def test_instrument_rules(demo, code, years, funding, countries):
    instrument = Instrument.objects.get(code=code)

    assert instrument.duration_years == years
    assert (instrument.funding_min, instrument.funding_max) == funding
    assert (instrument.min_partner_countries, instrument.max_partner_countries) == countries
    assert instrument.name_fr and instrument.name_en and instrument.purpose_en


def test_instruments_in_order_with_their_prerequisites_and_call(demo):
    assert list(Instrument.objects.ordered().values_list("code", flat=True)) == [
        "IRL",
        "IRP",
        "IRN",
        "IEA",
        "IRC",
        "UMIFRE",
    ]
    irp = Instrument.objects.get(code="IRP")
    assert "joint papers" in irp.prerequisites_en
    assert "publications communes" in irp.prerequisites_fr
    iea = Instrument.objects.get(code="IEA")
    assert iea.prerequisites_en.startswith("None")
    assert (iea.call_opens_month, iea.call_closes_month) == (6, 9)
    assert iea.application_platform == "CoopIntEer"
    assert "Derci" in iea.how_to_apply_en
    assert (
        Instrument.objects.exclude(code="IEA").filter(call_opens_month__isnull=False).count() == 0
    )


def test_european_programmes(demo):
    erc = EuropeanProgramme.objects.get(slug="erc")
    assert erc.start_year == 2007
    assert "536" in erc.summary_en and "4 to 5 years" in erc.summary_en
    msca = EuropeanProgramme.objects.get(slug="msca")
    assert msca.name_en == "Marie Skłodowska-Curie Actions"
    assert msca.name_fr == "Actions Marie Skłodowska-Curie"
    h2020 = EuropeanProgramme.objects.get(slug="horizon-2020")
    assert (h2020.start_year, h2020.end_year) == (2014, 2020)
    tascmar = EuropeanProgramme.objects.get(slug="tascmar")
    assert tascmar.eu_funding_eur == 6_700_000
    assert tascmar.coordinated_by_cnrs
    assert "110 researchers from 8 countries" in tascmar.summary_en
    assert "Eilat" in tascmar.summary_en


def test_the_ten_institutes(demo):
    assert set(Institute.objects.values_list("code", flat=True)) == {
        "INC",
        "INEE",
        "INSB",
        "INSHS",
        "INSIS",
        "INSMI",
        "INP",
        "IN2P3",
        "INSU",
        "INS2I",
    }
    insis = Institute.objects.get(code="INSIS")
    assert insis.name_fr == "Institut des sciences de l'ingénierie et des systèmes"


@pytest.mark.parametrize(
    ("slug", "instrument", "institute", "countries", "partners", "city"),
    [
        ("cintra", "IRL", "INSIS", {"SG"}, {"thales", "ntu"}, "Singapore"),
        ("e2p2l", "IRL", "INC", {"CN"}, {"solvay", "ecnu"}, "Shanghai"),
        ("link", "IRL", "INC", {"JP"}, {"saint-gobain", "nims"}, "Tsukuba"),
        ("compass", "IRL", "INC", {"US"}, {"solvay", "university-of-pennsylvania"}, ""),
        ("cnrs-impa", "IRL", "INSMI", {"BR"}, {"impa"}, "Rio de Janeiro"),
        ("centre-pierre-binetruy", "IRL", "IN2P3", {"US"}, {"uc-berkeley"}, "Berkeley"),
        # ENS-PSL joined in 2018 (the directory's update).
        ("iglobes", "IRL", "INEE", {"US"}, {"university-of-arizona", "ens-psl"}, "Tucson"),
        ("jrl", "IRL", "INS2I", {"JP"}, {"aist"}, "Tsukuba"),
        ("bmc2", "IRL", "INSB", {"SG"}, {"nus"}, "Singapore"),
    ],
)
def test_labs(demo, slug, instrument, institute, countries, partners, city):
    lab = Lab.objects.get(slug=slug)

    assert lab.instrument.code == instrument
    assert lab.lead_institute.code == institute
    assert {str(code) for code in lab.countries.values_list("code", flat=True)} == countries
    assert set(lab.partners.values_list("slug", flat=True)) == partners
    assert lab.city_en == city
    assert lab.instrument.partner_countries_error(lab.countries.count()) is None
    assert lab.themes.exists()
    # No start date is certain from the sources, so none is stated.
    assert lab.start_date is None and lab.ends_on is None


def test_lab_facts(demo):
    assert set(Lab.objects.with_industry().values_list("slug", flat=True)) == {
        "cintra",
        "e2p2l",
        "link",
        "compass",
        "crossing",  # the directory's: Naval Group among its partners
        "j-fast",  # the directory's: backed by Air Liquide
    }
    impa = Lab.objects.get(slug="cnrs-impa")
    assert impa.headcount == 50
    assert "2006" in impa.description_en and "Artur Ávila" in impa.description_en
    assert "2014" in impa.description_en
    assert set(impa.themes.values_list("slug", flat=True)) >= {
        "dynamical-systems",
        "partial-differential-equations",
        "geometry",
    }
    cpb = Lab.objects.get(slug="centre-pierre-binetruy")
    assert "2019" in cpb.summary_en
    assert "Simons Observatory" in cpb.description_en and "5,100" in cpb.description_en
    assert Lab.objects.get(slug="jrl").director == "Abderrahmane Kheddar"
    assert Lab.objects.get(slug="bmc2").director == "Virgile Viasnoff"
    compass = Lab.objects.get(slug="compass")
    assert compass.latitude is None and compass.city_fr == ""


def test_the_research_centres(demo):
    centres = {
        centre.slug: (centre.university.name_en, str(centre.country.code))
        for centre in ResearchCenter.objects.select_related("university")
    }
    assert centres == {
        "france-arizona-institute": ("University of Arizona", "US"),
        "cnrs-imperial": ("Imperial College London", "GB"),
        "cnrs-utokyo": ("University of Tokyo", "JP"),
        "discovery": ("University of Chicago", "US"),
        # Added by the directory.
        "irc-sherbrooke": ("Université de Sherbrooke", "CA"),
        "irc-wits": ("University of the Witwatersrand", "ZA"),
        "irc-usp-transitions": ("University of São Paulo", "BR"),
    }
    arizona = ResearchCenter.objects.get(is_first=True)
    assert arizona.name_en == "France-Arizona Institute for Global Grand Challenges"
    assert list(arizona.labs.values_list("slug", flat=True)) == ["iglobes"]
    assert "Pima County" in arizona.other_structures_en
    assert "Pima County" in arizona.other_structures_fr
    imperial = ResearchCenter.objects.get(slug="cnrs-imperial")
    assert {"dna-data-storage", "food-and-nutrition", "internet-of-things"} <= set(
        imperial.themes.values_list("slug", flat=True)
    )
    assert "gender-equality" in ResearchCenter.objects.get(slug="cnrs-utokyo").themes.values_list(
        "slug", flat=True
    )
    assert "astronomy" in ResearchCenter.objects.get(slug="discovery").themes.values_list(
        "slug", flat=True
    )


def test_quotes_and_their_authors(demo):
    quotes = {(q.author, q.position): q for q in Quote.objects.select_related("lab")}
    assert set(quotes) == {
        ("Abderrahmane Kheddar", 1),
        ("Antoine Petit", 2),
        ("Patrick Nédellec", 3),
        ("Antoine Petit", 4),
        ("Virgile Viasnoff", 5),
    }
    assert quotes["Abderrahmane Kheddar", 1].lab.slug == "jrl"
    assert quotes["Virgile Viasnoff", 5].lab.slug == "bmc2"
    assert quotes["Patrick Nédellec", 3].lab is None
    assert "536" in quotes["Patrick Nédellec", 3].text_en
    assert "ERC" in quotes["Patrick Nédellec", 3].text_fr
    assert "world-class" in quotes["Antoine Petit", 2].text_en


def test_key_figures_of_2016_and_2022(demo):
    figures = {
        (f.metric, f.year): (f.value, f.unit, f.is_approximate, f.period_start_year)
        for f in KeyFigure.objects.all()
    }
    assert figures == {
        ("publications-foreign-lab", 2016): (Decimal(60), "percent", False, None),
        ("publications-foreign-lab", 2022): (Decimal(60), "percent", False, None),
        ("foreign-staff", 2016): (Decimal(4000), "count", True, None),
        ("foreign-staff", 2022): (Decimal(5000), "count", True, None),
        ("foreign-recruits", 2016): (Decimal(34), "percent", False, None),
        ("foreign-recruits", 2022): (Decimal(30), "percent", True, None),
        ("missions-abroad", 2016): (Decimal(60000), "count", True, None),
        ("missions-abroad", 2022): (Decimal(60000), "count", True, None),
        ("irl-count", 2019): (Decimal(80), "count", False, None),
        ("umifre-count", 2019): (Decimal(28), "count", False, None),
        ("irl-industry", 2019): (Decimal(4), "count", False, None),
        ("erc-laureates", 2019): (Decimal(536), "count", False, 2007),
    }
    latest = {f.metric: f.year for f in KeyFigure.objects.latest_per_metric()}
    assert latest["foreign-staff"] == 2022
    assert all(f.source_fr and f.source_en for f in KeyFigure.objects.all())
    assert "2019" in KeyFigure.objects.get(metric="irl-count").source_en


def test_all_eleven_offices_are_open_as_their_sources_say(demo):
    offices = {o.slug: o for o in Office.objects.all()}
    assert set(offices) == {
        "nairobi",  # added by the directory (opened in 2024)
        "brussels",
        "melbourne",
        "new-delhi",
        "ottawa",
        "beijing",
        "pretoria",
        "rio-de-janeiro",
        "singapore",
        "tokyo",
        "washington",
    }
    # Melbourne and Ottawa opened in 2022 and are on the CNRS's current list of its offices:
    # a fresh load shows them open (demo/portal.toml says so, as its sources do).
    assert set(Office.objects.open().values_list("slug", flat=True)) == set(offices)
    for slug in ("melbourne", "ottawa"):
        assert offices[slug].closed_on is None
        assert offices[slug].opened_display == "2022"
        assert offices[slug].sources.exists()
    # Opening dates come from the directory's sources, as precise as they are.
    assert offices["beijing"].opened_display == "1995"
    assert offices["brussels"].opened_on is None
    brussels = offices["brussels"]
    assert brussels.kind == Office.Kind.ANTENNA
    assert "Science Europe" in brussels.missions_en and "CLORA" in brussels.missions_fr
    assert offices["new-delhi"].city_en == "New Delhi"
    assert offices["beijing"].city_fr == "Pékin"
    assert offices["washington"].city_en == "Washington, DC"
    for office in offices.values():
        covered = {str(c) for c in office.covered_countries.values_list("code", flat=True)}
        assert str(office.country.code) in covered


def test_derci_missions_and_sectors(demo):
    assert DerciMission.objects.filter(scope="main").count() == 3
    assert DerciMission.objects.filter(scope="detailed").count() == 6
    # No source names Derci's sectors or lists their countries: none is invented.
    assert not Sector.objects.exists()


# --- Spelling and languages -----------------------------------------------------------------


def all_texts():
    for model in MODELS:
        for row in table_rows(model):
            for name, value in row.items():
                if isinstance(value, str):
                    yield f"{model._meta.label}.{name}", value


def test_names_are_spelled_right(demo):
    texts = "\n".join(value for _where, value in all_texts())
    for typo in ("Adberrahmane", "Patick", "Dehli", "Imperical", "Insitute", "Sklodowska"):
        assert typo not in texts
        assert typo not in DATA_FILE.read_text(encoding="utf-8")
    for name in (
        "Abderrahmane Kheddar",
        "Patrick Nédellec",
        "New Delhi",
        "Imperial College London",
        "Institute",
        "Virgile Viasnoff",
        "Artur Ávila",
        "Binétruy",
    ):
        assert name in texts


def test_every_text_is_given_in_both_languages(demo):
    missing = []
    for model in MODELS:
        fields = translator.get_options_for_model(model).fields
        for row in table_rows(model):
            for name in fields:
                given = {lang: bool(row[f"{name}_{lang}"]) for lang in LANGUAGES}
                if any(given.values()) and not all(given.values()):
                    missing.append(f"{model._meta.label} {row['id']} {name}")
    assert missing == []
