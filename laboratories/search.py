"""Full-text search of the public site, insensitive to accents and case.

The embedded PostgreSQL has no ``unaccent`` extension, so accents are folded by the portal
itself: :func:`fold` in Python and ``portal_fold(text)`` in SQL apply the same table (the SQL
function is created by migration ``laboratories.0003``; a test keeps both in step).

Each searchable model (labs, centres, offices, instruments) keeps two stored ``tsvector``
columns, ``search_vector_fr`` and ``search_vector_en``, with a GIN index each. Both documents
hold the texts of both languages (``pekin`` finds the lab in Pékin on the English pages too);
they differ by their stemming: French for the French pages, English for the English ones.

Documents are rebuilt by one ``UPDATE ... FROM`` statement per model
(:func:`refresh_search_documents`), after each save and each change of a related list (signals
connected in ``LaboratoriesConfig.ready``), and in bulk by whoever inserts rows without
``save()``: ``Lab.objects.refresh_search_documents()`` rebuilds every lab.

The same statement keeps the facts the labs list filters and counts on, stored on the Lab row
(its countries, regions, institutes, themes, whether a company is among its partners: see
``LabCondition``), as they come from the same related lists at the same moments.
"""

import functools
import json
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, models
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django_countries import countries

SEARCH_CONFIGS = {"fr": "french", "en": "english"}
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MAX_TERM_LENGTH = 60

# Letters that do not decompose under NFKD but have an obvious base letter.
EXTRA_FOLDS = {
    "ß": "ss",
    "Æ": "AE",
    "æ": "ae",
    "Œ": "OE",
    "œ": "oe",
    "Ø": "O",
    "ø": "o",
    "Đ": "D",
    "đ": "d",
    "Ð": "D",
    "ð": "d",
    "Ł": "L",
    "ł": "l",
    "Ħ": "H",
    "ħ": "h",
    "Ŧ": "T",
    "ŧ": "t",
    "ı": "i",
}
_EXTRA_TRANSLATION = str.maketrans(EXTRA_FOLDS)
# The combining diacritical marks that NFKD splits off accented letters.
_COMBINING_MARKS = re.compile("[\u0300-\u036f]+")


def fold(text: str) -> str:
    """``text`` without accents (``Pékin`` → ``Pekin``, ``Œuvre`` → ``OEuvre``); case is kept.

    Compatibility decomposition (NFKD), combining marks removed, recomposition (NFC), then
    :data:`EXTRA_FOLDS`: the same steps as ``portal_fold()`` in SQL.
    """
    stripped = _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text))
    return unicodedata.normalize("NFC", stripped).translate(_EXTRA_TRANSLATION)


def fold_function_sql() -> str:
    """The ``CREATE FUNCTION portal_fold(text)`` statement: :func:`fold` in SQL.

    Linear in the length of the text (a ``translate()`` over a long table of accented
    letters is not: it scans the table for every character), and simple enough for
    PostgreSQL to inline it into the queries that call it.
    """
    base = r"normalize(regexp_replace(normalize($1, NFKD), '[\u0300-\u036f]+', '', 'g'), NFC)"
    singles = {char: base for char, base in EXTRA_FOLDS.items() if len(base) == 1}
    extras = "translate({}, {}, {})".format(
        base, _sql_literal("".join(singles)), _sql_literal("".join(singles.values()))
    )
    for char, replacement in EXTRA_FOLDS.items():
        if len(replacement) > 1:
            extras = f"replace({extras}, {_sql_literal(char)}, {_sql_literal(replacement)})"
    # The extra letters do not decompose: looking for them in the input is enough.
    pattern = _sql_literal("[" + "".join(EXTRA_FOLDS) + "]")
    return (
        "CREATE OR REPLACE FUNCTION portal_fold(text) RETURNS text "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ "
        f"SELECT CASE WHEN $1 ~ {pattern} THEN {extras} ELSE {base} END $$;"
    )


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# -- Queries -------------------------------------------------------------------------------------


