"""Synthetic international structures for load tests: ``generate_labs(count=..., seed=...)``.

The same seed on the same database gives the same entries (names, texts, countries,
partners, dates, places). The instruments, institutes, themes and partner institutions the
entries need are created when missing, so it also works on a freshly migrated database.

Rows go in with PostgreSQL's COPY (psycopg 3), 100,000 entries in well under two minutes:
``bulk_create`` would be three to four times slower and, like COPY, calls neither
``Lab.save()`` nor the signals, so ``ends_on`` is computed here, and the search documents and
the facts the labs list counts on are rebuilt in bulk. Caches see the new content version
(``core.content``: the database's triggers record COPY too).
"""

import datetime
import itertools
import random
import time
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.text import slugify

from geography.models import Country
from instruments.models import Instrument
from laboratories.models import Institute, Lab, Partner, Theme, add_years

from . import generation_data as data

FIRST_START = datetime.date(2000, 1, 1)
LAST_START = datetime.date(2025, 12, 31)
M2M = ("countries", "themes", "partners", "other_institutes")
PUBLISHED_SHARE = 0.96
EXPLICIT_END_SHARE = 0.1
WEBSITE_SHARE = 0.7


@dataclass(frozen=True)
class GenerationResult:
    labs: int
    countries: int
    industry_labs: int
    seconds: float


def generate_labs(*, count: int, seed: int) -> GenerationResult:
    """Add ``count`` synthetic published-or-not entries, reproducibly for ``seed``."""
    if count < 0:
        raise ValueError("count must be zero or more")
    started = time.monotonic()
    rng = random.Random(seed)
    # modeltranslation copies the active language's text into the untranslated column.
    with transaction.atomic(), translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        instruments = _ensure_instruments()
        institutes = _ensure_institutes()
        themes = _ensure_themes(institutes)
        countries = _partner_countries()
        partners = _ensure_partners(countries)
        plan = _Plan(rng, instruments, institutes, themes, countries, partners)
        labs, links = plan.build(count)
        _insert(labs, links)
        if labs:
            _refresh_search_documents(first_id=labs[0]["id"])
            _analyze()
    if labs and not connection.in_atomic_block:
        _vacuum()
    return GenerationResult(
        labs=len(labs),
        countries=len({code for _lab, code in links["countries"]}),
        industry_labs=plan.industry_labs,
        seconds=time.monotonic() - started,
    )


def _ensure_instruments() -> list[Instrument]:
    existing = {i.code: i for i in Instrument.objects.filter(code__in=data.INSTRUMENTS)}
    for code, spec in data.INSTRUMENTS.items():
        if code not in existing:
            fields = {key: value for key, value in spec.items() if key != "share"}
            existing[code] = Instrument.objects.create(code=code, **fields)
    return [existing[code] for code in data.INSTRUMENTS]


def _ensure_institutes() -> dict[str, Institute]:
    existing = {i.code: i for i in Institute.objects.filter(code__in=data.INSTITUTES)}
    for code, (name_fr, name_en) in data.INSTITUTES.items():
        if code not in existing:
            existing[code] = Institute.objects.create(code=code, name_fr=name_fr, name_en=name_en)
    return existing


@dataclass(frozen=True)
class _Theme:
    id: int
    name_fr: str
    name_en: str
    institute_code: str


def _ensure_themes(institutes) -> list[_Theme]:
    existing = {t.slug: t for t in Theme.objects.filter(slug__in=data.THEMES)}
    missing = [
        Theme(slug=slug, name_fr=name_fr, name_en=name_en)
        for slug, (name_fr, name_en, _code) in data.THEMES.items()
        if slug not in existing
    ]
    for theme in Theme.objects.bulk_create(missing):
        existing[theme.slug] = theme
    # Names come from the generator's lists, so that texts stay the same whatever the
    # database held before; the entries link to the database's rows.
    return [
        _Theme(existing[slug].pk, name_fr.lower(), name_en.lower(), code)
        for slug, (name_fr, name_en, code) in data.THEMES.items()
    ]


def _partner_countries() -> list[str]:
    codes = sorted(
        code
        for code in Country.objects.values_list("code", flat=True)
        if code not in data.FRENCH_CODES and code in data.CITIES
    )
    if not codes:
        raise RuntimeError("No country in the database: run the migrations first.")
    return codes


