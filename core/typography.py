"""French typography, one rule for the catalogue and for stored text.

In French a narrow no-break space (U+202F) stands before the high punctuation marks
« : ; ! ? », inside guillemets « like this », before « % » and « € », and between the
digit groups of a number (« 75 000 »), so that a line never breaks between a word and its
mark. :func:`french_spacing` turns the ordinary (or no-break) spaces a writer typed there
into narrow no-break ones; it never adds a space where none was typed (``http://``,
``10:30`` and ``?page=2`` are left alone). :func:`spacing_faults` lists what it would change,
for the checks.
"""

import re

NARROW_NBSP = "\u202f"
# A space (ordinary, no-break or several) typed before a high mark, a percent or euro sign,
# or after an opening guillemet, or between digit groups.
_BEFORE = re.compile(r"(?<=\S)[ \u00a0]+(?=[:;!?»%€])")
_AFTER_GUILLEMET = re.compile(r"«[ \u00a0]+")
_DIGIT_GROUPS = re.compile(r"(?<=\d)[ \u00a0](?=\d{3}(?!\d))")


def french_spacing(text: str) -> str:
    """``text`` with narrow no-break spaces where French typography wants them."""
    if not text:
        return text
    text = _BEFORE.sub(NARROW_NBSP, text)
    text = _AFTER_GUILLEMET.sub("«" + NARROW_NBSP, text)
    return _DIGIT_GROUPS.sub(NARROW_NBSP, text)


def spacing_faults(text: str) -> list[str]:
    """The places of ``text`` (a few characters around each) where a space is wrong."""
    faults = []
    for pattern in (_BEFORE, _AFTER_GUILLEMET):
        for match in pattern.finditer(text or ""):
            faults.append(text[max(match.start() - 12, 0) : match.end() + 12])
    return faults
