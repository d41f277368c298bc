"""The labs list's filters: one FilterSet, what it did not understand, and its facet counts.

A wrong value is never silently dropped: every value the FilterSet cannot use becomes a
:class:`Problem` that the page shows (or that makes an export answer 400), and the valid
filters still apply. Values are matched case-insensitively and written back in lower case.

The same filters work two ways, always on the published labs: in SQL (``qs``, for the CSV and
JSON exports of every match), and on the labs index (:mod:`laboratories.index`: the facet
counts, the map and the pages of the list), which tests keep equal to the SQL.
"""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import quote_plus, urlencode

import django_filters
from django.conf import settings
from django.db.models import (
    F,
    Func,
    IntegerField,
    OuterRef,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.http import QueryDict
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from instruments.models import Instrument

from .index import LabIndex, plain_rows
from .index import current as current_index
from .models import Institute, Lab, Theme
from .regions import REGION_BY_COUNTRY, Region, country_alphabet, country_name
from .search import MAX_QUERY_LENGTH, fold, matched_stems, query_terms

MAX_VALUE_LENGTH = 80
# Control characters, and the replacement character of bytes that were not UTF-8.
UNREADABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


STATUS_CHOICES = [("active", _("Active")), ("ended", _("Ended"))]
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
    ``institute``, ``theme``, ``status``, ``industry``, ``q``, and the ``sort`` order."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    country = django_filters.MultipleChoiceFilter(label=_("Country"), method="filter_country")
    region = django_filters.ChoiceFilter(
        label=_("Region"), choices=Region.choices, method="filter_region"
    )
    instrument = django_filters.ChoiceFilter(label=_("Instrument"), method="filter_instrument")
    institute = django_filters.ChoiceFilter(label=_("Institute"), method="filter_institute")
    theme = django_filters.ChoiceFilter(label=_("Theme"), method="filter_theme")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status"
    )
    industry = django_filters.ChoiceFilter(
        label=_("Industry"), choices=INDUSTRY_CHOICES, method="filter_industry"
    )
    sort = django_filters.ChoiceFilter(label=_("Sort by"), choices=SORT_CHOICES, method="no_filter")

    class Meta:
        model = Lab
        fields = []

    def __init__(self, data=None, *, base_url="", today=None, language=None):
        self.today = today or datetime.date.today()
        self.language = (language or translation.get_language() or "fr")[:2]
        self.base_url = base_url
        self.problems: list[Problem] = []
        self._choice_urls: dict[str, str] = {}
        self.instruments = list(Instrument.objects.ordered())
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
        self.data = self._understood(as_query_dict(data))
        self.is_bound = True

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

    def no_filter(self, queryset, name, value):
        return queryset

    def filter_q(self, queryset, name, value):
        return queryset.search(value, self.language)

    def filter_country(self, queryset, name, value):
        return queryset.in_countries(value)

    def filter_region(self, queryset, name, value):
        return queryset.in_region(value)

    def filter_instrument(self, queryset, name, value):
        return queryset.filter(instrument_id=self._instrument_ids[value])

    def filter_institute(self, queryset, name, value):
        return queryset.involving_institute(self._institute_ids[value])

    def filter_theme(self, queryset, name, value):
        return queryset.with_theme(self._theme_ids[value])

    def filter_status(self, queryset, name, value):
        if value == "ended":
            return queryset.ended_on(self.today)
        return queryset.not_ended_on(self.today)

    def filter_industry(self, queryset, name, value):
        return queryset.with_industry()

    def filtered(self, *, without: str | None = None):
        """The published labs matching every filter but ``without``, not ordered."""
        queryset = self.queryset.all()
        self.form.is_valid()
        for name, value in self.form.cleaned_data.items():
            if name not in {without, "sort"} and value not in (None, "", []):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_queryset(self, queryset):
        return self.ordered(self.filtered())

    def ordered(self, queryset):
        name = Lab.name_order(self.language)
        sort = self.sort_order
        if sort == "relevance" and self.query:
            return queryset.order_by(F("search_rank").desc(), name, "pk")
        if sort == "-start":
            return queryset.order_by(F("start_date").desc(nulls_last=True), name, "pk")
        if sort == "start":
            return queryset.order_by(F("start_date").asc(nulls_last=True), name, "pk")
        if sort == "country":
            return queryset.annotate(country_rank=self._first_country_rank()).order_by(
                F("country_rank").asc(nulls_last=True), name, "pk"
            )
        return queryset.order_by(name, "pk")

    def _first_country_rank(self):
        """The position of the lab's first country in the alphabet of the page's language."""
        codes = list(country_alphabet(self.language))
        return Subquery(
            Lab.countries.through.objects.filter(lab_id=OuterRef("pk"))
            .annotate(
                position=Func(
                    Value(codes),
                    F("country_id"),
                    function="array_position",
                    output_field=IntegerField(),
                )
            )
            .order_by("position")
            .values("position")[:1],
            output_field=IntegerField(),
        )

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

    # -- The labs index: counts, order and pages -------------------------------------------------

    @cached_property
    def index(self) -> LabIndex:
        return current_index()

    @cached_property
    def search_ranks(self) -> dict[int, float]:
        """Lab id → search rank of the labs matching ``q`` (one query)."""
        return search_ranks(self.query, self.language) if self.query else {}

    @cached_property
    def _masks(self) -> dict:
        """The labs each filter in force lets through, as index masks."""
        index = self.index
        makers = {
            "q": lambda value: index.with_ids(self.search_ranks),
            "country": index.in_countries,
            "region": index.in_region,
            "instrument": lambda value: index.with_instrument(self._instrument_ids[value]),
            "institute": lambda value: index.involving_institute(self._institute_ids[value]),
            "theme": lambda value: index.with_theme(self._theme_ids[value]),
            "status": lambda value: (
                index.ended_on(self.today) if value == "ended" else index.not_ended_on(self.today)
            ),
            "industry": lambda value: index.with_industry(),
        }
        # self.data holds only understood values (see _understood): no form to clean.
        masks = {}
        for name, make in makers.items():
            values = self.data.getlist(name)
            if values:
                masks[name] = make(values if name == "country" else values[0])
        return masks

    def mask(self, *, without: str | None = None):
        """The labs matching every filter but ``without``, as an index mask."""
        mask = self.index.everything()
        for name, found in self._masks.items():
            if name != without:
                mask &= found
        return mask

    @cached_property
    def result(self) -> "IndexedLabs":
        """The matching labs in the chosen order, for a paginator (one query per page)."""
        index, mask, sort = self.index, self.mask(), self.sort_order
        if sort == "relevance" and self.query:
            return ranked_labs(index, mask, self.search_ranks, self.language)
        order = index.order(self.language, sort)
        return IndexedLabs(index.ids[order[mask[order]]])

    def facets(self) -> list[Facet]:
        """Each filter's choices with how many labs match them given the other filters,
        counted on the labs index (no query)."""
        return [
            self._country_facet(),
            self._region_facet(),
            self._instrument_facet(),
            self._institute_facet(),
            self._theme_facet(),
            self._status_facet(),
            self._industry_facet(),
        ]

    def country_counts(self, *, without_country_filter: bool = True) -> dict[str, int]:
        """Labs per country code (upper case) among the filtered labs."""
        mask = self.mask(without="country" if without_country_filter else None)
        return self.index.count_by_country(mask)

    @cached_property
    def country_facet_counts(self) -> dict[str, int]:
        """Labs per country given every filter but the country one (the country facet)."""
        return self.country_counts()

    def city_rows(self, limit: int) -> list[dict]:
        """The places of the filtered labs, with most labs first (the map's markers)."""
        return self.index.city_rows(self.mask(), self.language, limit)

    def _country_facet(self):
        counts = self.country_facet_counts
        codes = set(counts) | {code.upper() for code in self.data.getlist("country")}
        choices = [
            self._choice("country", code.lower(), country_name(code), counts.get(code, 0), True)
            for code in codes
        ]
        choices.sort(key=lambda choice: fold(choice.label).lower())
        return Facet("country", self.filters["country"].label, choices, multiple=True)

    def _region_facet(self):
        counts = self.index.count_by_region(self.mask(without="region"))
        choices = [
            self._choice("region", value, label, counts.get(value, 0), False)
            for value, label in Region.choices
        ]
        return Facet("region", self.filters["region"].label, choices)

    def _instrument_facet(self):
        counts = self.index.count_by_instrument(self.mask(without="instrument"))
        choices = [
            self._choice(
                "instrument", i.code.lower(), f"{i.code} – {i.name}", counts.get(i.pk, 0), False
            )
            for i in self.instruments
        ]
        return Facet("instrument", self.filters["instrument"].label, choices)

    def _institute_facet(self):
        counts = self.index.count_by_institute(self.mask(without="institute"))
        choices = [
            self._choice("institute", i.code.lower(), str(i), counts.get(i.pk, 0), False)
            for i in self.institutes
        ]
        return Facet("institute", self.filters["institute"].label, choices)

    def _theme_facet(self):
        counts = self.index.count_by_theme(self.mask(without="theme"))
        choices = [
            self._choice(
                "theme",
                t.slug,
                t.name,
                counts.get(t.pk, 0),
                False,
                lang=fallback_language(t, "name", self.language),
            )
            for t in self.themes
        ]
        choices.sort(key=lambda choice: fold(choice.label).lower())
        return Facet("theme", self.filters["theme"].label, choices)

    def _status_facet(self):
        counts = self.index.count_by_status(self.mask(without="status"), self.today)
        choices = [
            self._choice("status", value, label, counts[value], False)
            for value, label in STATUS_CHOICES
        ]
        return Facet("status", self.filters["status"].label, choices)

    def _industry_facet(self):
        counts = {"yes": self.index.count_with_industry(self.mask(without="industry"))}
        choices = [
            self._choice("industry", value, label, counts[value], False)
            for value, label in INDUSTRY_CHOICES
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
LIST_DEFERRED = (
    "search_vector_fr",
    "search_vector_en",
    "description",
    "description_fr",
    "description_en",
)


class IndexedLabs:
    """Lab ids in order, read from the database a page at a time: what a paginator needs."""

    def __init__(self, ids):
        self.ids = ids

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, item):
        if not isinstance(item, slice):
            position = range(len(self.ids))[item]  # negative positions, IndexError
            return self[position : position + 1][0]
        wanted = [int(lab_id) for lab_id in self.ids[item]]
        found = Lab.objects.filter(pk__in=wanted).defer(*LIST_DEFERRED).select_related("instrument")
        labs = {lab.pk: lab for lab in found.prefetch_related("countries")}
        return [labs[lab_id] for lab_id in wanted if lab_id in labs]


def search_ranks(query: str, language: str) -> dict[int, float]:
    """Lab id → search rank of the published labs matching ``query`` (one query).

    Read with a plain cursor: thousands of rows may match, and the ORM's row objects cost
    more than the query itself."""
    return dict(
        plain_rows(Lab.objects.published().search(query, language).order_by(), "pk", "search_rank")
    )


def ranked_labs(index: LabIndex, mask, ranks: dict[int, float], language: str) -> IndexedLabs:
    """The labs of ``mask`` among those ``ranks`` holds, best rank first, then by name."""
    return IndexedLabs(index.ids[index.by_relevance(mask & index.with_ids(ranks), ranks, language)])


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
