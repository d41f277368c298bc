"""Load the directory (``directory.toml``, then ``directory_more.toml``): the sourced
international structures, partners, centres and office facts gathered for the portal (see
``DIRECTORY.md`` and ``DIRECTORY_MORE.md``).

Create only, never overwrite: an entry whose slug is already in the database is left as it
is (an editor may have changed it); ``[[lab_update]]``, ``[[office_update]]`` and
``[[partner_update]]`` fill only the fields of an existing entry that are empty, add the
links (partners, institutes, countries covered) and the sources it lacks, and never change a
value. Loading twice changes nothing. The updates of one entry in both files are merged key
by key before they are applied, the later file's value winning (it is the newer fact), their
sources together.

The file is checked as it is read: an unknown table or key, a text in one language only, a
date that is not ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, a reference to a row that does not
exist, an entry without a source, a value the model refuses: :class:`DirectoryDataError`,
and the caller's transaction is rolled back.
"""

import datetime
import tomllib
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from django.db import models
from django.utils import translation

from backoffice.history import relations_recorded_once
from demo.saving import save_checked
from geography.models import Country
from instruments.models import Instrument
from laboratories.models import Institute, Lab, Partner, ResearchCenter, Theme, add_years
from offices.models import Office
from provenance.dates import parse_partial_date
from provenance.models import Source

DIRECTORY_FILE = Path(__file__).with_name("directory.toml")
DIRECTORY_MORE_FILE = Path(__file__).with_name("directory_more.toml")
DIRECTORY_FILES = (DIRECTORY_FILE, DIRECTORY_MORE_FILE)
CHANGE_REASON = "Directory data (load_demo)"
LANGUAGES = ("fr", "en")
# A partial date's column -> the column of its precision.
PRECISIONS = {
    "created_on": "created_precision",
    "end_date": "end_precision",
    "opened_on": "opened_precision",
}
SOURCE_KEYS = {"url", "document", "publisher", "published", "read", "snippet"}


class DirectoryDataError(Exception):
    """The directory file is wrong; the message says where and why."""


def load_directory(report, paths: Iterable[Path] = DIRECTORY_FILES) -> None:
    """Create what the directory files hold and is missing; ``report.count(model, outcome)``
    is told each entry's outcome (created, updated, unchanged)."""
    paths = [paths] if isinstance(paths, Path) else list(paths)
    data = merge_directory([read_directory(path) for path in paths])
    loader = _Loader(report)
    for table, method in TABLES.items():
        for entry in data.get(table, []):
            getattr(loader, method)(entry)


def read_directory(path: Path) -> dict:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise DirectoryDataError(f"{path}: not valid TOML: {exc}") from exc
    unknown = set(data) - set(TABLES)
    if unknown:
        raise DirectoryDataError(f"{path}: unknown tables: {', '.join(sorted(unknown))}")
    return data


def merge_directory(files: list[dict]) -> dict:
    """The tables of ``files`` one after the other; the updates of one slug become one
    update: a later file's value replaces an earlier one, sources add up."""
    merged = {}
    for data in files:
        for table, entries in data.items():
            rows = merged.setdefault(table, [])
            if table not in UPDATES:
                rows.extend(entries)
                continue
            for entry in entries:
                earlier = next((r for r in rows if r.get("slug") == entry.get("slug")), None)
                if earlier is None:
                    rows.append(dict(entry))
                else:
                    sources = [*earlier.get("sources", []), *entry.get("sources", [])]
                    earlier.update(entry, sources=sources)
    return merged


