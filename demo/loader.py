"""Load the portal's demo data from ``portal.toml`` into the database.

Entries are matched by their natural key (``code``, ``slug``, ``(metric, year)``,
``(scope, position)``, ``(author, position)``).

By default (what ``make run`` does on every start) the load only creates what is missing and
never changes an entry that exists: the work of the back-office survives any number of
starts. An entry that existed once under that key and is gone (deleted, or renamed in the
admin: its history still holds the key) is not brought back either, nor an entry that needs
it (a lab whose instrument was deleted).

``reset=True`` makes the database say what the file says again: every entry is upserted,
an object is saved only when one of its fields differs from the file, and many-to-many links
are replaced only when they differ, so loading the file a second time changes nothing: no new
row, no changed value, no new history row (django-simple-history records one row per save).
What ``directory.toml`` adds to an entry of this file (``[[lab_update]]``, ``[[office_update]]``)
is part of what the entry should be: the reset compares with both files merged per entry, so a
field the directory fills is neither emptied nor reported as an overwrite.
``dry_run=True`` rolls everything back and only reports: ``LoadReport.overwrites`` lists what
a reset would overwrite.

The file is checked as it is read, and any mistake stops the load before anything is
committed: an unknown key, a text given in one language only, a reference to a row that does
not exist, a lab whose countries break its instrument's rule, a value the model refuses.
"""

import functools
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.utils import translation
from django_countries.fields import Country as CountryCode
from modeltranslation.translator import NotRegistered, translator

from backoffice.history import relations_recorded_once
from core.typography import as_stored
from demo.directory import (
    DIRECTORY_FILES,
    TABLES,
    _Loader,
    load_directory,
    merge_directory,
    read_directory,
)
from demo.saving import save_checked
from demo.seed_facts import load_seed_facts
from geography.regions import Region, countries_in
from instruments.models import Call, EuropeanProgramme, Instrument
from laboratories.models import (
    Country,
    Institute,
    KeyFigure,
    Lab,
    Partner,
    Quote,
    ResearchCenter,
    Theme,
)
from offices.models import DerciMission, Office, Sector
from search.documents import deferred_refresh

DATA_FILE = Path(__file__).with_name("portal.toml")
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
CHANGE_REASON = "Demo data (load_demo)"

# Model fields each table of the file may set, besides its natural key and its links.
INSTRUMENT_FIELDS = (
    "name",
    "tagline",
    "position",
    "purpose",
    "audience",
    "prerequisites",
    "how_to_apply",
    "evaluation",
    "formalisation",
    "funding_details",
    "duration_years",
    "funding_min",
    "funding_max",
    "min_partner_countries",
    "max_partner_countries",
    "call_window",
    "call_opens_month",
    "call_closes_month",
    "application_platform",
)
PROGRAMME_FIELDS = (
    "acronym",
    "name",
    "summary",
    "start_year",
    "end_year",
    "eu_funding_eur",
    "coordinated_by_cnrs",
    "website",
)
INSTITUTE_FIELDS = ("name", "website")
THEME_FIELDS = ("name",)
PARTNER_FIELDS = ("name", "acronym", "kind", "website")
LAB_FIELDS = (
    "name",
    "acronym",
    "city",
    "latitude",
    "longitude",
    "director",
    "start_date",
    "end_date",
    "summary",
    "description",
    "website",
    "headcount",
    "is_published",
)
CENTER_FIELDS = (
    "name",
    "acronym",
    "other_structures",
    "is_first",
    "summary",
    "description",
    "website",
    "is_published",
)
CALL_FIELDS = (
    "title",
    "summary",
    "recurrence",
    "opens_on",
    "closes_on",
    "opens_month",
    "closes_month",
    "platform_name",
    "platform_url",
    "source_url",
)
QUOTE_FIELDS = ("text", "author_role", "is_published")
KEY_FIGURE_FIELDS = (
    "period_start_year",
    "value",
    "unit",
    "is_approximate",
    "source",
    "source_url",
)
OFFICE_FIELDS = (
    "name",
    "kind",
    "city",
    "summary",
    "missions",
    "address",
    "email",
    "phone",
    "website",
    "head",
    "latitude",
    "longitude",
    "opened_on",
    "closed_on",
    "is_open",
)
MISSION_FIELDS = ("text",)
SECTOR_FIELDS = ("name", "position")


