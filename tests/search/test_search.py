import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core import text
from instruments.models import Instrument
from laboratories.models import Lab, ResearchCenter
from offices.models import Office
from search import documents, queries
from tests.factories import (
    InstrumentFactory,
    LabFactory,
    OfficeFactory,
    PartnerFactory,
    ResearchCenterFactory,
    ThemeFactory,
    bulk_labs,
)

pytestmark = pytest.mark.django_db


def sql_fold(text):
    with connection.cursor() as cursor:
        cursor.execute("SELECT portal_fold(%s)", [text])
        return cursor.fetchone()[0]


LATIN = "".join(chr(point) for point in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)])


def test_the_sql_and_python_foldings_agree_on_every_latin_letter():
    assert sql_fold(LATIN) == text.fold(LATIN)
    assert text.fold("Pékin Université ŒUVRE Straße Łódź") == "Pekin Universite OEUVRE Strasse Lodz"
    assert text.fold("ﬁ BMC²") == "fi BMC2"


@pytest.mark.parametrize(
    "name", ["São Paulo", "Ñuñoa", "Zürich", "Hà Nội", "北京", "서울", "Ærø", "Đà Lạt", ""]
)
def test_the_sql_and_python_foldings_agree_on_place_names(name):
    assert sql_fold(name) == text.fold(name)


def test_the_migration_creates_the_function_this_code_describes():
    migration = importlib.import_module("core.migrations.0001_initial")
    assert text.fold_function_sql() == migration.FOLD_FUNCTION


@pytest.fixture
def beijing_lab():
    lab = LabFactory(
        name_fr="Laboratoire franco-chinois de chimie",
        name_en="French-Chinese chemistry laboratory",
        city_fr="Pékin",
        city_en="Beijing",
        countries=["CN"],
        summary_fr="Avec l'Université Tsinghua.",
        summary_en="With Tsinghua University.",
    )
    LabFactory(name_fr="Robotique", name_en="Robotics", city_fr="Tokyo", city_en="Tokyo")
    return lab


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "query", ["pekin", "PEKIN", "Pékin", "beijing", "universite", "UNIVERSITÉ", "chine", "china"]
)
def test_search_ignores_accents_and_case_in_both_languages(beijing_lab, language, query):
    with translation.override(language):
        assert list(Lab.objects.search(query)) == [beijing_lab]


@pytest.mark.parametrize(
    ("language", "query"),
    [
        ("fr", "laboratoires chinoises"),  # French stemming: laboratoire, chinois
        ("en", "laboratories universities"),  # English stemming: laboratory, university
        ("fr", "pek"),  # a word being typed
    ],
)
def test_search_stems_in_the_page_language_and_matches_prefixes(beijing_lab, language, query):
    with translation.override(language):
        assert list(Lab.objects.search(query)) == [beijing_lab]


def test_every_word_must_match():
    LabFactory(name_fr="Physique des océans", name_en="Ocean physics")
    assert Lab.objects.search("océan physique").count() == 1
    assert Lab.objects.search("océan chimie").count() == 0


@pytest.mark.parametrize("query", ["", "   ", "!!!", "&|:*()'", "\\", "l'"])
def test_queries_without_words_find_nothing_and_never_fail(beijing_lab, query):
    assert list(Lab.objects.search(query)) == []


def test_ranking_puts_a_name_match_before_a_description_match():
    in_text = LabFactory(name_fr="Géologie", name_en="Geology", description_fr="Un volcan.")
    in_name = LabFactory(name_fr="Volcans actifs", name_en="Active volcanoes")
    ranked = Lab.objects.search("volcan").order_by("-search_rank")
    assert list(ranked) == [in_name, in_text]


def test_documents_follow_related_names_and_their_changes():
    lab = LabFactory(name_fr="Optique", name_en="Optics")
    partner = PartnerFactory(name_fr="Entreprise Alpha", name_en="Alpha company")
    theme = ThemeFactory(name_fr="Lumière", name_en="Light")
    lab.partners.add(partner)
    lab.themes.add(theme)
    assert list(Lab.objects.search("alpha")) == [lab]
    assert list(Lab.objects.search("lumiere")) == [lab]

    partner.name_fr, partner.name_en = "Entreprise Bêta", "Beta company"
    partner.save()
    assert list(Lab.objects.search("beta")) == [lab]
    assert not Lab.objects.search("alpha").exists()

    theme.labs.clear()  # a change made from the other side of the relation
    assert not Lab.objects.search("lumiere").exists()
    lab.countries.set(["BR"])
    assert list(Lab.objects.search("bresil")) == [lab]