def search_config(language: str | None = None) -> str:
    language = (language or translation.get_language() or "fr")[:2]
    return SEARCH_CONFIGS.get(language, SEARCH_CONFIGS["fr"])


def vector_column(language: str | None = None) -> str:
    language = (language or translation.get_language() or "fr")[:2]
    return "search_vector_en" if language == "en" else "search_vector_fr"


def query_terms(text: str) -> list[str]:
    """The words of a visitor's query, folded and lower-cased (at most :data:`MAX_TERMS`)."""
    words = re.findall(r"[^\W_]+", fold(text or "").lower())
    return [word[:MAX_TERM_LENGTH] for word in words[:MAX_TERMS]]


def search_query(text: str, language: str | None = None) -> SearchQuery | None:
    """Every word of ``text`` as a prefix (``pek`` finds Pékin), stemmed; None when empty.

    The words hold letters and digits only, so the raw ``to_tsquery`` syntax never fails.
    """
    terms = query_terms(text)
    if not terms:
        return None
    raw = " & ".join(f"{term}:*" for term in terms)
    return SearchQuery(raw, search_type="raw", config=search_config(language))


def matched_stems(text: str, language: str | None = None) -> list[str]:
    """The stems PostgreSQL looks for (one query), used to highlight the matched words."""
    terms = query_terms(text)
    if not terms:
        return []
    raw = " & ".join(f"{term}:*" for term in terms)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsquery(%s::regconfig, %s)::text", [search_config(language), raw])
        (parsed,) = cursor.fetchone()
    return sorted(set(re.findall(r"'((?:[^']|'')*)'", parsed or "")), key=len, reverse=True)


class SearchableQuerySet(models.QuerySet):
    """Searching and rebuilding the search documents of a model listed in :data:`SPECS`."""

    def search(self, text: str, language: str | None = None):
        """Rows matching every word of ``text``, annotated with ``search_rank``."""
        query = search_query(text, language)
        if query is None:
            return self.none()
        column = vector_column(language)
        return self.filter(**{column: query}).annotate(
            search_rank=SearchRank(models.F(column), query)
        )

    def refresh_search_documents(self) -> int:
        """Rebuild the search documents of these rows (all rows of the table by default)."""
        return refresh_search_documents(self)


# -- Highlighting --------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")


def _matches(word: str, stems: list[str]) -> bool:
    folded = fold(word).lower()
    return any(folded.startswith(stem) for stem in stems)


def highlight(text: str, stems: list[str], limit: int | None = None) -> SafeString:
    """``text`` escaped, with the words starting with one of ``stems`` in ``<mark>``.

    With ``limit``, a long text is cut to about ``limit`` characters around the first match.
    """
    text = text or ""
    if limit and len(text) > limit:
        text = _excerpt(text, stems, limit)
    if not stems:
        return escape(text)
    parts = []
    position = 0
    for match in _WORD.finditer(text):
        if _matches(match.group(), stems):
            parts.append(escape(text[position : match.start()]))
            parts.append(f"<mark>{escape(match.group())}</mark>")
            position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 (every piece is escaped above)


