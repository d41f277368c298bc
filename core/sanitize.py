"""Rich text: the HTML the portal keeps, cleaned with nh3 when saved and again when shown.

A text field a model names in its ``rich_text_fields`` attribute (a tuple of field names) may
hold plain text or a little HTML (paragraphs,
emphasis, lists, links). Before every save its value, in each language, loses any other
markup: scripts, event handlers, ``javascript:`` links, frames, styles. Plain text (no tag)
is stored as typed. Templates show such a field with the ``rich_text`` filter
(``{% load rich_text %}``), which cleans once more, so that a value written around the models
(an SQL import, ``QuerySet.update``) is safe all the same.
"""

import nh3
from django.conf import settings
from django.utils.html import linebreaks
from modeltranslation.utils import build_localized_fieldname

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "em",
    "h2",
    "h3",
    "h4",
    "i",
    "li",
    "ol",
    "p",
    "span",
    "strong",
    "sub",
    "sup",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"lang"},  # text in the other language is marked (accessibility)
    "a": {"href", "hreflang", "title"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(text: str) -> str:
    """``text`` with only the allowed markup; plain text is returned unchanged."""
    if not text or not nh3.is_html(text):
        return text
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def render_rich_text(text: str) -> str:
    """HTML safe to show: cleaned markup, or plain text escaped into paragraphs."""
    if not text:
        return ""
    if nh3.is_html(text):
        return clean_html(text)
    return linebreaks(text, autoescape=True)


def _column_names(model, field_name: str) -> list[str]:
    names = [field_name]
    for language in settings.MODELTRANSLATION_LANGUAGES:
        localized = build_localized_fieldname(field_name, language)
        if any(field.name == localized for field in model._meta.concrete_fields):
            names.append(localized)
    return names


def clean_rich_text_fields(sender, instance, **kwargs):
    """pre_save receiver: clean every rich-text column of ``instance`` before it is written."""
    for field_name in getattr(sender, "rich_text_fields", ()):
        for name in _column_names(sender, field_name):
            # __dict__, not setattr: the untranslated column must not go through
            # modeltranslation's descriptor, which would copy it into the active language.
            value = instance.__dict__.get(name)
            if isinstance(value, str):
                instance.__dict__[name] = clean_html(value)