class DemoDataError(Exception):
    """The demo data file is wrong; the message says where and why."""


# What a lookup gives for an entry of the file that the database no longer holds on purpose.
REMOVED = object()


@dataclass
class Tally:
    created: int = 0
    updated: int = 0  # reset only: saved with the file's values
    unchanged: int = 0  # reset only: already as the file says
    kept: int = 0  # existing entry, left as it is
    not_recreated: int = 0  # gone from the database since an earlier load, or needs one that is

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.kept + self.not_recreated


@dataclass
class LoadReport:
    """What the load did, model by model, in the order the models were loaded."""

    tallies: dict[type[models.Model], Tally] = field(default_factory=dict)
    # Reset only: one line per existing entry the load overwrote (or brought back).
    overwrites: list[str] = field(default_factory=list)
    # Create only: natural keys of entries left out on purpose, per model.
    removed: dict[type[models.Model], set] = field(default_factory=dict)

    def count(self, model: type[models.Model], outcome: str) -> None:
        tally = self.tallies.setdefault(model, Tally())
        setattr(tally, outcome, getattr(tally, outcome) + 1)

    @property
    def changed(self) -> bool:
        return any(t.created or t.updated for t in self.tallies.values())


def read_data(path: Path = DATA_FILE) -> dict:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise DemoDataError(f"{path}: not valid TOML: {exc}") from exc


def load_demo(path: Path = DATA_FILE, *, reset: bool = False, dry_run: bool = False) -> LoadReport:
    """Create what the file holds and the database lacks (with ``reset``, also overwrite what
    differs), in one transaction, rolled back with ``dry_run``; return what was done."""
    data = read_data(path)
    unknown = set(data) - set(LOADERS)
    if unknown:
        raise DemoDataError(f"{path}: unknown tables: {', '.join(sorted(unknown))}")
    report = LoadReport()
    if reset:
        sync = functools.partial(_sync, report, updates=_directory_updates())
    else:
        sync = functools.partial(_create_missing, report)
    # The untranslated column of a translated field takes the active language's value on
    # save (modeltranslation); the default language keeps it the same on every run. Search
    # documents are rebuilt once, at the end, not after each of the hundreds of saves.
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE), deferred_refresh():
        for table, loader in LOADERS.items():
            loader(data.get(table, []), sync, report)
        load_directory(report)
        load_seed_facts(report)
        if dry_run:
            transaction.set_rollback(True)
    return report


# --- One function per table ------------------------------------------------------------------


def load_instruments(entries: list[dict], sync, report: LoadReport) -> None:
    for entry in entries:
        where = _where("instrument", entry, "code")
        _check_keys(entry, Instrument, ("code",), INSTRUMENT_FIELDS, (), where)
        values = _values(Instrument, entry, INSTRUMENT_FIELDS, where)
        sync(Instrument, {"code": entry["code"]}, values, {}, where)


def load_programmes(entries: list[dict], sync, report: LoadReport) -> None:
    for entry in entries:
        where = _where("european_programme", entry, "slug")
        _check_keys(entry, EuropeanProgramme, ("slug",), PROGRAMME_FIELDS, (), where)
        values = _values(EuropeanProgramme, entry, PROGRAMME_FIELDS, where)
        sync(EuropeanProgramme, {"slug": entry["slug"]}, values, {}, where)


def load_institutes(entries: list[dict], sync, report: LoadReport) -> None:
    for entry in entries:
        where = _where("institute", entry, "code")
        _check_keys(entry, Institute, ("code",), INSTITUTE_FIELDS, (), where)
        values = _values(Institute, entry, INSTITUTE_FIELDS, where)
        sync(Institute, {"code": entry["code"]}, values, {}, where)


