"""The labs index: every published lab's filterable facts, in memory, for the labs list.

The labs list counts, for each filter, how many labs each choice would leave, given the
other filters (facet counts), then shows one page of the matches in order. In SQL that is a
GROUP BY per filter over every matching lab: fine with hundreds of labs, seconds with a
hundred thousand. Search engines keep such facts in memory as columns, and so does this
module: each worker process holds, per published lab, its instrument, country, region,
institute, theme and partner facts, its end date and its place, as NumPy arrays. A filter is
then a boolean mask over the labs, a facet count one ``bincount`` over the masked pairs, a
page of results a slice of a precomputed order: well under a millisecond each at 100,000
labs.

The index is only ever used for the data it was built from. Migration
``laboratories.0006`` keeps a *content version* (one row, one number) that statement
triggers replace on every write to the tables read here; :func:`current` reads it (one tiny
query) and rebuilds the index when it differs from the one the index was built at. The
number comes from a sequence, so two states of the data never share one, even across
rolled-back transactions. The orders by name come from PostgreSQL itself (the same
``ORDER BY`` as the SQL path, on its expression indexes), so both paths agree to the letter.

Why not a library: the facet engines that do this (Solr, Elasticsearch, Meilisearch) are
servers of their own to run and keep in step with PostgreSQL; the need here is a few arrays.
"""

import datetime
import logging
import operator
import threading
from dataclasses import dataclass, field

import numpy as np
from django.db import DatabaseError, connection, connections

from .models import Lab, Partner
from .regions import country_alphabet

logger = logging.getLogger(__name__)

# Dates as day numbers; a missing date sorts after every real one.
NO_DATE = np.iinfo(np.int32).max
LANGUAGES = ("fr", "en")


