"""Rich text: the HTML the portal keeps, cleaned with nh3 when saved and again when shown.

A text field a model names in its ``rich_text_fields`` attribute (a tuple of field names) may
hold plain text or a little HTML (paragraphs,
emphasis, lists, links). Before every save its value, in each language, loses any other
markup: scripts, event handlers, ``javascript:`` links, frames, styles. Plain text (no tag)
is stored as typed. Templates show such a field with the ``rich_text`` filter
(``{% load rich_text %}``), which cleans once more, so that a value written around the models
(an SQL import, ``QuerySet.update``) is safe all the same. Where only text fits (a meta
description, an excerpt in a list or in search results), the ``plain_text`` filter gives the
words without the markup.
"""

from html.parser import HTMLParser

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


class _Words(HTMLParser):
    """The text of cleaned HTML; block elements and line breaks part words with a space."""

    BREAKS = {"blockquote", "br", "h2", "h3", "h4", "li", "ol", "p", "ul"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in self.BREAKS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(text: str) -> str:
    """The words of a rich-text value, without markup: ``<p>R&amp;D</p>`` → ``R&D``.

    Plain text is returned as it is. Nothing here is escaped: the template escapes it.
    """
    if not text or not nh3.is_html(text):
        return text or ""
    words = _Words()
    words.feed(clean_html(text))  # what could run is gone before the words are read
    words.close()
    return " ".join("".join(words.parts).split())


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