def test_bulk_inserts_are_searchable_after_one_refresh():
    labs = bulk_labs(3, prefix="kyoto")
    assert Lab.objects.search("kyoto").count() == 3
    Lab.objects.filter(pk__in=[lab.pk for lab in labs]).update(
        search_vector_fr=None, search_vector_en=None
    )
    assert Lab.objects.search("kyoto").count() == 0
    assert Lab.objects.refresh_search_documents() == 3
    assert Lab.objects.search("kyoto").count() == 3


def test_bulk_refresh_is_one_statement(django_assert_num_queries):
    bulk_labs(50)
    with django_assert_num_queries(1):
        Lab.objects.refresh_search_documents()


def test_a_deferred_refresh_rebuilds_what_its_block_wrote_once_at_its_end():
    kept = LabFactory(name_fr="Glaciers", name_en="Glaciers")
    partner = PartnerFactory(name_fr="Institut Alpha", name_en="Alpha Institute")
    with CaptureQueriesContext(connection) as block, documents.deferred_refresh():
        with documents.deferred_refresh():  # an inner block leaves it to the outer one
            lab = LabFactory(name_fr="Volcans", name_en="Volcanoes")
            lab.partners.add(partner)
            kept.partners.add(partner)
            partner.name_fr, partner.name_en = "Institut Bêta", "Beta Institute"
            partner.save()
        assert not Lab.objects.search("volcan").exists()  # not yet: the block goes on
        lab.name_en = "Active volcanoes"
        lab.save(update_fields=["name_en"])
    refreshes = [q["sql"] for q in block.captured_queries if "SET search_vector_fr" in q["sql"]]
    tables = {sql.split(" UPDATE ")[1].split()[0] for sql in refreshes}
    assert len(refreshes) == len(tables)  # one statement per model, for all its rows
    assert list(Lab.objects.search("volcan")) == [lab]
    assert set(Lab.objects.search("beta")) == {lab, kept}
    assert not Lab.objects.search("alpha").exists()


def test_a_deferred_refresh_that_fails_rebuilds_nothing():
    with pytest.raises(RuntimeError), documents.deferred_refresh():
        LabFactory(name_fr="Volcans", name_en="Volcanoes")
        raise RuntimeError
    assert not Lab.objects.search("volcan").exists()
    LabFactory(name_fr="Volcans", name_en="Volcanoes")  # and the next save refreshes again
    assert Lab.objects.search("volcan").count() == 1


def test_centres_offices_and_instruments_are_searchable():
    university = PartnerFactory(name_fr="Université d'Arizona", name_en="University of Arizona")
    center = ResearchCenterFactory(name_fr="iGlobes", name_en="iGlobes", university=university)
    office = OfficeFactory(name_fr="Bureau de Pékin", name_en="Beijing office", country_id="CN")
    instrument = InstrumentFactory(
        code="IEA", name_fr="Action émergente", name_en="Emerging action"
    )
    assert list(ResearchCenter.objects.search("arizona")) == [center]
    assert list(Office.objects.search("pekin")) == [office]
    assert list(Instrument.objects.search("emergente")) == [instrument]


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        (
            "Université de Pékin",
            "universites pekin",
            "<mark>Université</mark> de <mark>Pékin</mark>",
        ),
        ("<b>Pékin</b>", "pekin", "&lt;b&gt;<mark>Pékin</mark>&lt;/b&gt;"),
        ("Rien ici", "pekin", "Rien ici"),
    ],
)
def test_highlight_marks_matched_words_and_escapes_the_rest(text, query, expected):
    with translation.override("fr"):
        assert queries.highlight(text, queries.matched_stems(query)) == expected


def test_highlight_cuts_long_texts_around_the_first_match():
    text = "mot " * 100 + "Pékin " + "mot " * 100
    excerpt = queries.highlight(text, ["pekin"], limit=60)
    assert "<mark>Pékin</mark>" in excerpt
    assert excerpt.startswith("…") and excerpt.endswith("…")
    assert len(excerpt) < 120
