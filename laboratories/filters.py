"""The labs list's filters: one FilterSet, what it did not understand, and its counts.

A wrong value is never silently dropped: every value the FilterSet cannot use becomes a
:class:`Problem` that the page shows (or that makes an export answer 400), and the valid
filters still apply. Values are matched case-insensitively and written back in lower case.

PostgreSQL answers everything, from the facts stored on each Lab row (see ``LabCondition``):
the filters are the conditions of the LabQuerySet methods; the order, an ORDER BY on stored
sort keys; a page, the slice a paginator takes of the queryset; and the facet counts, the
total and the map, one statement (:func:`count_labs`). What no filter changes is counted once
per content version and kept in the shared cache (:func:`unfiltered_counts`).
"""

import datetime
import itertools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote_plus, urlencode

import django_filters
from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    Q,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.http import QueryDict
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core import content, shared_cache
from core.text import distinct_acronym, name_key
from geography.maps import MAX_MARKERS
from geography.regions import REGION_BY_COUNTRY, Region, country_name
from instruments.models import Instrument
from search.queries import (
    MAX_QUERY_LENGTH,
    matched_stems,
    query_terms,
    search_query,
    vector_column,
)

from .links import lab_list_url
from .models import Institute, Lab, LabCondition, LabStatus, Partner, Theme

MAX_VALUE_LENGTH = 80
# The partner facet lists the partners of the most matching labs (and the one chosen).
PARTNER_CHOICES = 20
# Control characters, and the replacement character of bytes that were not UTF-8.
UNREADABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


STATUS_CHOICES = LabStatus.choices
INDUSTRY_CHOICES = [("yes", _("With a company among the partners"))]
SORT_CHOICES = [
    ("relevance", _("Relevance")),
    ("name", _("Name")),
    ("-start", _("Newest first")),
    ("start", _("Oldest first")),
    ("country", _("Country")),
]


@dataclass(frozen=True)
class Problem:
    """A request parameter the page could not use as given."""

    parameter: str
    value: str
    reason: str


@dataclass
class Choice:
    value: str
    label: str
    count: int
    selected: bool
    url: str
    lang: str = ""


@dataclass
class Facet:
    name: str
    label: str
    choices: list[Choice]
    multiple: bool = False

    @property
    def visible_choices(self):
        """Choices with entries, and the selected ones even when they have none."""
        return [choice for choice in self.choices if choice.count or choice.selected]


@dataclass
class ActiveFilter:
    name: str
    label: str
    value_label: str
    remove_url: str


@dataclass
class Parameters:
    """The understood request parameters, in a stable order, as (name, value) pairs."""

    pairs: list[tuple[str, str]] = field(default_factory=list)

    def without(self, name: str, value: str | None = None) -> "Parameters":
        return Parameters(
            [(n, v) for n, v in self.pairs if not (n == name and (value is None or v == value))]
        )

    def adding(self, name: str, value: str) -> "Parameters":
        return Parameters([*self.pairs, (name, value)])

    def setting(self, name: str, value: str) -> "Parameters":
        return self.without(name).adding(name, value)

    def url(self, base: str) -> str:
        return f"{base}?{urlencode(self.pairs)}" if self.pairs else base


def as_query_dict(data) -> QueryDict:
    """``data`` (a QueryDict, or a dict of values or lists of values) as a QueryDict."""
    if isinstance(data, QueryDict):
        return data
    query = QueryDict(mutable=True)
    for name, value in (data or {}).items():
        query.setlist(name, value if isinstance(value, list | tuple) else [value])
    return query


def first_value(data: QueryDict, name: str, problems: list[Problem]) -> str:
    """The value of a single-valued parameter; a second, different value is a problem."""
    values = [value.strip() for value in data.getlist(name)]
    values = [value for value in values if value]
    if not values:
        return ""
    for extra in values[1:]:
        if extra != values[0]:
            problems.append(
                Problem(
                    name, _shown(extra), _("given more than once; only the first value is used")
                )
            )
    return values[0]