class _Loader:
    def __init__(self, report):
        self.report = report
        self.countries = {str(code) for code in Country.objects.values_list("code", flat=True)}
        self.instruments = {i.code: i for i in Instrument.objects.all()}
        self.institutes = dict(Institute.objects.values_list("code", "pk"))
        self.themes = dict(Theme.objects.values_list("slug", "pk"))

    # --- tables ----------------------------------------------------------------------------

    def partner(self, entry: dict) -> None:
        where = _where("partner", entry)
        _check(entry, where, {"slug", "name_fr", "name_en", "acronym", "kind", "country", "ror"})
        if Partner.objects.filter(slug=entry["slug"]).exists():
            return self.report.count(Partner, "unchanged")
        country = entry.get("country")
        partner = Partner(
            slug=entry["slug"],
            **_texts(entry, "name", where),
            acronym=entry.get("acronym", ""),
            kind=entry.get("kind", ""),
            country_id=self._countries([country], where)[0] if country else None,
            ror=entry.get("ror", ""),
        )
        self._create(partner, entry, where)

    def lab(self, entry: dict) -> None:
        where = _where("lab", entry)
        keys = {
            "slug", "acronym", "instrument", "lead_institute", "other_institutes", "countries",
            "partners", "themes", "latitude", "longitude", "created", "duration_years",
            "predecessor", "website", "directors", "contact_address", "contact_phone",
        }  # fmt: skip
        _check(entry, where, keys | _bilingual("name", "city", "summary"), required=("sources",))
        if Lab.objects.filter(slug=entry["slug"]).exists():
            return self.report.count(Lab, "unchanged")
        instrument = self.instruments.get(entry.get("instrument"))
        if instrument is None:
            raise DirectoryDataError(f"{where}: unknown instrument {entry.get('instrument')!r}")
        countries = self._countries(entry.get("countries", []), where)
        with translation.override("en"):
            error = instrument.partner_countries_error(len(countries))
        if error:
            raise DirectoryDataError(f"{where}: {error}")
        lead = entry.get("lead_institute")
        lab = Lab(
            slug=entry["slug"],
            acronym=entry.get("acronym", ""),
            instrument=instrument,
            lead_institute_id=self._lookup(self.institutes, [lead], "institute", where)[0]
            if lead
            else None,
            **_texts(entry, "name", where),
            **_texts(entry, "city", where),
            **_texts(entry, "summary", where),
            latitude=_decimal(entry.get("latitude"), where),
            longitude=_decimal(entry.get("longitude"), where),
        )
        self._fill_lab(lab, entry, where)
        self._create(
            lab,
            entry,
            where,
            countries=countries,
            partners=self._partners(entry.get("partners", []), where),
            themes=self._lookup(self.themes, entry.get("themes", []), "theme", where),
            other_institutes=self._lookup(
                self.institutes, entry.get("other_institutes", []), "institute", where
            ),
        )

    def lab_update(self, entry: dict) -> None:
        where = _where("lab_update", entry)
        keys = {"slug", "created", "duration_years", "predecessor", "website", "directors"}
        _check(entry, where, keys | {"partners", "other_institutes"}, required=("sources",))
        lab = self._existing(Lab, entry, where)
        if lab is None:  # removed or renamed in the back-office: left as it is
            return None
        filled = self._fill_lab(lab, entry, where)
        links = {
            "partners": self._partners(entry.get("partners", []), where),
            "other_institutes": self._lookup(
                self.institutes, entry.get("other_institutes", []), "institute", where
            ),
        }
        self._update(lab, filled, links, entry, where)

    def research_center(self, entry: dict) -> None:
        where = _where("research_center", entry)
        keys = {"slug", "university", "country", "created", "labs"}
        keys |= _bilingual("name", "summary")
        _check(entry, where, keys, required=("sources",))
        if ResearchCenter.objects.filter(slug=entry["slug"]).exists():
            return self.report.count(ResearchCenter, "unchanged")
        center = ResearchCenter(
            slug=entry["slug"],
            **_texts(entry, "name", where),
            **_texts(entry, "summary", where),
            university_id=self._partners([entry.get("university")], where)[0],
            country_id=self._countries([entry.get("country")], where)[0],
        )
        if entry.get("created"):
            center.created_on, center.created_precision = _date(entry["created"], where)
        labs = dict(Lab.objects.filter(slug__in=entry.get("labs", [])).values_list("slug", "pk"))
        labs = self._lookup(labs, entry.get("labs", []), "lab", where)
        self._create(center, entry, where, labs=labs)

    def office(self, entry: dict) -> None:
        """An office ``portal.toml`` does not list (same keys, with its sources)."""
        where = _where("office", entry)
        keys = {
            "slug", "country", "covered_countries", "latitude", "longitude", "is_open",
            "opened_on", "head", "email", "phone", "website",
        }  # fmt: skip
        texts = ("name", "city", "summary", "missions", "address")
        _check(entry, where, keys | _bilingual(*texts), required=("sources", "country"))
        if Office.objects.filter(slug=entry["slug"]).exists():
            return self.report.count(Office, "unchanged")
        office = Office(
            slug=entry["slug"],
            country_id=self._countries([entry["country"]], where)[0],
            latitude=_decimal(entry.get("latitude"), where),
            longitude=_decimal(entry.get("longitude"), where),
            is_open=entry.get("is_open", True),
            **{name: entry.get(name, "") for name in ("head", "email", "phone", "website")},
        )
        for name in texts:
            for field, value in _texts(entry, name, where).items():
                setattr(office, field, value)
        if "opened_on" in entry:
            office.opened_on, office.opened_precision = _date(entry["opened_on"], where)
        covered = self._countries(entry.get("covered_countries", []), where)
        self._create(office, entry, where, covered_countries=covered)

    def office_update(self, entry: dict) -> None:
        where = _where("office_update", entry)
        keys = {"slug", "is_open", "opened_on", "website", "head", "covered_countries"}
        _check(entry, where, keys | {"moved_on"} | _bilingual("address"), required=("sources",))
        if "moved_on" in entry:
            # The office has no column for it: the move is told by its sources and its new
            # address, which a move must give.
            _date(entry["moved_on"], where)
            if "address_fr" not in entry:
                raise DirectoryDataError(f"{where}: moved_on needs the new address")
        office = self._existing(Office, entry, where)
        if office is None:  # removed or renamed in the back-office: left as it is
            return None
        values = {name: entry[name] for name in ("website", "head") if name in entry}
        if "address_fr" in entry:
            values.update(_texts(entry, "address", where))
        if "opened_on" in entry:
            values["opened_on"], values["opened_precision"] = _date(entry["opened_on"], where)
        # ``is_open`` is never empty: the database's value stands (see DIRECTORY.md).
        filled = _fill(office, values)
        links = {"covered_countries": self._countries(entry.get("covered_countries", []), where)}
        self._update(office, filled, links, entry, where)

    def partner_update(self, entry: dict) -> None:
        """A partner's ROR identifier, where a source gives it (an edited one stands)."""
        where = _where("partner_update", entry)
        _check(entry, where, {"slug", "ror"}, required=("sources", "ror"))
        partner = self._existing(Partner, entry, where)
        if partner is None:  # removed or renamed in the back-office: left as it is
            return None
        filled = _fill(partner, {"ror": entry["ror"]})
        self._update(partner, filled, {}, entry, where)

    def seed_fact(self, entry: dict) -> None:
        """Seed facts are shown by the pages from the file itself (not stored)."""

    # --- helpers ---------------------------------------------------------------------------

    def _fill_lab(self, lab: Lab, entry: dict, where: str) -> dict:
        """Set the lab's empty fields from the entry's facts; return what was set."""
        values = {}
        if "website" in entry:
            values["website"] = entry["website"]
        if "directors" in entry:
            values["director"] = ", ".join(entry["directors"])
        for name in ("contact_address", "contact_phone"):
            if name in entry:
                values[name] = entry[name]
        predecessor = entry.get("predecessor") or {}
        unknown = set(predecessor) - {"instrument", "name", "acronym"}
        if unknown:
            raise DirectoryDataError(f"{where}: unknown predecessor keys: {sorted(unknown)}")
        for key, value in predecessor.items():
            values[f"predecessor_{key}"] = value
        if "created" in entry:
            created, precision = _date(entry["created"], where)
            values["created_on"], values["created_precision"] = created, precision
            if entry.get("duration_years"):
                # Created for a known number of years: that gives its end, as precise.
                values["end_date"] = add_years(created, int(entry["duration_years"]))
                values["end_precision"] = precision
        return _fill(lab, values)

    def _existing(self, model, entry: dict, where: str):
        obj = model.objects.filter(slug=entry.get("slug")).first()
        if obj is None and not model.history.filter(slug=entry.get("slug")).exists():
            raise DirectoryDataError(f"{where}: no such entry to update")
        return obj

    def _countries(self, codes: Iterable, where: str) -> list[str]:
        codes = list(codes)
        unknown = [code for code in codes if code not in self.countries]
        if unknown:
            raise DirectoryDataError(f"{where}: unknown country codes: {unknown}")
        return codes

    def _partners(self, slugs: Iterable, where: str) -> list[int]:
        return self._lookup(
            dict(Partner.objects.values_list("slug", "pk")), slugs, "partner", where
        )

    @staticmethod
    def _lookup(mapping: dict, names: Iterable, kind: str, where: str) -> list:
        names = list(names)
        unknown = [name for name in names if name not in mapping]
        if unknown:
            raise DirectoryDataError(f"{where}: unknown {kind}: {unknown}")
        return [mapping[name] for name in names]

    def _create(self, obj, entry: dict, where: str, **links) -> None:
        with relations_recorded_once(obj):
            _save(obj, where)
            for name, targets in links.items():
                if targets:
                    getattr(obj, name).set(targets)
        self._add_sources(obj, entry, where)
        self.report.count(type(obj), "created")

    def _update(self, obj, filled: dict, links: dict, entry: dict, where: str) -> None:
        changed = bool(filled)
        if filled:
            _save(obj, where)
        for name, targets in links.items():
            manager = getattr(obj, name)
            missing = set(targets) - set(manager.values_list("pk", flat=True))
            if missing:
                manager.add(*sorted(missing))
                changed = True
        changed = self._add_sources(obj, entry, where) or changed
        self.report.count(type(obj), "updated" if changed else "unchanged")

    def _add_sources(self, obj, entry: dict, where: str) -> bool:
        """Attach the entry's sources the object lacks (same address and passage)."""
        known = {(s.url, s.document, s.snippet) for s in obj.sources.all()}
        added = False
        for source in entry.get("sources", []):
            unknown = set(source) - SOURCE_KEYS
            if unknown:
                raise DirectoryDataError(f"{where}: unknown source keys: {sorted(unknown)}")
            key = (source.get("url", ""), source.get("document", ""), source.get("snippet", ""))
            if key in known:
                continue
            row = Source(
                entry=obj,
                url=key[0],
                document=key[1],
                snippet=key[2],
                publisher=source.get("publisher", ""),
                read_on=_date(source.get("read", ""), where)[0],
            )
            if source.get("published"):
                row.published_on, row.published_precision = _date(source["published"], where)
            _save(row, where)
            known.add(key)
            added = True
        return added


