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

from django.conf import settings
from django.db import models

NARROW_NBSP = "\u202f"
# A space (ordinary, no-break or several) typed before a high mark, a percent or euro sign,
# or after an opening guillemet, or between digit groups.
_BEFORE = re.compile(r"(?<=\S)[ \u00a0]+(?=[:;!?»€]|%(?![(sd]))")
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


def _french_columns(model) -> list[str]:
    """The text columns of ``model`` that hold French: each ``*_fr`` column of a translated
    field, and the untranslated column beside it (it keeps the default language, French)."""
    found = []
    concrete = {field.name: field for field in model._meta.concrete_fields}
    for name, field in concrete.items():
        if not name.endswith("_fr") or not _is_prose(field):
            continue
        found.append(name)
        if name[:-3] in concrete and settings.MODELTRANSLATION_DEFAULT_LANGUAGE == "fr":
            found.append(name[:-3])
    return found


def _is_prose(field) -> bool:
    excluded = (models.URLField, models.EmailField, models.SlugField)
    return (
        isinstance(field, (models.CharField, models.TextField))
        and not isinstance(field, excluded)
        and not field.choices
    )


def as_stored(model, name: str, value):
    """``value`` as :func:`space_french_fields` writes it into the field ``name`` of
    ``model``: what to compare a stored value with."""
    if isinstance(value, str) and name in _french_columns(model):
        return french_spacing(value)
    return value


def space_french_fields(sender, instance, **kwargs):
    """pre_save receiver: French typography in every French text column before it is
    written, whether the text comes from the admin, an import or the demo data."""
    for name in _french_columns(sender):
        # __dict__, not setattr: modeltranslation's descriptor would copy the untranslated
        # column into the active language.
        value = instance.__dict__.get(name)
        if isinstance(value, str):
            instance.__dict__[name] = french_spacing(value)