def read_query(data: QueryDict, problems: list[Problem]) -> str:
    """The search words of ``q``: unreadable characters left out, length bounded."""
    query = first_value(data, "q", problems)
    if UNREADABLE.search(query):
        problems.append(
            Problem("q", _shown(query), _("characters that cannot be read were left out"))
        )
        query = UNREADABLE.sub(" ", query).strip()
    if len(query) > MAX_QUERY_LENGTH:
        problems.append(
            Problem(
                "q",
                _shown(query),
                _("too long; only the first %(n)s characters are searched")
                % {"n": MAX_QUERY_LENGTH},
            )
        )
        query = query[:MAX_QUERY_LENGTH].strip()
    if query and not query_terms(query):
        problems.append(Problem("q", query, _("no word to search for")))
        return ""
    return query


def read_search(data: QueryDict, problems: list[Problem], language: str) -> tuple[str, list[str]]:
    """The query of ``q`` and the stems it looks for (one query); a query made only of words
    too common to search (``le``, ``the``) is a problem and is left out."""
    query = read_query(data, problems)
    stems = matched_stems(query, language) if query else []
    if query and not stems:
        problems.append(Problem("q", query, _("only words too common to search for")))
        return "", []
    return query, stems


def _shown(value: str) -> str:
    """A value as the page may repeat it: unreadable characters replaced, length bounded."""
    value = UNREADABLE.sub("\N{REPLACEMENT CHARACTER}", value)
    return value if len(value) <= MAX_VALUE_LENGTH else value[:MAX_VALUE_LENGTH] + "…"


def localized(name: str, language: str):
    """The ``name`` column in ``language``, falling back on the other language when empty."""
    other = "en" if language == "fr" else "fr"
    return Coalesce(
        NullIf(F(f"{name}_{language}"), Value(""), output_field=TextField()),
        F(f"{name}_{other}"),
        output_field=TextField(),
    )


def fallback_language(obj, name: str, language: str) -> str:
    """The language of the text ``obj.<name>`` shows on a ``language`` page when that is the
    other language (modeltranslation falls back on it when the page's is empty), else ""."""
    if getattr(obj, f"{name}_{language}", None) not in (None, ""):
        return ""
    for other, _label in settings.LANGUAGES:
        if other != language and getattr(obj, f"{name}_{other}", None) not in (None, ""):
            return other
    return ""