def load_themes(entries: list[dict], sync, report: LoadReport) -> None:
    for entry in entries:
        where = _where("theme", entry, "slug")
        _check_keys(entry, Theme, ("slug",), THEME_FIELDS, (), where)
        values = _values(Theme, entry, THEME_FIELDS, where)
        sync(Theme, {"slug": entry["slug"]}, values, {}, where)


def load_partners(entries: list[dict], sync, report: LoadReport) -> None:
    for entry in entries:
        where = _where("partner", entry, "slug")
        _check_keys(entry, Partner, ("slug",), PARTNER_FIELDS, ("country",), where)
        values = _values(Partner, entry, PARTNER_FIELDS, where)
        country = entry.get("country")
        values["country_id"] = _countries([country], where)[0] if country else None
        sync(Partner, {"slug": entry["slug"]}, values, {}, where)


def load_labs(entries: list[dict], sync, report: LoadReport) -> None:
    instruments = {code: REMOVED for (code,) in report.removed.get(Instrument, ())}
    instruments.update((i.code, i) for i in Instrument.objects.all())
    institutes = _pks(report, Institute, "code")
    partners = _pks(report, Partner, "slug")
    themes = _pks(report, Theme, "slug")
    links = ("instrument", "lead_institute", "other_institutes", "countries", "partners", "themes")
    for entry in entries:
        where = _where("lab", entry, "slug")
        _check_keys(entry, Lab, ("slug",), LAB_FIELDS, links, where)
        instrument = _lookup(instruments, entry.get("instrument"), "instrument", where)
        countries = _countries(entry.get("countries", []), where)
        if instrument is not REMOVED:
            with translation.override("en"):  # the message is formatted in the active language
                error = instrument.partner_countries_error(len(countries))
            if error:
                countries_text = ", ".join(countries) or "none"
                raise DemoDataError(f"{where}: {error} (countries: {countries_text})")
        values = _values(Lab, entry, LAB_FIELDS, where)
        values["instrument_id"] = getattr(instrument, "pk", REMOVED)
        values["lead_institute_id"] = _lookup(
            institutes, entry.get("lead_institute"), "institute", where
        )
        many = {
            "countries": countries,
            "other_institutes": _lookups(
                institutes, entry.get("other_institutes", []), "institute", where
            ),
            "partners": _lookups(partners, entry.get("partners", []), "partner", where),
            "themes": _lookups(themes, entry.get("themes", []), "theme", where),
        }
        sync(Lab, {"slug": entry["slug"]}, values, many, where)


def load_research_centers(entries: list[dict], sync, report: LoadReport) -> None:
    institutes = _pks(report, Institute, "code")
    partners = _pks(report, Partner, "slug")
    themes = _pks(report, Theme, "slug")
    labs = _pks(report, Lab, "slug")
    links = ("university", "country", "institutes", "themes", "labs")
    for entry in entries:
        where = _where("research_center", entry, "slug")
        _check_keys(entry, ResearchCenter, ("slug",), CENTER_FIELDS, links, where)
        values = _values(ResearchCenter, entry, CENTER_FIELDS, where)
        values["university_id"] = _lookup(partners, entry.get("university"), "partner", where)
        values["country_id"] = _countries([entry.get("country")], where)[0]
        many = {
            "institutes": _lookups(institutes, entry.get("institutes", []), "institute", where),
            "themes": _lookups(themes, entry.get("themes", []), "theme", where),
            "labs": _lookups(labs, entry.get("labs", []), "lab", where),
        }
        sync(ResearchCenter, {"slug": entry["slug"]}, values, many, where)


def load_quotes(entries: list[dict], sync, report: LoadReport) -> None:
    labs = _pks(report, Lab, "slug")
    for entry in entries:
        where = f"quote {entry.get('author')!r} #{entry.get('position')}"
        _check_keys(entry, Quote, ("author", "position"), QUOTE_FIELDS, ("lab",), where)
        values = _values(Quote, entry, QUOTE_FIELDS, where)
        lab = entry.get("lab")
        values["lab_id"] = _lookup(labs, lab, "lab", where) if lab else None
        key = {"author": entry["author"], "position": entry["position"]}
        sync(Quote, key, values, {}, where)