@dataclass(frozen=True)
class _Partner:
    id: int
    name_fr: str
    name_en: str


@dataclass
class _CountryPartners:
    universities: list[_Partner]
    research: list[_Partner]
    companies: list[_Partner]


def _partner_specs(code: str):
    """(slug, kind, French name, English name) of the partners generated for a country."""
    cities = data.CITIES[code]
    for city_fr, city_en, _lat, _lon in cities:
        yield (
            f"university-{slugify(city_en)}-{code.lower()}",
            Partner.Kind.UNIVERSITY,
            data.UNIVERSITY[0].format(of_city=_of_city(city_fr)),
            data.UNIVERSITY[1].format(city=city_en),
        )
    city_fr, city_en = cities[0][:2]
    yield (
        f"research-institute-{code.lower()}",
        Partner.Kind.RESEARCH,
        data.RESEARCH_BODY[0].format(of_city=_of_city(city_fr)),
        data.RESEARCH_BODY[1].format(city=city_en),
    )
    # Company names follow from the country code, so that they stay the same run after run.
    index = sum(ord(letter) for letter in code)
    for number in range(data.COMPANIES_PER_COUNTRY):
        stem = data.COMPANY_STEMS[(index + number * 7) % len(data.COMPANY_STEMS)]
        ending = data.COMPANY_ENDINGS[(index + number * 3) % len(data.COMPANY_ENDINGS)]
        name = f"{stem}{ending} {city_en}"
        yield f"company-{slugify(name)}-{code.lower()}-{number}", Partner.Kind.COMPANY, name, name