class LabFilterSet(django_filters.FilterSet):
    """Filters of the labs list: ``country`` (repeatable), ``region``, ``instrument``,
    ``institute``, ``theme``, ``partner``, ``status``, ``industry``, ``q``, and the ``sort``
    order.

    Partners are many: only the one asked for is read before filtering, and the facet's
    choices (the most frequent partners) once the counts are known.

    The declared filters give the parameters, their labels and their choices; what they do
    is the condition of :meth:`conditions`, applied by :meth:`filter_queryset`.
    """

    q = django_filters.CharFilter(label=_("Search"))
    country = django_filters.MultipleChoiceFilter(label=_("Country"))
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Region.choices)
    instrument = django_filters.ChoiceFilter(label=_("Instrument"))
    institute = django_filters.ChoiceFilter(label=_("Institute"))
    theme = django_filters.ChoiceFilter(label=_("Theme"))
    partner = django_filters.ChoiceFilter(label=_("Partner institution"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES)
    industry = django_filters.ChoiceFilter(label=_("Industry"), choices=INDUSTRY_CHOICES)
    sort = django_filters.ChoiceFilter(label=_("Sort by"), choices=SORT_CHOICES)

    class Meta:
        model = Lab
        fields = []

    def __init__(self, data=None, *, base_url=None, today=None, language=None):
        self.today = today or datetime.date.today()
        self.language = (language or translation.get_language() or "fr")[:2]
        self.base_url = lab_list_url() if base_url is None else base_url
        self.problems: list[Problem] = []
        self._choice_urls: dict[str, str] = {}
        self.instruments = list(Instrument.objects.ordered().defer(*INSTRUMENT_DEFERRED))
        self.institutes = list(Institute.objects.all())
        self.themes = list(Theme.objects.all())
        self._instrument_ids = {i.code.lower(): i.pk for i in self.instruments}
        self._institute_ids = {i.code.lower(): i.pk for i in self.institutes}
        self._theme_ids = {t.slug: t.pk for t in self.themes}
        # Bound below, to the parameters it understands: telling them apart needs the
        # choices of its (per-instance) filters.
        super().__init__(QueryDict(), queryset=Lab.objects.published())
        self.filters["country"].extra["choices"] = [(c.lower(), c) for c in REGION_BY_COUNTRY]
        self.filters["instrument"].extra["choices"] = [(c, c) for c in self._instrument_ids]
        self.filters["institute"].extra["choices"] = [(c, c) for c in self._institute_ids]
        self.filters["theme"].extra["choices"] = [(s, s) for s in self._theme_ids]
        data = as_query_dict(data)
        self.partners = self._asked_partners(data)
        self.filters["partner"].extra["choices"] = [(p.slug, p.slug) for p in self.partners]
        self.data = self._understood(data)
        self.is_bound = True

    @staticmethod
    def _asked_partners(data: QueryDict) -> list[Partner]:
        """The partner asked for (by slug, any case), if it exists (a query only then)."""
        slugs = {
            value.strip().lower()
            for value in data.getlist("partner")
            if value.strip() and len(value) <= MAX_VALUE_LENGTH
        }
        return list(Partner.objects.filter(slug__in=slugs)) if slugs else []

    # -- Reading the request ---------------------------------------------------------------------

    def _allowed(self, name: str) -> set[str]:
        return {str(value) for value, _label in self.filters[name].extra["choices"]}

    def _understood(self, data: QueryDict) -> QueryDict:
        """The parameters this FilterSet can use; every other value becomes a problem."""
        understood = QueryDict(mutable=True)
        unknown = {
            "country": _("not a known country code"),
            "region": _("not a known region"),
            "instrument": _("not a known instrument"),
            "institute": _("not a known institute"),
            "theme": _("not a known theme"),
            "partner": _("not a known partner institution"),
            "status": _("not a known status (active or ended)"),
            "industry": _("the only value is “yes”"),
            "sort": _("not a known order"),
        }
        query, self.stems = read_search(data, self.problems, self.language)
        if query:
            understood["q"] = query
        for name, reason in unknown.items():
            if name == "country":
                values = [value.strip() for value in data.getlist(name) if value.strip()]
            else:
                value = first_value(data, name, self.problems)
                values = [value] if value else []
            allowed = self._allowed(name)
            for value in values:
                if UNREADABLE.search(value) or len(value) > MAX_VALUE_LENGTH:
                    self.problems.append(Problem(name, _shown(value), reason))
                elif value.lower() not in allowed:
                    self.problems.append(Problem(name, value, reason))
                elif name == "sort" and value.lower() == "relevance" and not query:
                    # Nothing to rank by (no search words, or none usable).
                    self.problems.append(
                        Problem(name, value, _("no search words to rank by; sorted by name"))
                    )
                elif value.lower() not in understood.getlist(name):
                    understood.appendlist(name, value.lower())
        return understood

    @cached_property
    def parameters(self) -> Parameters:
        pairs = []
        for name in self.filters:
            pairs += [(name, value) for value in self.data.getlist(name)]
        return Parameters(pairs)

    @property
    def query(self) -> str:
        return self.data.get("q", "")

    @property
    def sort_order(self) -> str:
        return self.data.get("sort") or ("relevance" if self.query else "name")

    @property
    def is_filtered(self) -> bool:
        return any(name != "sort" for name, _value in self.parameters.pairs)

    # -- Filtering -------------------------------------------------------------------------------

    def conditions(self) -> dict[str, Q]:
        """The condition of each filter in force, by parameter (the LabCondition rules)."""
        makers = {
            "q": lambda values: Q(
                **{vector_column(self.language): search_query(values[0], self.language)}
            ),
            "country": LabCondition.in_countries,
            "region": lambda values: LabCondition.in_region(values[0]),
            "instrument": lambda values: LabCondition.with_instrument(
                self._instrument_ids[values[0]]
            ),
            "institute": lambda values: LabCondition.involving_institute(
                self._institute_ids[values[0]]
            ),
            "theme": lambda values: LabCondition.with_theme(self._theme_ids[values[0]]),
            "partner": lambda values: LabCondition.with_partner(
                next(p.pk for p in self.partners if p.slug == values[0])
            ),
            "status": lambda values: (
                LabCondition.ended(self.today)
                if values[0] == LabStatus.ENDED
                else LabCondition.active(self.today)
            ),
            "industry": lambda values: LabCondition.with_industry(),
        }
        # self.data holds only understood values (see _understood): no form to clean.
        return {
            name: make(values)
            for name, make in makers.items()
            if (values := self.data.getlist(name))
        }

    def filter_queryset(self, queryset):
        """The published labs matching every filter, in the chosen order (``qs``)."""
        return self.ordered(queryset.filter(*self.conditions().values()))

    @cached_property
    def qs(self):
        # No form to validate: self.data holds only the values understood (_understood).
        return self.filter_queryset(self.queryset.all())

    def ordered(self, queryset):
        name = Lab.name_order(self.language)
        sort = self.sort_order
        if sort == "relevance":  # only with a query (see _understood)
            return queryset.search(self.query, self.language).order_by(
                F("search_rank").desc(), name, "pk"
            )
        if sort == "-start":
            return queryset.order_by(F("start_date").desc(nulls_last=True), name, "pk")
        if sort == "start":
            return queryset.order_by(F("start_date").asc(nulls_last=True), name, "pk")
        if sort == "country":
            country = Lab.country_order(self.language)
            return queryset.order_by(country.asc(nulls_last=True), name, "pk")
        return queryset.order_by(name, "pk")

    def page_labs(self) -> "LabsInOrder":
        """The matching labs in order, as a list shows them: for a paginator, which reads
        only the labs of its page."""
        instruments = {instrument.pk: instrument for instrument in self.instruments}

        def shown(labs):
            # Each lab's instrument is one of the few the FilterSet has read already: no
            # join, and one object per instrument rather than one per lab.
            labs = list(labs.defer(*LIST_DEFERRED_OWN).with_status(self.today))
            for lab in labs:
                lab.instrument = instruments[lab.instrument_id]
            return labs

        return LabsInOrder(self.qs, shown)

    # -- Counting: the facets, the total, the map -------------------------------------------------

    def counts(self) -> "Counts":
        """Every count the page shows, from one statement (:func:`count_labs`); the counts
        that no filter changes come from :func:`unfiltered_counts` (the shared cache)."""
        conditions = self.conditions()
        if not conditions:
            return unfiltered_counts(self.language, self.today)
        # A facet counts the labs matching every filter but its own: when its own filter is
        # the only one, that is every lab, as counted without filters.
        from_cache = [name for name in conditions if name in FACET_SOURCES]
        from_cache = from_cache if len(conditions) == 1 else []
        found = count_labs(conditions, language=self.language, today=self.today, skip=from_cache)
        if from_cache:
            unfiltered = unfiltered_counts(self.language, self.today)
            for name in from_cache:
                found.facets[name] = unfiltered.facets[name]
        if "country" not in conditions:
            found.countries = found.facets["country"]
        return found

    # -- What the page shows ---------------------------------------------------------------------

    def _choice(self, name, value, label, count, multiple, lang=""):
        selected = value in self.data.getlist(name)
        if selected:
            url = self.parameters.without("page").without(name, value).url(self.base_url)
        else:
            url = f"{self._choice_url(name, multiple)}{name}={quote_plus(value)}"
        return Choice(value, label, count, selected, url, lang)

    def _choice_url(self, name: str, multiple: bool) -> str:
        """The start of the address of a choice of filter ``name`` not selected yet: the
        parameters in force (a single-valued filter's own left out), then the choice's."""
        starts = self._choice_urls
        if name not in starts:
            parameters = self.parameters.without("page")
            if not multiple:
                parameters = parameters.without(name)
            query = urlencode(parameters.pairs)
            starts[name] = f"{self.base_url}?{query}&" if query else f"{self.base_url}?"
        return starts[name]

    def facets(self, counts: "Counts") -> list[Facet]:
        """Each filter's choices with how many labs match them given the other filters."""
        return [
            getattr(self, f"_{name}_facet")(counts.facets.get(name, {})) for name in FACET_SOURCES
        ]

    def _country_facet(self, counts):
        codes = set(counts) | {code.upper() for code in self.data.getlist("country")}
        choices = [
            self._choice("country", code.lower(), country_name(code), counts.get(code, 0), True)
            for code in codes
        ]
        choices.sort(key=lambda choice: name_key(choice.label))
        return Facet("country", self.filters["country"].label, choices, multiple=True)

    def _region_facet(self, counts):
        choices = [
            self._choice("region", value, label, counts.get(value, 0), False)
            for value, label in Region.choices
        ]
        return Facet("region", self.filters["region"].label, choices)

    def _instrument_facet(self, counts):
        choices = [
            self._choice(
                "instrument",
                i.code.lower(),
                f"{i.code} – {i.name}",
                counts.get(str(i.pk), 0),
                False,
            )
            for i in self.instruments
        ]
        return Facet("instrument", self.filters["instrument"].label, choices)

    def _institute_facet(self, counts):
        choices = [
            self._choice("institute", i.code.lower(), str(i), counts.get(str(i.pk), 0), False)
            for i in self.institutes
        ]
        return Facet("institute", self.filters["institute"].label, choices)

    def _theme_facet(self, counts):
        choices = [
            self._choice(
                "theme",
                t.slug,
                t.name,
                counts.get(str(t.pk), 0),
                False,
                lang=fallback_language(t, "name", self.language),
            )
            for t in self.themes
        ]
        choices.sort(key=lambda choice: name_key(choice.label))
        return Facet("theme", self.filters["theme"].label, choices)

    def _partner_facet(self, counts):
        """The partners of the most matching labs (and the chosen one), by name: one query."""
        chosen = {p.pk for p in self.partners if p.slug in self.data.getlist("partner")}
        top = sorted(counts, key=lambda pk: (-counts[pk], int(pk)))[:PARTNER_CHOICES]
        shown = {int(pk) for pk in top} | chosen
        # One query whatever the counts (an empty IN would run none): a page runs the same
        # queries with or without partners among its matches.
        partners = list(Partner.objects.filter(pk__in=sorted(shown) or [0]))
        choices = [
            self._choice(
                "partner",
                p.slug,
                _with_acronym(p.name, distinct_acronym(p.name, p.acronym)),
                counts.get(str(p.pk), 0),
                False,
                lang=fallback_language(p, "name", self.language),
            )
            for p in partners
        ]
        choices.sort(key=lambda choice: name_key(choice.label))
        return Facet("partner", self.filters["partner"].label, choices)

    def _status_facet(self, counts):
        choices = [
            self._choice("status", value, label, counts.get(value, 0), False)
            for value, label in STATUS_CHOICES
        ]
        return Facet("status", self.filters["status"].label, choices)

    def _industry_facet(self, counts):
        choices = [
            self._choice("industry", "yes", label, counts.get("true", 0), False)
            for _value, label in INDUSTRY_CHOICES
        ]
        return Facet("industry", self.filters["industry"].label, choices)

    def active_filters(self) -> list[ActiveFilter]:
        """The filters in force, each with the address of the list without it."""
        labels = {
            "country": lambda v: country_name(v.upper()),
            "region": lambda v: Region(v).label,
            "instrument": lambda v: v.upper(),
            "institute": lambda v: v.upper(),
            "theme": lambda v: next((t.name for t in self.themes if t.slug == v), v),
            "partner": lambda v: next((p.name for p in self.partners if p.slug == v), v),
            "status": lambda v: dict(STATUS_CHOICES)[v],
            "industry": lambda v: dict(INDUSTRY_CHOICES)[v],
            "q": lambda v: v,
        }
        base = self.parameters.without("page")
        return [
            ActiveFilter(
                name,
                self.filters[name].label,
                str(labels[name](value)),
                base.without(name, value).url(self.base_url),
            )
            for name, value in self.parameters.pairs
            if name in labels
        ]


# What a list entry does not show: left in the database when reading a page of labs.
LIST_DEFERRED_OWN = (
    "search_vector_fr",
    "search_vector_en",
    "description",
    "description_fr",
    "description_en",
)
INSTRUMENT_DEFERRED = ("search_vector_fr", "search_vector_en")
LIST_DEFERRED = LIST_DEFERRED_OWN + tuple(f"instrument__{name}" for name in INSTRUMENT_DEFERRED)


class LabsInOrder:
    """The labs of the ordered queryset ``labs``, in its order, for a paginator: a page reads
    the ids of its labs (found in the indexes alone, however far the page), then the rows of
    those labs only, with what ``shown`` adds to them."""

    def __init__(self, labs, shown):
        self.labs = labs
        self.shown = shown

    @property
    def ordered(self) -> bool:  # what a paginator checks
        return self.labs.ordered

    def count(self) -> int:
        return self.labs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        page = self.labs.filter(pk__in=self.labs.values("pk")[item])
        return list(self.shown(page))


# -- The counting statement ----------------------------------------------------------------------


@dataclass(frozen=True)
class FacetSource:
    """What a facet counts: labs by the value of ``value`` (an expression of the Lab row),
    or by each of its values when ``many`` (an array)."""

    value: Callable[[datetime.date], object]  # today → the expression
    many: bool = False


# The facets, in the page's order. A facet is a filter of LabFilterSet (its condition in
# ``conditions``), a source here, and a ``_<name>_facet`` method making its choices.
FACET_SOURCES = {
    "country": FacetSource(lambda today: F("country_codes"), many=True),
    "region": FacetSource(lambda today: F("region_codes"), many=True),
    "instrument": FacetSource(lambda today: F("instrument_id")),
    "institute": FacetSource(lambda today: F("institute_ids"), many=True),
    "theme": FacetSource(lambda today: F("theme_ids"), many=True),
    "partner": FacetSource(lambda today: F("partner_ids"), many=True),
    "status": FacetSource(LabCondition.status),
    "industry": FacetSource(lambda today: F("has_company_partner")),
}


@dataclass
class Counts:
    """What the labs list counts. Facet values are text, as the statement gives them: ISO
    codes, regions, ids, statuses, ``true``/``false``."""

    total: int
    facets: dict[str, dict[str, int]]
    countries: dict[str, int]  # the map: matching labs per country
    cities: list[dict]  # the map's markers: latitude, longitude, label, count
    # Counted by a transaction that has written: it sees its own writes, which nobody
    # else may ever see (see unfiltered_counts).
    by_writer: bool = False


def count_labs(conditions: dict[str, Q], *, language: str, today: datetime.date, skip=()) -> Counts:
    """The facet counts (but those of ``skip``), the total and the map of the published labs
    matching ``conditions``, in one statement.

    A CTE reads, once, the labs that count anywhere (those failing at most one filter) with a
    boolean per filter, and a second one keeps those matching every filter; then each facet
    is a GROUP BY (over ``unnest`` of an array) of the rows matching every filter but its
    own, all of them joined by ``UNION ALL``.
    """
    # Filters whose failure a facet counts past: the facets' own, when computed here.
    own = [name for name in conditions if name in FACET_SOURCES and name not in skip]
    others = [condition for name, condition in conditions.items() if name not in own]
    labs = Lab.objects.published().filter(*others)
    if len(own) == 1:
        pass  # its facet counts past it; every other facet needs the rest only
    elif own:
        # Failing at most one of them: passing at least one of every pair.
        labs = labs.filter(
            *(conditions[a] | conditions[b] for a, b in itertools.combinations(own, 2))
        )
    columns = {f"f_{name}": ExpressionWrapper(conditions[name], BooleanField()) for name in own}
    counted = [name for name in FACET_SOURCES if name not in skip]
    for name in counted:
        columns[f"v_{name}"] = FACET_SOURCES[name].value(today)
    if "country" in conditions and "v_country" not in columns:
        columns["v_country"] = F("country_codes")
    columns |= {
        "v_latitude": F("latitude"),
        "v_longitude": F("longitude"),
        "v_city": localized("city", language),
    }
    base = labs.annotate(**columns).values(*columns).order_by()
    base_sql, params = base.query.sql_with_params()

    # The labs matching every filter, read once more by most counts: a CTE of their own
    # (the base itself when no facet counts past its filter).
    if own:
        every = " AND ".join(f"f_{name}" for name in own)
        # Of a lab failing a filter, only the values of that filter's facet are counted:
        # the others are left out of the base (NULL), which keeps it small.
        kept = [f"f_{name}" for name in own] + [
            f"v_{name}" if name in own else f"CASE WHEN {every} THEN {column} END AS {column}"
            for column in columns
            if column.startswith("v_")
            for name in [column.removeprefix("v_")]
        ]
        # OFFSET 0: the scan computes each filter's boolean once, then the CASEs read it.
        ctes = [
            f"base AS MATERIALIZED (SELECT {', '.join(kept)} FROM ({base_sql} OFFSET 0) AS scan)",
            f"matching AS MATERIALIZED (SELECT * FROM base WHERE {every})",
        ]
    else:
        ctes = [f"matching AS MATERIALIZED ({base_sql})"]

    def rows_for(facet=None) -> str:
        """The rows a count reads: those matching every filter but ``facet``'s own."""
        if facet not in own:
            return "matching"
        rest = " AND ".join(f"f_{name}" for name in own if name != facet)
        return f"base WHERE {rest}" if rest else "base"

    branches = [
        "SELECT 'total' AS facet, pg_current_xact_id_if_assigned()::text AS value, "
        "count(*) AS count, NULL::numeric AS latitude, NULL::numeric AS longitude "
        "FROM matching"
    ]
    for name in counted:
        if FACET_SOURCES[name].many:
            branches.append(
                f"SELECT 'facet:{name}', item::text, count(*), NULL, NULL "
                f"FROM (SELECT unnest(v_{name}) AS item FROM {rows_for(name)}) AS items "
                "GROUP BY item"
            )
        else:
            branches.append(
                f"SELECT 'facet:{name}', v_{name}::text, count(*), NULL, NULL "
                f"FROM {rows_for(name)} GROUP BY v_{name}"
            )
    if "country" in conditions:
        branches.append(
            "SELECT 'map', item::text, count(*), NULL, NULL "
            "FROM (SELECT unnest(v_country) AS item FROM matching) AS items GROUP BY item"
        )
    branches.append(
        "(SELECT 'city', min(v_city), count(*), v_latitude, v_longitude FROM matching "
        "WHERE v_latitude IS NOT NULL AND v_longitude IS NOT NULL "
        "GROUP BY v_latitude, v_longitude "
        f"ORDER BY count(*) DESC, min(v_city), v_latitude, v_longitude LIMIT {MAX_MARKERS:d})"
    )
    sql = f"WITH {', '.join(ctes)} " + " UNION ALL ".join(branches)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()

    found = Counts(total=0, facets={name: {} for name in counted}, countries={}, cities=[])
    for kind, value, count, latitude, longitude in rows:
        if kind == "total":
            found.total, found.by_writer = count, value is not None
        elif kind == "map":
            found.countries[value] = count
        elif kind == "city":
            found.cities.append(
                {"latitude": latitude, "longitude": longitude, "label": value, "count": count}
            )
        elif value is not None:
            found.facets[kind.removeprefix("facet:")][value] = count
    return found


# Entries live until the content changes (their key then changes) or this many seconds pass.
UNFILTERED_COUNTS_SECONDS = 24 * 60 * 60


def unfiltered_counts(language: str, today: datetime.date) -> Counts:
    """The counts of every published lab (the home, countries and instruments pages, the
    unfiltered labs list), computed by the labs list's own statement and kept in the shared
    cache under the content version: every worker reuses them until the content changes."""
    version = content.read()
    key = f"labs:counts:v1:{version.number}:{today.isoformat()}:{language}"
    # Not settled: a transaction still running may change what is counted now, so nothing
    # is kept under this version (and nothing was: a version, once settled, stays so).
    found = shared_cache.get(key) if version.settled else None
    if found is None:
        found = count_labs({}, language=language, today=today)
        found.countries = found.facets["country"]
        # Nor what a transaction counts after writing: its version may still name the
        # state before (or, once committed, after) some of its writes.
        if version.settled and not found.by_writer:
            shared_cache.set(key, found, UNFILTERED_COUNTS_SECONDS)
    return found


# After its commit, the writer waits at most this long for the transactions older than its
# own to end (an autovacuum's analyze, another editor's save), polling at this interval:
# counts of a version that is not settled may not be kept, and the first visitor would wait.
SETTLE_WAIT_SECONDS = 2.0
SETTLE_POLL_SECONDS = 0.05


def refresh_unfiltered_counts() -> None:
    """After a committed write (core.refresh): the counts of the new version in every
    language, so that no visitor waits for them (nothing to do when they are there). It
    runs after the writer's response is sent, so the short wait for a settled version
    holds no one."""
    deadline = time.monotonic() + SETTLE_WAIT_SECONDS
    while not content.read().settled and time.monotonic() < deadline:
        time.sleep(SETTLE_POLL_SECONDS)
    today = datetime.date.today()
    for language, _name in settings.LANGUAGES:
        unfiltered_counts(language, today)


PAGE_NUMBER = re.compile(r"[0-9]{1,9}")


def read_page(data: QueryDict, problems: list[Problem]) -> int | str:
    """The page asked for: a number from 1, or "last"; anything else is a problem (page 1)."""
    raw = first_value(data, "page", problems)
    if not raw:
        return 1
    if raw == "last":
        return raw
    if not PAGE_NUMBER.fullmatch(raw) or int(raw) < 1:
        problems.append(
            Problem("page", _shown(raw), _("not a page number; the first page is shown"))
        )
        return 1
    return int(raw)


def read_format(data: QueryDict, problems: list[Problem]) -> str:
    """ "csv", "json", or "" for the page itself."""
    raw = first_value(data, "format", problems)
    if raw and raw.lower() not in {"csv", "json", "html"}:
        problems.append(Problem("format", _shown(raw), _("not a known format (csv or json)")))
        return ""
    return "" if raw.lower() == "html" else raw.lower()


def _with_acronym(name: str, acronym: str) -> str:
    return f"{name} ({acronym})" if acronym else name
