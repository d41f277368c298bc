"""Text folding: accents and case set aside, the same in Python and in SQL.

The embedded PostgreSQL has no ``unaccent`` extension, so the portal folds accents itself:
:func:`fold` in Python and ``portal_fold(text)`` in SQL (created by this app's migration from
:func:`fold_function_sql`) apply the same table; a test keeps both in step. Sort keys and
search documents are built with it.
"""

import functools
import re
import unicodedata

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


@functools.lru_cache(maxsize=8192)  # country, theme and partner names, shown on every list
def name_key(name: str) -> tuple[str, str]:
    """The key that sorts names as a reader of the page's language expects: accents, case
    and ligatures set aside first (``Énergie`` between ``Biologie`` and ``Physique``, not
    after ``Zoologie``), then the name as written to break ties.

    The one sort key of the portal's lists of names (themes, countries, partners, offices).
    """
    return fold(str(name)).casefold(), str(name)


def distinct_acronym(name: str, acronym: str) -> str:
    """The acronym to show beside ``name``, or ``""`` when it would only repeat the name
    ("Tascmar – Tascmar", "BMC² (BMC²)"): accents, case, spaces and punctuation aside.

    The one rule of the titles that pair a name with its acronym, in pages and lists.
    """
    if not acronym:
        return ""

    def bare(text: str) -> str:
        return re.sub(r"[\W_]+", "", fold(str(text))).casefold()

    return "" if bare(acronym) == bare(name or "") else acronym