def _ensure_partners(countries: list[str]) -> dict[str, _CountryPartners]:
    specs = {code: list(_partner_specs(code)) for code in countries}
    slugs = [spec[0] for code_specs in specs.values() for spec in code_specs]
    existing = dict(Partner.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    missing = [
        Partner(
            slug=slug,
            kind=kind,
            name_fr=name_fr,
            name_en=name_en,
            country_id=code,
            website=f"https://{slug}.example.org/",
        )
        for code, code_specs in specs.items()
        for slug, kind, name_fr, name_en in code_specs
        if slug not in existing
    ]
    for partner in Partner.objects.bulk_create(missing, batch_size=1000):
        existing[partner.slug] = partner.pk
    pools = {}
    for code, code_specs in specs.items():
        pool = _CountryPartners([], [], [])
        for slug, kind, name_fr, name_en in code_specs:
            partner = _Partner(existing[slug], name_fr, name_en)
            if kind == Partner.Kind.UNIVERSITY:
                pool.universities.append(partner)
            elif kind == Partner.Kind.RESEARCH:
                pool.research.append(partner)
            else:
                pool.companies.append(partner)
        pools[code] = pool
    return pools


def _of_city(city: str) -> str:
    """French "de Tokyo", "d'Oran", "du Caire"."""
    if city.startswith("Le "):
        return "du " + city[3:]
    if _starts_with_vowel(city):
        return "d'" + city
    return "de " + city


def _in_city(city: str) -> str:
    """French "à Tokyo", "au Caire"."""
    if city.startswith("Le "):
        return "au " + city[3:]
    return "à " + city


def _starts_with_vowel(word: str) -> bool:
    return _ascii(word[:1]).upper() in set("AEIOUY")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


class _Plan:
    """Draws the entries from the random generator, in a fixed order."""

    def __init__(self, rng, instruments, institutes, themes, countries, partners):
        self.rng = rng
        self.instruments = instruments
        self.instrument_weights = list(
            itertools.accumulate(data.INSTRUMENTS[i.code]["share"] for i in instruments)
        )
        self.institutes = institutes
        self.institute_codes = sorted(institutes)
        self.themes = themes
        self.shs_themes = [t for t in themes if t.institute_code == data.UMIFRE_INSTITUTE]
        self.countries = countries
        self.country_weights = list(itertools.accumulate(_country_weight(c) for c in countries))
        self.partners = partners
        self.industry_labs = 0
        self.now = timezone.now()
        self.start_days = (LAST_START - FIRST_START).days

    def build(self, count: int):
        taken = set(Lab.objects.values_list("slug", flat=True)) if Lab.objects.exists() else set()
        serial = Lab.objects.count()
        ids = _reserve_ids(count)
        labs = []
        links = {name: [] for name in M2M}
        for lab_id in ids:
            serial += 1
            lab, lab_links = self._lab(lab_id, serial, taken)
            labs.append(lab)
            for name, targets in lab_links.items():
                links[name].extend((lab_id, target) for target in targets)
        return labs, links

    def _lab(self, lab_id: int, serial: int, taken: set[str]):
        rng = self.rng
        instrument = rng.choices(self.instruments, cum_weights=self.instrument_weights)[0]
        countries = self._countries(instrument)
        themes = self._themes(instrument)
        lead = self._lead_institute(instrument, themes[0])
        others = [
            self.institutes[code]
            for code in rng.sample(self.institute_codes, rng.choice((0, 0, 0, 1, 2)))
            if code != lead.code
        ]
        city_fr, city_en, latitude, longitude = rng.choice(data.CITIES[countries[0]])
        partners = self._partners(countries)
        theme2 = themes[1] if len(themes) > 1 else themes[0]
        kind_fr, kind_en = data.KIND_NAMES.get(instrument.code, data.DEFAULT_KIND_NAME)
        acronym = "".join(_abbreviation(t.name_en) for t in dict.fromkeys((themes[0], theme2)))
        acronym = f"{acronym}-{countries[0]}"
        slug = base = f"{slugify(acronym)}-{serial}"
        for suffix in itertools.count(2):
            if slug not in taken:
                break
            slug = f"{base}-{suffix}"
        taken.add(slug)
        start = FIRST_START + datetime.timedelta(days=rng.randrange(self.start_days))
        end = add_years(start, rng.randint(1, 6)) if rng.random() < EXPLICIT_END_SHARE else None
        duration = instrument.duration_years
        ends_on = end or (add_years(start, duration) if duration else None)
        words_fr = {
            "kind": kind_fr,
            "theme": themes[0].name_fr,
            "theme2": theme2.name_fr,
            "city": city_fr,
            "in_city": _in_city(city_fr),
            "partner": partners[0].name_fr,
        }
        words_en = {
            "kind": kind_en,
            "theme": themes[0].name_en,
            "theme2": theme2.name_en,
            "city": city_en,
            "partner": partners[0].name_en,
        }
        summary = rng.choice(data.SUMMARIES)
        description = rng.choice(data.DESCRIPTIONS)
        if theme2 is themes[0]:
            name_fr = f"{kind_fr} en {themes[0].name_fr} – {city_fr}"
            name_en = f"{kind_en} in {themes[0].name_en} – {city_en}"
        else:
            name_fr = f"{kind_fr} en {themes[0].name_fr} et {theme2.name_fr} – {city_fr}"
            name_en = f"{kind_en} in {themes[0].name_en} and {theme2.name_en} – {city_en}"
        row = {
            "id": lab_id,
            "name": name_fr,
            "name_fr": name_fr,
            "name_en": name_en,
            "acronym": acronym,
            "slug": slug,
            "instrument_id": instrument.pk,
            "lead_institute_id": lead.pk,
            "city": city_fr,
            "city_fr": city_fr,
            "city_en": city_en,
            "latitude": _coordinate(latitude + rng.uniform(-0.05, 0.05), 90),
            "longitude": _coordinate(longitude + rng.uniform(-0.05, 0.05), 180),
            "director": f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}",
            "start_date": start,
            "end_date": end,
            "ends_on": ends_on,
            "summary": summary[0].format(**words_fr),
            "summary_fr": summary[0].format(**words_fr),
            "summary_en": summary[1].format(**words_en),
            "description": description[0].format(**words_fr),
            "description_fr": description[0].format(**words_fr),
            "description_en": description[1].format(**words_en),
            "website": f"https://{slug}.example.org/" if rng.random() < WEBSITE_SHARE else "",
            "headcount": rng.randint(2, 120),
            "is_published": rng.random() < PUBLISHED_SHARE,
            "created_at": self.now,
            "updated_at": self.now,
        }
        links = {
            "countries": countries,
            "themes": sorted({t.id for t in themes}),
            "partners": [p.id for p in partners],
            "other_institutes": [i.pk for i in others],
        }
        return row, links

    def _countries(self, instrument) -> list[str]:
        low = instrument.min_partner_countries or 1
        high = instrument.max_partner_countries or low + data.EXTRA_PARTNER_COUNTRIES
        wanted = min(self.rng.randint(low, max(low, high)), len(self.countries))
        chosen: list[str] = []
        while len(chosen) < wanted:
            code = self.rng.choices(self.countries, cum_weights=self.country_weights)[0]
            if code not in chosen:
                chosen.append(code)
        return chosen

    def _themes(self, instrument) -> list[_Theme]:
        pool = self.shs_themes if instrument.code == "UMIFRE" else self.themes
        return self.rng.sample(pool, self.rng.choice((1, 2, 2, 3)))

    def _lead_institute(self, instrument, theme: _Theme) -> Institute:
        if instrument.code == "UMIFRE":
            return self.institutes[data.UMIFRE_INSTITUTE]
        if self.rng.random() < 0.7:
            return self.institutes[theme.institute_code]
        return self.institutes[self.rng.choice(self.institute_codes)]

    def _partners(self, countries: list[str]) -> list[_Partner]:
        pool = self.partners[countries[0]]
        chosen = [self.rng.choice(pool.universities)]
        if self.rng.random() < 0.5:
            chosen.append(self.rng.choice(pool.research))
        for code in countries[1:]:
            chosen.append(self.rng.choice(self.partners[code].universities))
        if self.rng.random() < data.INDUSTRY_SHARE:
            chosen.append(self.rng.choice(pool.companies))
            self.industry_labs += 1
        return list({p.id: p for p in chosen}.values())