def load_key_figures(entries: list[dict], sync, report: LoadReport) -> None:
    for entry in entries:
        where = f"key_figure {entry.get('metric')!r} {entry.get('year')}"
        _check_keys(entry, KeyFigure, ("metric", "year"), KEY_FIGURE_FIELDS, (), where)
        values = _values(KeyFigure, entry, KEY_FIGURE_FIELDS, where)
        key = {"metric": entry["metric"], "year": entry["year"]}
        sync(KeyFigure, key, values, {}, where)


def load_offices(entries: list[dict], sync, report: LoadReport) -> None:
    links = ("country", "covered_countries")
    for entry in entries:
        where = _where("office", entry, "slug")
        _check_keys(entry, Office, ("slug",), OFFICE_FIELDS, links, where)
        values = _values(Office, entry, OFFICE_FIELDS, where)
        values["country_id"] = _countries([entry.get("country")], where)[0]
        many = {"covered_countries": _countries(entry.get("covered_countries", []), where)}
        sync(Office, {"slug": entry["slug"]}, values, many, where)


def load_derci_missions(entries: list[dict], sync, report: LoadReport) -> None:
    for entry in entries:
        where = f"derci_mission {entry.get('scope')!r} #{entry.get('position')}"
        _check_keys(entry, DerciMission, ("scope", "position"), MISSION_FIELDS, (), where)
        values = _values(DerciMission, entry, MISSION_FIELDS, where)
        key = {"scope": entry["scope"], "position": entry["position"]}
        sync(DerciMission, key, values, {}, where)


def load_sectors(entries: list[dict], sync, report: LoadReport) -> None:
    """Sectors name world regions; their countries are those of ``countries_in(region)``."""
    for entry in entries:
        where = _where("sector", entry, "slug")
        links = ("regions", "exclude_countries")
        _check_keys(entry, Sector, ("slug",), SECTOR_FIELDS, links, where)
        values = _values(Sector, entry, SECTOR_FIELDS, where)
        regions = entry.get("regions", [])
        unknown = [region for region in regions if region not in Region.values]
        if unknown:
            raise DemoDataError(f"{where}: unknown regions: {', '.join(unknown)}")
        excluded = set(_countries(entry.get("exclude_countries", []), where))
        codes = [code for region in regions for code in countries_in(region)]
        many = {"countries": _countries([c for c in codes if c not in excluded], where)}
        sync(Sector, {"slug": entry["slug"]}, values, many, where)


def load_calls(entries: list[dict], sync, report: LoadReport) -> None:
    instruments = _pks(report, Instrument, "code")
    institutes = _pks(report, Institute, "code")
    links = ("instrument", "institutes", "countries")
    for entry in entries:
        where = _where("call", entry, "slug")
        _check_keys(entry, Call, ("slug",), CALL_FIELDS, links, where)
        values = _values(Call, entry, CALL_FIELDS, where)
        values["instrument_id"] = _lookup(instruments, entry.get("instrument"), "instrument", where)
        many = {
            "institutes": _lookups(institutes, entry.get("institutes", []), "institute", where),
            "countries": _countries(entry.get("countries", []), where),
        }
        sync(Call, {"slug": entry["slug"]}, values, many, where)


# Table of the file -> its loader, in the order rows must exist for the next ones to name them.
LOADERS = {
    "instrument": load_instruments,
    "european_programme": load_programmes,
    "institute": load_institutes,
    "theme": load_themes,
    "partner": load_partners,
    "lab": load_labs,
    "research_center": load_research_centers,
    "quote": load_quotes,
    "key_figure": load_key_figures,
    "office": load_offices,
    "derci_mission": load_derci_missions,
    "sector": load_sectors,
    "call": load_calls,
}


# --- Helpers ----------------------------------------------------------------------------------


def _where(table: str, entry: dict, key: str) -> str:
    return f"{table} {entry.get(key)!r}"


