import html
import json
import re
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.urls import translate_url
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from core import text
from core.sanitize import plain_text
from geography import maps
from laboratories import structured_data
from laboratories.filters import fallback_language
from laboratories.models import Fact
from offices.structured_data import office_json_ld
from provenance.dates import long_date
from search import queries

register = template.Library()
register.filter("long_date", long_date)


@register.simple_tag(takes_context=True)
def rendered_block(context, name: str) -> str:
    """The text of block ``name`` as the page defines it (its title, its description), to
    repeat it elsewhere in the page (Open Graph), tags stripped."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    node = blocks.get_block(name) if blocks is not None else None
    return " ".join(strip_tags(node.nodelist.render(context)).split()) if node else ""


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """The page's own address, absolute, without its query string but its page number."""
    request = context["request"]
    page = request.GET.get("page", "")
    query = f"?{urlencode({'page': page})}" if page.isdigit() and page != "1" else ""
    return request.build_absolute_uri(request.path) + query


@register.simple_tag(takes_context=True)
def json_ld(context, kind: str, obj) -> str:
    """The schema.org JSON-LD of an entry (``lab``, ``centre`` or ``office``), as a script
    element."""
    make = {
        "lab": structured_data.lab_json_ld,
        "centre": structured_data.centre_json_ld,
        "office": office_json_ld,
    }[kind]
    data = make(obj, context["request"].build_absolute_uri)
    text = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    nonce = getattr(context["request"], "csp_nonce", "")
    return format_html(
        '<script type="application/ld+json" nonce="{}">{}</script>', nonce, mark_safe(text)
    )


# What may not appear raw inside a script element (as django.utils.html.json_script).
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def translated_url(context, language: str, absolute: bool = False) -> str:
    """The current page in ``language``, with the same query string."""
    request = context["request"]
    # A page names itself in each language up to four times (links and alternates): the
    # path is resolved once per language and request.
    known = request.__dict__.setdefault("_translated_paths", {})
    if language not in known:
        url = translate_url(request.path, language)
        if url == request.path and not request.path.startswith(f"/{language}/"):
            # A path that does not resolve (a 404 page): the same path under the other prefix.
            url = re.sub(r"^/[a-z]{2}/", f"/{language}/", request.path)
        known[language] = url
    url = known[language]
    query = request.GET.urlencode()
    url = f"{url}?{query}" if query else url
    return request.build_absolute_uri(url) if absolute else url


@register.simple_tag
def lang_of(obj, name: str) -> str:
    """The language code of the text shown, if it is not the page's (a fallback), else ""."""
    return fallback_language(obj, name, (get_language() or settings.LANGUAGE_CODE)[:2])


def fallback_label(language: str) -> str:
    """What a reader sees beside a text shown in ``language`` on a page in the other one:
    "(in French)", "(en anglais)"; "" for no language."""
    labels = {"fr": _("(in French)"), "en": _("(in English)")}
    return labels.get(language, "")


def _note(language: str, element: str = "span") -> str:
    label = fallback_label(language)
    if not label:
        return ""
    return format_html(' <{0} class="fallback-note">{1}</{0}>', element, label)


@register.simple_tag
def fallback_note(obj, name: str, form: str = "inline") -> str:
    """What says that ``obj.<name>`` is shown in the other language, when it is (else ""):
    ``inline`` a span to put after the text's element, ``block`` a paragraph to put after a
    block of text, ``text`` the words alone (a meta description, a title attribute).

    The one visible mark of a fallback: :func:`tr` and :func:`excerpt` add it themselves;
    an element marked with :func:`lang_attr` is followed by this tag."""
    language = lang_of(obj, name)
    if form == "text":
        return f" {fallback_label(language)}" if language else ""
    return _note(language, "p" if form == "block" else "span")


@register.simple_tag
def facts_on(*places: str) -> list:
    """The published facts of ``places`` (Fact.Place values) with their sources, one query:
    a tag, so that any page shows them (the offices' app comes before the facts' one)."""
    return list(Fact.objects.shown_on(*places))


@register.filter
def on_place(facts, place: str) -> list:
    """The facts of ``facts`` (from :func:`facts_on`) shown on ``place``."""
    return [fact for fact in facts if fact.place == place]


@register.simple_tag
def lang_attr(obj, name: str) -> str:
    """` lang="xx"` for an element whose text is a fallback in the other language."""
    language = lang_of(obj, name)
    return format_html(' lang="{}"', language) if language else ""