def _country_weight(code: str) -> float:
    if code in data.SMALL_TERRITORIES:
        return data.SMALL_TERRITORY_WEIGHT
    return data.COUNTRY_WEIGHTS.get(code, data.DEFAULT_COUNTRY_WEIGHT)


def _abbreviation(words: str) -> str:
    return _ascii(words.split()[0])[:3].upper()


def _coordinate(value: float, limit: int) -> Decimal:
    return Decimal(f"{max(-limit, min(limit, value)):.5f}")


def _refresh_search_documents(first_id: int) -> None:
    """Build the search documents and stored facts of the new entries.

    ``save()`` refreshes them (search.documents); rows inserted by COPY need the bulk
    refresh. New primary keys come from the sequence, so the new entries are those from
    ``first_id`` on.
    """
    Lab.objects.filter(pk__gte=first_id).refresh_search_documents()


def _analyze() -> None:
    """Fresh planner statistics: without them, a table filled in bulk looks nearly empty
    and joins over it get plans fit for a handful of rows (inside this transaction too)."""
    tables = [Lab._meta.db_table]
    tables += [Lab._meta.get_field(name).remote_field.through._meta.db_table for name in M2M]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(quote(table) for table in tables)}")


def _vacuum() -> None:
    """The table packed again (the refresh wrote every new row a second time, leaving the
    first one dead: half the table), and its pages marked all-visible so that the labs list
    finds its pages in its indexes alone (index-only scans), before autovacuum would come by.

    VACUUM FULL locks the table while it runs (seconds at 100,000 entries): fit for the load
    tests this module serves. Outside a transaction only (VACUUM cannot run in one)."""
    table = connection.ops.quote_name(Lab._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (FULL) {table}")
        cursor.execute(f"VACUUM (ANALYZE) {table}")


def _reserve_ids(count: int) -> list[int]:
    """Take ``count`` primary keys from the Lab table's sequence."""
    if not count:
        return []
    table = Lab._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _insert(labs: list[dict], links: dict[str, list[tuple]]) -> None:
    fields = [f for f in Lab._meta.concrete_fields if not f.generated]
    # Columns this module does not fill (added later, say) get the field's default.
    defaults = {
        f.attname: f.get_db_prep_save(f.get_default(), connection)
        for f in fields
        if f.attname not in (labs[0] if labs else {})
    }
    columns = [f.column for f in fields]
    attnames = [f.attname for f in fields]
    with connection.cursor() as cursor:
        _copy(
            cursor,
            Lab._meta.db_table,
            columns,
            (tuple(lab.get(name, defaults.get(name)) for name in attnames) for lab in labs),
        )
        for name, rows in links.items():
            field = Lab._meta.get_field(name)
            columns = [field.m2m_column_name(), field.m2m_reverse_name()]
            _copy(cursor, field.remote_field.through._meta.db_table, columns, rows)


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    quote = connection.ops.quote_name
    statement = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