# Table -> method of the loader, in the order rows must exist for the next ones to name them.
TABLES = {
    "partner": "partner",
    "partner_update": "partner_update",
    "lab": "lab",
    "lab_update": "lab_update",
    "research_center": "research_center",
    "office": "office",
    "office_update": "office_update",
    "seed_fact": "seed_fact",
}
# Tables that complete an existing entry (merged by slug across the files).
UPDATES = {"lab_update", "office_update", "partner_update"}


def _where(table: str, entry: dict) -> str:
    return f"directory {table} {entry.get('slug') or entry.get('key')!r}"


def _bilingual(*names: str) -> set[str]:
    return {f"{name}_{language}" for name in names for language in LANGUAGES}


def _check(entry: dict, where: str, allowed: set[str], required=()) -> None:
    missing = [name for name in ("slug", *required) if not entry.get(name)]
    if missing:
        raise DirectoryDataError(f"{where}: missing {', '.join(missing)}")
    unknown = set(entry) - allowed - {"sources"}
    if unknown:
        raise DirectoryDataError(f"{where}: unknown keys: {', '.join(sorted(unknown))}")


def _texts(entry: dict, name: str, where: str) -> dict:
    """``{name}_fr`` and ``{name}_en``: both or neither (every text is bilingual)."""
    texts = {f"{name}_{language}": entry.get(f"{name}_{language}") or "" for language in LANGUAGES}
    if any(texts.values()) and not all(texts.values()):
        raise DirectoryDataError(f"{where}: {name} is given in one language only")
    return texts


def _date(text, where: str) -> tuple[datetime.date, str]:
    try:
        return parse_partial_date(text)
    except ValueError as exc:
        raise DirectoryDataError(f"{where}: {exc}") from None


def _decimal(value, where: str):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DirectoryDataError(f"{where}: coordinates must be numbers")
    return Decimal(str(value))


def _fill(obj: models.Model, values: dict) -> dict:
    """Set on ``obj`` the ``values`` whose field is empty, a date's precision with its date
    only; return what was set."""
    filled = {}
    for name, value in values.items():
        if name in PRECISIONS.values():
            continue
        if getattr(obj, name) in (None, "") and value not in (None, ""):
            filled[name] = value
            if PRECISIONS.get(name) in values:
                filled[PRECISIONS[name]] = values[PRECISIONS[name]]
    for name, value in filled.items():
        setattr(obj, name, value)
    return filled


def _save(obj: models.Model, where: str) -> None:
    save_checked(obj, where, CHANGE_REASON, DirectoryDataError)
