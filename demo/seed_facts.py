"""Load the facts of the source documents (``[[seed_fact]]`` of ``directory.toml``) as
:class:`~laboratories.models.Fact` rows, each with the documents it comes from as sources.

Create only: a fact whose key is in the database is left as it is, and one deleted since an
earlier load is not brought back. Loading twice changes nothing. A wrong entry (an unknown
key, a text in one language only, an unknown place, document or country) raises
:class:`SeedFactError` and the caller's transaction is rolled back.
"""

import datetime
import tomllib
from pathlib import Path

from demo.saving import save_checked
from geography.models import Country
from laboratories.models import Fact
from provenance.models import Source

from .directory import DIRECTORY_FILE

CHANGE_REASON = "Facts of the source documents (load_demo)"
KEYS = {
    "key",
    "seed",
    "also_in",
    "place",
    "quote",
    "speaker",
    "speaker_role_fr",
    "speaker_role_en",
    "text_fr",
    "text_en",
    "countries",
    "group",
    "position",
}
# The source documents (../shared/seeds): the CNRS's public pages, by their titles. They
# give no date of their own; they were read for the portal on READ_ON.
PUBLISHER = "CNRS"
SEED_DOCUMENTS = {
    "000_9570fd966f7115d2.txt": "CNRS, « International » (site web du CNRS)",
    "001_e3807eee7ff3c10f.txt": "CNRS, « Un acteur de la science mondiale »",
    "002_6f2a5c8d81760b9c.txt": "CNRS, « Coopérer à l’international »",
    "003_6354967326105e1a.txt": "CNRS, “A player in global science”",
    "004_2b9715367625ea3b.txt": "CNRS, « La DERCI et les implantations à l’étranger »",
}
READ_ON = datetime.date(2026, 12, 3)


class SeedFactError(Exception):
    """A ``[[seed_fact]]`` entry is wrong; the message says which and why."""


def load_seed_facts(report, path: Path = DIRECTORY_FILE) -> None:
    """Create the facts of ``path`` the database lacks; ``report.count(Fact, outcome)`` is
    told each one's outcome (created, kept, not_recreated)."""
    with open(path, "rb") as handle:
        entries = tomllib.load(handle).get("seed_fact", [])
    places = set(Fact.Place.values)
    for entry in entries:
        where = f"[[seed_fact]] {entry.get('key', '?')}"
        unknown = set(entry) - KEYS
        if unknown:
            raise SeedFactError(f"{where}: unknown keys: {', '.join(sorted(unknown))}")
        if not entry.get("text_fr") or not entry.get("text_en"):
            raise SeedFactError(f"{where}: give text_fr and text_en")
        if entry.get("place") not in places:
            raise SeedFactError(f"{where}: place must be one of {', '.join(sorted(places))}")
        documents = [entry.get("seed", ""), *entry.get("also_in", [])]
        missing = [name for name in documents if name not in SEED_DOCUMENTS]
        if missing:
            raise SeedFactError(f"{where}: unknown source documents: {', '.join(missing)}")
        key = entry["key"]
        if Fact.objects.filter(key=key).exists():
            report.count(Fact, "kept")
            continue
        if Fact.history.filter(key=key).exists():  # deleted in the back-office since
            report.count(Fact, "not_recreated")
            continue
        _create(entry, documents, where)
        report.count(Fact, "created")


def _create(entry: dict, documents: list[str], where: str) -> None:
    codes = [str(code).upper() for code in entry.get("countries", [])]
    if Country.objects.filter(pk__in=codes).count() != len(set(codes)):
        raise SeedFactError(f"{where}: unknown country among {codes}")
    fact = Fact(
        key=entry["key"],
        place=entry["place"],
        group=entry.get("group", ""),
        position=entry.get("position", 0),
        text_fr=entry["text_fr"],
        text_en=entry["text_en"],
        text=entry["text_fr"],
        speaker=entry.get("speaker", "") if entry.get("quote") else "",
        speaker_role_fr=entry.get("speaker_role_fr", ""),
        speaker_role_en=entry.get("speaker_role_en", ""),
        speaker_role=entry.get("speaker_role_fr", ""),
    )
    save_checked(fact, where, CHANGE_REASON, SeedFactError)
    fact.countries.set(codes)
    for name in documents:
        source = Source(
            entry=fact, document=SEED_DOCUMENTS[name], publisher=PUBLISHER, read_on=READ_ON
        )
        save_checked(source, where, CHANGE_REASON, SeedFactError)