def _excerpt(text: str, stems: list[str], limit: int) -> str:
    first = next(
        (match.start() for match in _WORD.finditer(text) if _matches(match.group(), stems)), 0
    )
    start = max(0, first - limit // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = start + limit
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


# -- Documents -----------------------------------------------------------------------------------


@dataclass
class Related:
    """Texts from related rows: ``sql`` selects ``(owner_id, fr, en)``."""

    name: str
    sql: str
    weight: str


@dataclass
class Stored:
    """A column of the row kept by the same refresh as its documents: ``sql`` selects
    ``(owner_id, item)`` rows, ``aggregate`` makes the value of the items of one owner, and
    ``empty`` is the value of a row without items."""

    column: str
    sql: str
    aggregate: str
    empty: str


@dataclass
class DocumentSpec:
    """What goes into a model's search documents, by weight (A most important), and the
    columns kept along with them."""

    table: str
    own: dict[str, list[str]]
    related: list[Related] = field(default_factory=list)
    stored: list[Stored] = field(default_factory=list)

    @property
    def weights(self) -> list[str]:
        return sorted({*self.own, *(rel.weight for rel in self.related)})

    def text_sql(self, weight: str) -> str:
        """The folded text of one weight, from the row (``t``) and the relations' CTEs."""
        parts = [f"t.{column}" for column in self.own.get(weight, [])]
        parts += [f"{rel.name}.fr, {rel.name}.en" for rel in self.related if rel.weight == weight]
        return "portal_fold(concat_ws(' ', {}))".format(", ".join(parts))

    def vector_sql(self, config: str) -> str:
        return " || ".join(
            f"setweight(to_tsvector('{config}', d.text_{weight.lower()}), '{weight}')"
            for weight in self.weights
        )


@functools.cache
def _country_names_json() -> str:
    names = {}
    for language in SEARCH_CONFIGS:
        with translation.override(language):
            for code, name in countries:
                names.setdefault(code, {})[language] = str(name)
    return json.dumps(names, ensure_ascii=False)


def _countries_of(through: str, owner: str, country: str = "country_id") -> str:
    return (
        f"SELECT x.{owner} AS owner_id, n.value ->> 'fr' AS fr, n.value ->> 'en' AS en "
        f"FROM {through} x JOIN country_name n ON n.key = x.{country}"
    )


SPECS = {
    "laboratories.lab": DocumentSpec(
        table="laboratories_lab",
        own={
            "A": ["name_fr", "name_en", "acronym"],
            "B": ["city_fr", "city_en"],
            "C": ["summary_fr", "summary_en", "director"],
            "D": ["description_fr", "description_en"],
        },
        related=[
            Related("countries", _countries_of("laboratories_lab_countries", "lab_id"), "B"),
            Related(
                "partners",
                "SELECT x.lab_id, p.name_fr, concat_ws(' ', p.name_en, p.acronym) "
                "FROM laboratories_lab_partners x "
                "JOIN laboratories_partner p ON p.id = x.partner_id",
                "B",
            ),
            Related(
                "themes",
                "SELECT x.lab_id, t.name_fr, t.name_en FROM laboratories_lab_themes x "
                "JOIN laboratories_theme t ON t.id = x.theme_id",
                "C",
            ),
        ],
        stored=[
            Stored(
                "country_codes",
                "SELECT lab_id, country_id::text FROM laboratories_lab_countries",
                "array_agg(DISTINCT item ORDER BY item)",
                "'{}'::text[]",
            ),
            Stored(
                "region_codes",
                "SELECT x.lab_id, c.region::text FROM laboratories_lab_countries x "
                "JOIN laboratories_country c ON c.code = x.country_id",
                "array_agg(DISTINCT item ORDER BY item)",
                "'{}'::text[]",
            ),
            Stored(
                "institute_ids",
                "SELECT id, lead_institute_id FROM laboratories_lab UNION ALL "
                "SELECT lab_id, institute_id FROM laboratories_lab_other_institutes",
                "array_agg(DISTINCT item ORDER BY item)",
                "'{}'::bigint[]",
            ),
            Stored(
                "theme_ids",
                "SELECT lab_id, theme_id FROM laboratories_lab_themes",
                "array_agg(DISTINCT item ORDER BY item)",
                "'{}'::bigint[]",
            ),
            *(
                Stored(
                    f"country_sort_{language}",
                    f"SELECT x.lab_id, lower(portal_fold(n.value ->> '{language}')) "
                    "FROM laboratories_lab_countries x JOIN country_name n ON n.key = x.country_id",
                    "min(item)",
                    "NULL",
                )
                for language in SEARCH_CONFIGS
            ),
            Stored(
                "has_company_partner",
                # Partner.Kind.COMPANY
                "SELECT x.lab_id, p.kind = 'company' FROM laboratories_lab_partners x "
                "JOIN laboratories_partner p ON p.id = x.partner_id",
                "bool_or(item)",
                "false",
            ),
        ],
    ),
    "laboratories.researchcenter": DocumentSpec(
        table="laboratories_researchcenter",
        own={
            "A": ["name_fr", "name_en", "acronym"],
            "C": ["summary_fr", "summary_en", "other_structures_fr", "other_structures_en"],
            "D": ["description_fr", "description_en"],
        },
        related=[
            Related("country", _countries_of("laboratories_researchcenter", "id"), "B"),
            Related(
                "university",
                "SELECT c.id, p.name_fr, concat_ws(' ', p.name_en, p.acronym) "
                "FROM laboratories_researchcenter c "
                "JOIN laboratories_partner p ON p.id = c.university_id",
                "B",
            ),
            Related(
                "themes",
                "SELECT x.researchcenter_id, t.name_fr, t.name_en "
                "FROM laboratories_researchcenter_themes x "
                "JOIN laboratories_theme t ON t.id = x.theme_id",
                "C",
            ),
        ],
    ),
    "offices.office": DocumentSpec(
        table="offices_office",
        own={
            "A": ["name_fr", "name_en", "city_fr", "city_en"],
            "C": ["summary_fr", "summary_en", "missions_fr", "missions_en", "head"],
            "D": ["address_fr", "address_en"],
        },
        related=[
            Related("country", _countries_of("offices_office", "id"), "B"),
            Related("covered", _countries_of("offices_office_covered_countries", "office_id"), "C"),
        ],
    ),
    "instruments.instrument": DocumentSpec(
        table="instruments_instrument",
        own={
            "A": ["code", "name_fr", "name_en"],
            "B": ["tagline_fr", "tagline_en"],
            "C": [
                "purpose_fr",
                "purpose_en",
                "audience_fr",
                "audience_en",
                "prerequisites_fr",
                "prerequisites_en",
            ],
            "D": [
                "how_to_apply_fr",
                "how_to_apply_en",
                "evaluation_fr",
                "evaluation_en",
                "formalisation_fr",
                "formalisation_en",
                "funding_details_fr",
                "funding_details_en",
                "call_window_fr",
                "call_window_en",
            ],
        },
    ),
}


def refresh_search_documents(queryset) -> int:
    """Rebuild both search documents of every row of ``queryset``, and its stored columns,
    in one statement.

    Returns the number of rows updated. Fast in bulk: related texts are aggregated once per
    relation (GROUP BY) and joined, not looked up row by row.
    """
    model = queryset.model
    spec = SPECS[model._meta.label_lower]
    # A model of an older migration state may not have every stored column yet.
    columns = {field.column for field in model._meta.concrete_fields}
    stored = [item for item in spec.stored if item.column in columns]
    scope_sql, scope_params = queryset.order_by().values("pk").query.sql_with_params()
    ctes = [
        "country_name AS MATERIALIZED (SELECT key, value FROM jsonb_each(%s::jsonb))",
        f"scope(id) AS MATERIALIZED (SELECT DISTINCT * FROM ({scope_sql}) AS chosen)",
    ]
    params = [_country_names_json(), *scope_params]
    joins = []
    for rel in spec.related:
        ctes.append(
            f"{rel.name} AS (SELECT owner_id, string_agg(fr, ' ') AS fr, "
            f"string_agg(en, ' ') AS en FROM ({rel.sql}) AS r(owner_id, fr, en) "
            f"WHERE owner_id IN (SELECT id FROM scope) GROUP BY owner_id)"
        )
        joins.append(f"LEFT JOIN {rel.name} ON {rel.name}.owner_id = s.id")
    values = [f"{spec.text_sql(w)} AS text_{w.lower()}" for w in spec.weights]
    sets = [
        f"search_vector_fr = {spec.vector_sql('french')}",
        f"search_vector_en = {spec.vector_sql('english')}",
    ]
    for item in stored:
        name = f"stored_{item.column}"
        ctes.append(
            f"{name} AS (SELECT owner_id, {item.aggregate} AS value "
            f"FROM ({item.sql}) AS r(owner_id, item) "
            f"WHERE owner_id IN (SELECT id FROM scope) GROUP BY owner_id)"
        )
        joins.append(f"LEFT JOIN {name} ON {name}.owner_id = s.id")
        values.append(f"coalesce({name}.value, {item.empty}) AS {name}")
        sets.append(f"{item.column} = d.{name}")
    # Each text is folded once, then parsed in both languages.
    ctes.append(
        f"d AS MATERIALIZED (SELECT s.id, {', '.join(values)} FROM scope AS s "
        f"JOIN {spec.table} AS t ON t.id = s.id {' '.join(joins)})"
    )
    sql = (
        f"WITH {', '.join(ctes)} UPDATE {spec.table} AS t "
        f"SET {', '.join(sets)} FROM d WHERE t.id = d.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


# -- Keeping documents current -------------------------------------------------------------------


def _refresh_instance(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_documents(type(instance)._default_manager.filter(pk=instance.pk))


def _refresh_related(model, relation: str, pks) -> None:
    if pks:
        refresh_search_documents(model._default_manager.filter(**{f"{relation}__in": pks}))


def connect_signals() -> None:
    """Rebuild a row's documents when it, or a text it borrows from a related row, changes."""
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

    from instruments.models import Instrument
    from offices.models import Office

    from .models import Country, Institute, Lab, Partner, ResearchCenter, Theme

    for model in (Lab, ResearchCenter, Office, Instrument):
        post_save.connect(_refresh_instance, sender=model, dispatch_uid=f"search-{model.__name__}")

    relations = [
        (Lab, "countries"),
        (Lab, "partners"),
        (Lab, "themes"),
        (Lab, "other_institutes"),
        (ResearchCenter, "themes"),
        (Office, "covered_countries"),
    ]
    for model, name in relations:
        through = getattr(model, name).through

        def changed(sender, instance, action, reverse, pk_set, model=model, name=name, **kw):
            if action == "pre_clear" and reverse:
                instance._search_pks = list(
                    model._default_manager.filter(**{name: instance}).values_list("pk", flat=True)
                )
            elif action in {"post_add", "post_remove", "post_clear"}:
                if not reverse:
                    _refresh_instance(model, instance)
                elif action == "post_clear":
                    _refresh_related(model, "pk", getattr(instance, "_search_pks", []))
                else:
                    _refresh_related(model, "pk", pk_set)

        m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid=f"search-{through}")

    # Partners and themes lend their names to labs and centres; a partner its kind, a
    # country its region, a theme and an institute their id to the labs' stored columns.
    borrowers = {
        Partner: [(Lab, "partners"), (ResearchCenter, "university")],
        Theme: [(Lab, "themes"), (ResearchCenter, "themes")],
        Country: [(Lab, "countries")],
        Institute: [(Lab, "other_institutes")],
    }
    # An institute lends nothing a save can change: only its deletion matters.
    deleted_only = {Institute}
    for lender, users in borrowers.items():

        def lender_saved(sender, instance, raw=False, users=users, **kwargs):
            if not raw:
                for model, relation in users:
                    _refresh_related(model, relation, [instance.pk])

        def lender_deleting(sender, instance, users=users, **kwargs):
            instance._search_borrowers = [
                (
                    model,
                    list(
                        model._default_manager.filter(**{relation: instance}).values_list(
                            "pk", flat=True
                        )
                    ),
                )
                for model, relation in users
            ]

        def lender_deleted(sender, instance, **kwargs):
            for model, pks in getattr(instance, "_search_borrowers", []):
                _refresh_related(model, "pk", pks)

        uid = f"search-{lender.__name__}"
        if lender not in deleted_only:
            post_save.connect(lender_saved, sender=lender, weak=False, dispatch_uid=f"{uid}-save")
        pre_delete.connect(lender_deleting, sender=lender, weak=False, dispatch_uid=f"{uid}-pre")
        post_delete.connect(lender_deleted, sender=lender, weak=False, dispatch_uid=f"{uid}-del")