def version() -> int:
    """The content version of the data as this connection sees it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM portal_content_version WHERE id = 1")
        return cursor.fetchone()[0]


def plain_rows(queryset, *names: str) -> list[tuple]:
    """The values ``names`` of the rows of ``queryset`` as plain tuples, read straight from
    the cursor (the ORM's per-row work costs more than the query on tens of thousands of
    rows). Columns are matched by name: the ORM may select them in another order."""
    sql, params = queryset.values(*names).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column.name for column in cursor.description]
        found = cursor.fetchall()
    positions = [columns.index(name) for name in names]
    if positions == list(range(len(columns))):
        return found
    pick = operator.itemgetter(*positions)
    return (
        [pick(row) for row in found] if len(names) > 1 else [(row[positions[0]],) for row in found]
    )


@dataclass
class Pairs:
    """A many-valued fact: lab ``rows[i]`` has value number ``values[i]``."""

    rows: np.ndarray
    values: np.ndarray
    keys: list  # value number → the value itself (a code, an id)

    def mask(self, size: int, wanted) -> np.ndarray:
        """Labs having any of the ``wanted`` values."""
        numbers = [self._number[key] for key in wanted if key in self._number]
        mask = np.zeros(size, dtype=bool)
        if numbers:
            mask[self.rows[np.isin(self.values, numbers)]] = True
        return mask

    def counts(self, mask: np.ndarray) -> dict:
        """Labs of ``mask`` per value (each pair counts once)."""
        found = np.bincount(self.values[mask[self.rows]], minlength=len(self.keys))
        return {self.keys[n]: int(count) for n, count in enumerate(found) if count}

    def __post_init__(self):
        self._number = {key: number for number, key in enumerate(self.keys)}


def _pairs(ids: np.ndarray, found: list[tuple]) -> Pairs:
    """Pairs from (lab id, value) rows, unpublished labs and repeated pairs left out.

    ``ids`` are the published labs' ids in row order (ascending)."""
    if not found or not len(ids):
        return Pairs(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), [])
    rows, published = _lookup(ids, (lab_id for lab_id, _value in found))
    keys, values = np.unique(
        np.array([value for _lab_id, value in found], dtype=object)[published].tolist(),
        return_inverse=True,
    )
    unique = np.unique(rows[published].astype(np.int64) * len(keys) + values.ravel())
    return Pairs(
        (unique // len(keys)).astype(np.int32),
        (unique % len(keys)).astype(np.int32),
        keys.tolist(),
    )


@dataclass
class Place:
    latitude: object
    longitude: object
    label: dict[str, str]  # language → the smallest city name of its labs


@dataclass
class LabIndex:
    version: int
    ids: np.ndarray  # row → lab id, rows in id order
    instrument: np.ndarray  # row → instrument id
    ends_on: np.ndarray  # row → day number of the end, NO_DATE when none
    start: np.ndarray  # row → day number of the start, NO_DATE when none
    industry: np.ndarray  # row → has a company among its partners
    place: np.ndarray  # row → place number, -1 when the lab has no coordinates
    places: list[Place]
    countries: Pairs
    regions: Pairs
    institutes: Pairs
    themes: Pairs
    name_order: dict[str, np.ndarray]  # language → rows by name (the SQL order)
    _orders: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def size(self) -> int:
        return len(self.ids)

    # -- Masks -----------------------------------------------------------------------------------

    def everything(self) -> np.ndarray:
        return np.ones(self.size, dtype=bool)

    def in_countries(self, codes) -> np.ndarray:
        return self.countries.mask(self.size, [code.upper() for code in codes])

    def in_region(self, region: str) -> np.ndarray:
        return self.regions.mask(self.size, [region])

    def with_instrument(self, instrument_id: int) -> np.ndarray:
        return self.instrument == instrument_id

    def involving_institute(self, institute_id: int) -> np.ndarray:
        return self.institutes.mask(self.size, [institute_id])

    def with_theme(self, theme_id: int) -> np.ndarray:
        return self.themes.mask(self.size, [theme_id])

    def ended_on(self, day: datetime.date) -> np.ndarray:
        return self.ends_on < day.toordinal()

    def not_ended_on(self, day: datetime.date) -> np.ndarray:
        return self.ends_on >= day.toordinal()

    def with_industry(self) -> np.ndarray:
        return self.industry.copy()

    def with_ids(self, lab_ids) -> np.ndarray:
        return np.isin(self.ids, np.fromiter(lab_ids, dtype=np.int64))

    # -- Counts ----------------------------------------------------------------------------------

    def count(self, mask: np.ndarray) -> int:
        return int(np.count_nonzero(mask))

    def count_by_country(self, mask: np.ndarray) -> dict[str, int]:
        return self.countries.counts(mask)

    def count_by_region(self, mask: np.ndarray) -> dict[str, int]:
        return self.regions.counts(mask)

    def count_by_institute(self, mask: np.ndarray) -> dict[int, int]:
        return self.institutes.counts(mask)

    def count_by_theme(self, mask: np.ndarray) -> dict[int, int]:
        return self.themes.counts(mask)

    def count_by_instrument(self, mask: np.ndarray) -> dict[int, int]:
        found, counts = np.unique(self.instrument[mask], return_counts=True)
        return {int(key): int(count) for key, count in zip(found, counts, strict=True)}

    def count_by_status(self, mask: np.ndarray, day: datetime.date) -> dict[str, int]:
        ended = int(np.count_nonzero(mask & self.ended_on(day)))
        return {"active": self.count(mask) - ended, "ended": ended}

    def count_with_industry(self, mask: np.ndarray) -> int:
        return int(np.count_nonzero(mask & self.industry))

    def city_rows(self, mask: np.ndarray, language: str, limit: int) -> list[dict]:
        """One row per place of the masked labs, the ``limit`` places with most labs first
        (then by city name): the map's markers."""
        located = self.place[mask]
        counts = np.bincount(located[located >= 0], minlength=len(self.places))
        shown = np.flatnonzero(counts)
        shown = shown[np.lexsort((self._label_rank(language)[shown], -counts[shown]))][:limit]
        return [
            {
                "latitude": self.places[number].latitude,
                "longitude": self.places[number].longitude,
                "label": self.places[number].label[language],
                "count": int(counts[number]),
            }
            for number in shown
        ]

    def _label_rank(self, language: str) -> np.ndarray:
        """Place number → its rank by city name in ``language``."""

        def compute():
            labels = [place.label[language] or "" for place in self.places]
            return _ranks(sorted(range(len(labels)), key=labels.__getitem__))

        return self._memo(("places", language), compute)

    def _name_rank(self, language: str) -> np.ndarray:
        """Row → its position in the order by name in ``language``."""
        return self._memo(("names", language), lambda: _ranks(self.name_order[language]))

    def _memo(self, key, compute):
        """``compute()``, once per index (the data does not change under it)."""
        found = self._orders.get(key)
        if found is None:
            found = compute()
            with self._lock:
                self._orders[key] = found
        return found

    # -- Order -----------------------------------------------------------------------------------

    def order(self, language: str, sort: str) -> np.ndarray:
        """Every row in the list's order ``sort`` (name, start, -start, country) for
        ``language``; the name in that language, then the id, break ties."""
        if sort == "name":
            return self.name_order[language]
        return self._memo((language, sort), lambda: self._order_by(language, sort))

    def _order_by(self, language: str, sort: str) -> np.ndarray:
        if sort == "start":
            first = self.start
        elif sort == "-start":
            first = np.where(self.start == NO_DATE, NO_DATE, -self.start.astype(np.int64))
        elif sort == "country":
            alphabet = {code: n for n, code in enumerate(country_alphabet(language), start=1)}
            positions = np.array(
                [alphabet.get(code, NO_DATE) for code in self.countries.keys], dtype=np.int64
            )
            first = np.full(self.size, NO_DATE, dtype=np.int64)
            np.minimum.at(first, self.countries.rows, positions[self.countries.values])
        else:
            raise ValueError(sort)
        return np.lexsort((self._name_rank(language), first)).astype(np.int32)

    def by_relevance(self, mask: np.ndarray, ranks: dict[int, float], language: str):
        """The masked rows by search rank (highest first), then by name."""
        rows = np.flatnonzero(mask)
        rank = np.array([ranks.get(int(lab_id), 0.0) for lab_id in self.ids[rows]])
        return rows[np.lexsort((self._name_rank(language)[rows], -rank))]


def _ranks(order) -> np.ndarray:
    """The inverse of a permutation: item → its position in ``order``."""
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[np.asarray(order, dtype=np.int64)] = np.arange(len(order))
    return ranks


def _day(value) -> int:
    return value.toordinal() if value else NO_DATE


def _lookup(ids: np.ndarray, lab_ids) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``lab_ids``: its row in ``ids`` (the published labs' ids, ascending), and
    whether it is there at all."""
    lab_ids = np.fromiter(lab_ids, dtype=np.int64)
    if not len(ids):
        return np.zeros(len(lab_ids), dtype=np.int64), np.zeros(len(lab_ids), dtype=bool)
    rows = np.minimum(np.searchsorted(ids, lab_ids), len(ids) - 1)
    return rows, ids[rows] == lab_ids


def _rows(ids: np.ndarray, lab_ids) -> np.ndarray:
    """The rows of the published labs among ``lab_ids`` (in their order)."""
    rows, published = _lookup(ids, lab_ids)
    return rows[published].astype(np.int32)


def _name_order(language: str, ids: np.ndarray) -> np.ndarray:
    found = plain_rows(Lab.objects.published().order_by(Lab.name_order(language), "pk"), "pk")
    return _rows(ids, (lab_id for (lab_id,) in found))


def build(at_version: int) -> LabIndex:
    """Read the index from the database (a handful of queries, one pass each)."""
    labs = plain_rows(
        Lab.objects.published().order_by("pk"),
        "pk",
        "instrument_id",
        "lead_institute_id",
        "ends_on",
        "start_date",
        "latitude",
        "longitude",
        *(f"city_{language}" for language in LANGUAGES),
    )
    ids = np.array([lab[0] for lab in labs], dtype=np.int64)
    through = Lab.countries.through.objects
    regions = dict(Lab.countries.field.related_model.objects.values_list("code", "region"))
    country_pairs = plain_rows(through.all(), "lab_id", "country_id")
    institutes = [(lab[0], lab[2]) for lab in labs] + plain_rows(
        Lab.other_institutes.through.objects.all(), "lab_id", "institute_id"
    )
    industry = np.zeros(len(labs), dtype=bool)
    companies = Lab.partners.through.objects.filter(partner__kind=Partner.Kind.COMPANY)
    industry[_rows(ids, (lab_id for (lab_id,) in plain_rows(companies, "lab_id")))] = True

    places: list[Place] = []
    place_of: dict[tuple, int] = {}
    place = np.full(len(labs), -1, dtype=np.int32)
    for row, lab in enumerate(labs):
        latitude, longitude = lab[5], lab[6]
        if latitude is None or longitude is None:
            continue
        cities = dict(zip(LANGUAGES, lab[7:], strict=True))
        shown = {
            language: cities[language] or cities["en" if language == "fr" else "fr"]
            for language in LANGUAGES
        }
        # Floats hash faster than decimals, and tell apart the same places (5 decimals).
        key = (float(latitude), float(longitude))
        number = place_of.get(key)
        if number is None:
            number = place_of[key] = len(places)
            places.append(Place(latitude, longitude, shown))
        else:
            known = places[number].label
            for language in LANGUAGES:
                if shown[language] is not None and (
                    known[language] is None or shown[language] < known[language]
                ):
                    known[language] = shown[language]
        place[row] = number

    return LabIndex(
        version=at_version,
        ids=ids,
        instrument=np.array([lab[1] for lab in labs], dtype=np.int64),
        ends_on=np.array([_day(lab[3]) for lab in labs], dtype=np.int32),
        start=np.array([_day(lab[4]) for lab in labs], dtype=np.int32),
        industry=industry,
        place=place,
        places=places,
        countries=_pairs(ids, country_pairs),
        regions=_pairs(ids, [(lab_id, regions[code]) for lab_id, code in country_pairs]),
        institutes=_pairs(ids, institutes),
        themes=_pairs(ids, plain_rows(Lab.themes.through.objects.all(), "lab_id", "theme_id")),
        name_order={language: _name_order(language, ids) for language in LANGUAGES},
    )


_current: LabIndex | None = None
_building = threading.Lock()


def current() -> LabIndex:
    """The index of the data as the current connection sees it (rebuilt when stale)."""
    global _current
    now = version()
    index = _current
    if index is not None and index.version == now:
        return index
    with _building:
        index = _current
        if index is None or index.version != now:
            index = build(now)
            _current = index
    return index


def warm() -> None:
    """Build the index before the process takes its first request (``cnrs_intl.wsgi``
    calls it as each server worker starts), so that no visitor waits for the build.

    A database that does not answer, or is not migrated yet, is no reason to refuse to
    start: the first request that needs the index builds it then. The connection is
    closed afterwards, so that a process forked from this one never shares it.
    """
    try:
        current()
    except DatabaseError:
        logger.warning("The labs index could not be built at start-up", exc_info=True)
    finally:
        connections.close_all()
