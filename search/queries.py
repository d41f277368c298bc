"""Searching: a visitor's words as a PostgreSQL full-text query, and the words found shown
in ``<mark>``.

Each searchable model keeps two stored ``tsvector`` columns, ``search_vector_fr`` and
``search_vector_en``, with a GIN index each (:mod:`search.documents` builds them). Both hold
the texts of both languages (``pekin`` finds the lab in Pékin on the English pages too); they
differ by their stemming: French for the French pages, English for the English ones.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, models
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.text import fold

from .documents import SEARCH_CONFIGS, refresh_search_documents

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MAX_TERM_LENGTH = 60


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
    """Searching and rebuilding the search documents of a model that declares them."""

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
