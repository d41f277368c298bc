"""The facts of the source documents (``[[seed_fact]]`` of demo/directory.toml): loaded
create-only by ``load_demo``, each shown on its page in both languages with its sources, in
the project's own words."""

import html
import re
import tomllib

import pytest
from django.conf import settings
from django.utils import translation

from core.typography import french_spacing
from demo.directory import DIRECTORY_FILE
from demo.loader import LoadReport
from demo.seed_facts import SEED_DOCUMENTS, load_seed_facts
from laboratories.models import Fact

pytestmark = pytest.mark.django_db

SEEDS = settings.BASE_DIR.parent / "shared" / "seeds"


@pytest.fixture
def demo(demo_loaded, db):
    return demo_loaded


def seed_facts() -> list[dict]:
    with open(DIRECTORY_FILE, "rb") as handle:
        return tomllib.load(handle)["seed_fact"]


def shown_text(page: str) -> str:
    """What a reader sees of a page: tags out, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_sixteen_facts_are_loaded_with_their_documents_as_sources(demo):
    entries = seed_facts()
    assert len(entries) == 16
    facts = {fact.key: fact for fact in Fact.objects.prefetch_related("sources", "countries")}
    assert set(facts) == {entry["key"] for entry in entries}
    for entry in entries:
        fact = facts[entry["key"]]
        documents = {SEED_DOCUMENTS[name] for name in [entry["seed"], *entry.get("also_in", [])]}
        assert {source.document for source in fact.sources.all()} == documents, fact.key
        # French typography applied on save (core.typography), the rest as written.
        assert (fact.text_fr, fact.text_en) == (french_spacing(entry["text_fr"]), entry["text_en"])
        assert sorted(str(c.code) for c in fact.countries.all()) == sorted(
            entry.get("countries", [])
        )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_fact_is_shown_on_its_page_with_its_source(client, demo, language):
    with translation.override(language):
        pages = {}
        for fact in Fact.objects.all():
            url = fact.get_absolute_url().partition("#")[0]
            if url not in pages:
                response = client.get(url)
                assert response.status_code == 200, url
                pages[url] = shown_text(response.content.decode())
            page = pages[url]
            text = getattr(fact, f"text_{language}")
            assert " ".join(text.split()) in page, (fact.key, url)
            if fact.speaker:
                assert fact.speaker in page
            for source in fact.sources.all():
                assert html.unescape(source.document) in page, (fact.key, source.document)


def test_loading_again_changes_nothing_and_a_deleted_fact_stays_deleted(demo):
    Fact.objects.get(key="bottom-up").delete()
    edited = Fact.objects.get(key="europe-priority")
    edited.text_fr = "Texte modifié par un éditeur."
    edited.save()
    report = LoadReport()
    load_seed_facts(report)
    tally = report.tallies[Fact]
    assert (tally.created, tally.kept, tally.not_recreated) == (0, 15, 1)
    assert not Fact.objects.filter(key="bottom-up").exists()
    assert Fact.objects.get(key="europe-priority").text_fr == "Texte modifié par un éditeur."


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source documents are not beside the project")
def test_every_fact_rests_on_documents_that_give_its_numbers():
    """Each fact names documents of ../shared/seeds, and every number it states (a count, a
    share, a year) is in one of them: numbers carry over, none is made up."""
    for entry in seed_facts():
        documents = [entry["seed"], *entry.get("also_in", [])]
        texts = [(SEEDS / name).read_text(encoding="utf-8") for name in documents]
        given = {number for text in texts for number in re.findall(r"\d+", text)}
        for text in (entry["text_fr"], entry["text_en"]):
            stated = set(re.findall(r"\d+", text))
            assert stated <= given, (entry["key"], stated - given)