@register.simple_tag
def tr(obj, name: str, stems=None):
    """``obj.<name>`` escaped; a fallback text is wrapped in ``<span lang="xx">``; the words
    matched by a search (``stems``) are marked."""
    value = getattr(obj, name, "") or ""
    text = queries.highlight(str(value), stems or [])
    language = lang_of(obj, name)
    if not language:
        return text
    return format_html('<span lang="{}">{}</span>{}', language, text, _note(language))


@register.filter
def highlight(text, stems):
    return queries.highlight(str(text or ""), stems or [])


@register.simple_tag
def excerpt(obj, name: str, stems=None, limit: int = 240):
    """A cut of ``obj.<name>`` around the first matched word, marked like :func:`tr`; a
    rich-text field is cut from its words, without markup."""
    value = str(getattr(obj, name, "") or "")
    if name in getattr(obj, "rich_text_fields", ()):
        value = plain_text(value)
    text = queries.highlight(value, stems or [], limit=limit)
    language = lang_of(obj, name)
    if not language:
        return text
    return format_html('<span lang="{}">{}</span>{}', language, text, _note(language))


@register.filter
def partner_countries(instrument) -> str:
    """The partner-country rule of an instrument in words, or ""."""
    low, high = instrument.min_partner_countries, instrument.max_partner_countries
    if low is None and high is None:
        return ""
    if low is not None and low == high:
        return ngettext(
            "exactly %(n)s foreign partner country",
            "exactly %(n)s foreign partner countries",
            low,
        ) % {"n": low}
    if high is None:
        return ngettext(
            "at least %(n)s foreign partner country",
            "at least %(n)s foreign partner countries",
            low,
        ) % {"n": low}
    if not low:
        return ngettext(
            "at most %(n)s foreign partner country",
            "at most %(n)s foreign partner countries",
            high,
        ) % {"n": high}
    if high == low + 1:
        return _("%(low)s or %(high)s foreign partner countries") % {"low": low, "high": high}
    return _("between %(low)s and %(high)s foreign partner countries") % {"low": low, "high": high}


@register.simple_tag
def page_url(pairs, number) -> str:
    """The query string of page ``number`` of a list whose other parameters are ``pairs``."""
    return "?" + urlencode([*pairs, ("page", number)])


@register.simple_tag(takes_context=True)
def current_page(context, *view_names) -> str:
    """``aria-current="page"`` when the page is one of ``view_names``."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match and match.view_name in view_names:
        return format_html('aria-current="{}"', "page")
    return ""


@register.filter
def by_name(items):
    """``items`` sorted by their name in the page's language, accents and case aside."""
    return sorted(items, key=lambda item: text.name_key(item.name))


@register.simple_tag
def world_map_svg(world_map, label: str):
    """The map's ``<svg>``: shaded country links and city markers.

    Written in Python rather than as a template loop: a map has hundreds of countries and
    markers, and the template engine took most of the page's time drawing them. Every
    value is escaped.
    """
    shapes = _escape(world_map.shapes_url)
    parts = [
        f'<svg class="world-map__svg" viewBox="0 0 {world_map.width} {world_map.height}"'
        # tabindex -1: Chromium would otherwise stop on the <svg> itself, a Tab that does
        # nothing; its country links stay in the tab order.
        f' role="group" aria-label="{_escape(label)}" tabindex="-1">'
        f'<use href="{shapes}#world" class="world-map__land"/>'
    ]
    country_title = _plurals(
        lambda n: ngettext("%(name)s: %(counter)s entry", "%(name)s: %(counter)s entries", n)
    )
    city_title = _plurals(
        lambda n: ngettext("%(city)s: %(counter)s entry", "%(city)s: %(counter)s entries", n)
    )
    presence_title = _("%(name)s: an office or a centre, no entry")
    for country in world_map.countries:
        title = (country_title(country.count) if country.count else presence_title) % {
            "name": country.name,
            "counter": country.count,
        }
        selected = " is-selected" if country.selected else ""
        parts.append(
            f'<a href="{_escape(country.url)}" class="world-map__country level-{country.level}'
            f'{selected}"><title>{_escape(title)}</title>'
            f'<use href="{shapes}#c-{_escape(country.code)}"/></a>'
        )
    parts += _touch_targets(world_map)
    parts.append('<g class="world-map__markers" aria-hidden="true">')
    for marker in world_map.markers:
        title = city_title(marker.count) % {"city": marker.label, "counter": marker.count}
        parts.append(
            f'<circle cx="{float(marker.x)!r}" cy="{float(marker.y)!r}"'
            f' r="{float(marker.radius)!r}"><title>{_escape(title)}</title></circle>'
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)