def _translated_fields(model: type[models.Model]) -> set[str]:
    try:
        return set(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return set()


def _file_keys(model: type[models.Model], fields: Iterable[str]) -> set[str]:
    """The keys the file uses for ``fields``: ``name_fr``, ``name_en`` for a translated one."""
    translated = _translated_fields(model)
    keys = set()
    for name in fields:
        if name in translated:
            keys.update(f"{name}_{lang}" for lang in LANGUAGES)
        else:
            keys.add(name)
    return keys


def _check_keys(entry, model, key, fields, links, where) -> None:
    missing = [name for name in key if entry.get(name) in (None, "")]
    if missing:
        raise DemoDataError(f"{where}: missing {', '.join(missing)}")
    allowed = set(key) | _file_keys(model, fields) | set(links)
    unknown = set(entry) - allowed
    if unknown:
        raise DemoDataError(f"{where}: unknown keys: {', '.join(sorted(unknown))}")


def _values(model, entry: dict, fields: Iterable[str], where: str) -> dict:
    """Model values for ``fields``; a key left out of the file means the field's empty value."""
    translated = _translated_fields(model)
    values = {}
    for name in fields:
        if name not in translated:
            values[name] = _coerce(model, name, entry.get(name), where)
            continue
        texts = {lang: entry.get(f"{name}_{lang}") or "" for lang in LANGUAGES}
        given = [lang for lang, text in texts.items() if text]
        if given and len(given) != len(LANGUAGES):
            missing = ", ".join(f"{name}_{lang}" for lang in LANGUAGES if lang not in given)
            raise DemoDataError(f"{where}: {missing} is missing (every text is bilingual)")
        for lang, text in texts.items():
            if not isinstance(text, str):
                raise DemoDataError(f"{where}: {name}_{lang} must be text")
            values[f"{name}_{lang}"] = text or model._meta.get_field(name).get_default()
    return values


def _coerce(model, name: str, value, where: str):
    model_field = model._meta.get_field(name)
    if value is None:
        return model_field.get_default()
    if isinstance(model_field, models.DecimalField):
        if not isinstance(value, int | float | str) or isinstance(value, bool):
            raise DemoDataError(f"{where}: {name} must be a number")
        return Decimal(str(value))
    return value


def _plain(value):
    """A value comparable with what the database returns (country codes as text)."""
    if isinstance(value, CountryCode):
        return value.code
    return value


def _pks(report: LoadReport, model, key: str) -> dict:
    """Primary keys by natural key; entries left out on purpose map to ``REMOVED``."""
    pks = {natural_key: REMOVED for (natural_key,) in report.removed.get(model, ())}
    pks.update(model.objects.values_list(key, "pk"))
    return pks


def _lookup(mapping: dict, name, kind: str, where: str):
    if name in (None, ""):
        raise DemoDataError(f"{where}: missing {kind}")
    try:
        return mapping[name]
    except (KeyError, TypeError):
        raise DemoDataError(f"{where}: unknown {kind} {name!r}") from None


def _lookups(mapping: dict, names: Iterable, kind: str, where: str) -> list:
    return [_lookup(mapping, name, kind, where) for name in names]


def _countries(codes: Iterable, where: str) -> list[str]:
    """Check ISO codes against the country table (filled by a migration)."""
    codes = list(codes)
    known = {_plain(code) for code in Country.objects.values_list("code", flat=True)}
    unknown = [repr(code) for code in codes if code not in known]
    if unknown:
        raise DemoDataError(f"{where}: unknown country codes: {', '.join(unknown)}")
    if len(set(codes)) != len(codes):
        raise DemoDataError(f"{where}: a country is listed twice")
    return codes


def _create_missing(report, model, key: dict, values: dict, many: dict, where: str):
    """Create one row and its links unless its key is taken, or was and is no more."""
    if model.objects.filter(**key).exists():
        report.count(model, "kept")
        return
    gone = model.history.filter(**key).exists()  # deleted or renamed since an earlier load
    if gone or REMOVED in values.values():
        report.removed.setdefault(model, set()).add(tuple(key.values()))
        report.count(model, "not_recreated")
        return
    obj = model(**key, **values)
    with relations_recorded_once(obj):
        _save(obj, where)
        for name, targets in many.items():
            getattr(obj, name).set(sorted({_plain(pk) for pk in targets if pk is not REMOVED}))
    report.count(model, "created")


def _sync(report, model, key: dict, values: dict, many: dict, where: str, *, updates: dict):
    """Create or update one row and its many-to-many links; save only what differs.

    What the directory adds to the entry (``updates``) is part of what the entry should be:
    a field it fills or a link it adds is not an overwrite."""
    update = updates.get((model, tuple(key.values())))
    if update is not None:
        values, many = _with_directory_update(model, key, values, many, update, where)
    obj = model.objects.filter(**key).first()
    changed = {}
    if obj is None:
        if model.history.filter(**key).exists():
            report.overwrites.append(f"{where}: brought back (it had been deleted or renamed)")
        obj = model(**key, **values)
    with relations_recorded_once(obj):
        if obj.pk is None:
            _save(obj, where)
            outcome = "created"
        else:
            changed = {
                name: value
                for name, value in values.items()
                if _plain(getattr(obj, name)) != _plain(as_stored(model, name, value))
            }
            for name, value in changed.items():
                setattr(obj, name, value)
            if changed:
                _save(obj, where)
            outcome = "updated" if changed else "unchanged"
        for name, targets in many.items():
            manager = getattr(obj, name)
            wanted = {_plain(pk) for pk in targets}
            current = {_plain(pk) for pk in manager.values_list("pk", flat=True)}
            if wanted != current:
                manager.set(sorted(wanted))
                if outcome != "created":
                    changed[name] = wanted
    if changed:
        outcome = "updated"
        report.overwrites.append(f"{where}: {', '.join(_field_names(changed))}")
    report.count(model, outcome)


# The directory's tables that add facts to entries of the demo file, and their models.
DIRECTORY_UPDATES = {"lab_update": Lab, "office_update": Office, "partner_update": Partner}


def _directory_updates(paths: Iterable[Path] = DIRECTORY_FILES) -> dict:
    """The directory's updates of existing entries, both files merged as the directory's
    loader merges them: ``(model, (slug,)) -> (table, entry)``."""
    data = merge_directory([read_directory(path) for path in paths])
    return {
        (model, (entry.get("slug"),)): (table, entry)
        for table, model in DIRECTORY_UPDATES.items()
        for entry in data.get(table, [])
    }


def _with_directory_update(model, key: dict, values: dict, many: dict, update, where: str):
    """``values`` and ``many`` merged with what the directory's ``update`` adds to the entry.

    The directory's own loader says what it adds: in a savepoint rolled back at once, the
    entry is given the file's values and links, the update is applied, and what it changed is
    read back. Nothing of it stays (rows, links, sources, history)."""
    obj = model.objects.filter(**key).first()
    if obj is None:  # created (or brought back) with the file's values; the directory follows
        return values, many
    translated = _translated_fields(model)
    columns = [
        f.attname
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.attname not in translated
    ]
    savepoint = transaction.savepoint()
    try:
        for name, value in values.items():
            setattr(obj, name, value)
        _save(obj, where)
        for name, targets in many.items():
            getattr(obj, name).set(sorted({_plain(pk) for pk in targets}))
        rows = model.objects.filter(pk=obj.pk).values(*columns)
        before = rows.get()
        table, entry = update
        getattr(_Loader(LoadReport()), TABLES[table])(entry)
        after = rows.get()
        links = {name: list(getattr(obj, name).values_list("pk", flat=True)) for name in many}
    finally:
        transaction.savepoint_rollback(savepoint)
    added = {name: value for name, value in after.items() if before[name] != value}
    return {**values, **added}, links


def _field_names(changed: dict) -> list[str]:
    """The changed fields, once each (``summary`` for summary_fr and summary_en)."""
    names = []
    for column in changed:
        name = column.removesuffix("_id")
        for lang in LANGUAGES:
            name = name.removesuffix(f"_{lang}")
        if name not in names:
            names.append(name)
    return names


def _save(obj: models.Model, where: str) -> None:
    save_checked(obj, where, CHANGE_REASON, DemoDataError)