def _touch_targets(world_map) -> list[str]:
    """A round target of 24 CSS pixels (WCAG 2.5.8) over each country that may be too small
    to touch, the smallest on top: a tap near Singapore reaches Singapore, not the larger
    Malaysia around it. Each is a second link to the country's address, out of the tab
    order and hidden from assistive technologies (the country's own link is there for
    them). Its radius is that of a map 1,000 pixels wide; ``portal.js`` sets it for the
    map's size on screen and removes the targets of the countries large enough there."""
    frames = maps.country_frames()
    small = []
    for country in world_map.countries:
        frame = frames.get(country.code)
        if frame and min(frame[2] - frame[0], frame[3] - frame[1]) < maps.TOUCH_UNITS:
            small.append((country, frame))
    # The smallest last: drawn on top of the targets of the larger ones around them.
    small.sort(key=lambda pair: -(pair[1][2] - pair[1][0]) * (pair[1][3] - pair[1][1]))
    parts = ['<g class="world-map__touch">']
    for country, (left, top, right, bottom) in small:
        parts.append(
            f'<a href="{_escape(country.url)}" tabindex="-1" aria-hidden="true">'
            f'<circle cx="{(left + right) / 2:.1f}" cy="{(top + bottom) / 2:.1f}"'
            f' r="{maps.TOUCH_RADIUS}" data-country="{_escape(country.code)}"/></a>'
        )
    parts.append("</g>")
    return parts


@register.filter
def shown_acronym(entry) -> str:
    """The acronym to show beside the entry's name in the page's language, or "" when it
    would repeat the name (``core.text.distinct_acronym``)."""
    return text.distinct_acronym(entry.name, entry.acronym)


@register.simple_tag
def location_map_svg(location, label: str):
    """The small map of an entry's place (``geography.maps.location_map``): an image with
    ``label`` as its text alternative, nothing in it to click or to reach with Tab."""
    if location is None:
        return ""
    shapes = _escape(location.shapes_url)
    stroke = location.width / 500
    parts = [
        f'<svg class="location-map__svg" viewBox="{_escape(location.view_box)}"'
        f' stroke-width="{stroke:.3g}" role="img" aria-label="{_escape(label)}">'
        f'<use href="{shapes}#world" class="location-map__land"/>'
    ]
    for code in location.nearby:
        parts.append(f'<use href="{shapes}#c-{_escape(code)}" class="location-map__nearby"/>')
    for code in location.countries:
        parts.append(f'<use href="{shapes}#c-{_escape(code)}" class="location-map__country"/>')
    for x, y in location.markers:
        parts.append(
            f'<circle class="location-map__marker" cx="{float(x)!r}" cy="{float(y)!r}"'
            f' r="{float(location.marker_radius)!r}" stroke-width="{stroke * 2:.3g}"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)


@register.simple_tag
def facet_choices(facet, choices):
    """A facet's list of choices, each a link with its count (written in Python, as the
    country facet alone has a couple of hundred choices). Every value is escaped."""
    selected_note = _escape(", " + _("selected: follow to remove"))
    entries = _plurals(lambda n: ngettext("entry", "entries", n))
    long = " facet__choices--long" if len(choices) > 10 else ""
    parts = [f'<ul class="facet__choices{long}">']
    for choice in choices:
        selected = choice.selected
        parts.append(
            f'<li><a href="{_escape(choice.url)}" rel="nofollow"'
            + (' class="is-selected" aria-current="true"' if selected else "")
            + '><span class="facet__label"'
            + (f' lang="{_escape(choice.lang)}"' if choice.lang else "")
            + f">{_escape(choice.label)}</span>"
            + (_note(choice.lang) if choice.lang else "")
            + f'<span class="facet__count">{int(choice.count)}<span class="visually-hidden"> '
            + _escape(entries(choice.count))
            + (selected_note if selected else "")
            + "</span></span></a></li>"
        )
    parts.append("</ul>")
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)


def _plurals(translated):
    """``translated(n)`` (an ``ngettext`` call, written out so that makemessages finds its
    texts) for one page, looked up once per distinct ``n``."""
    found = {}

    def text(count: int) -> str:
        if count not in found:
            found[count] = translated(count)
        return found[count]

    return text


def _escape(value) -> str:
    return html.escape(str(value), quote=True)
