"""Field values of content entries as the back-office compares and shows them.

Used by the review flow (what a referent proposes against what is published) and by the
history (what changed between two versions). Values are normalised to JSON: relations as
primary keys (sorted lists for many-to-many), dates in ISO form, decimals without trailing
zeros, an empty text as ``None``.
"""

import dataclasses
import datetime
import re
import time
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from diff_match_patch import diff_match_patch
from django.conf import settings
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Cast
from django.utils.formats import date_format, number_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

# "Name (in English)": the language of a field, after the field's name.
FIELD_LANGUAGES = {"fr": gettext_lazy("in French"), "en": gettext_lazy("in English")}


def json_value(value):
    """``value`` (a model field value or a form's cleaned value) in comparable JSON form."""
    if isinstance(value, models.Model):
        return _json_pk(value.pk)
    if isinstance(value, models.QuerySet | list | tuple | set | frozenset):
        return sorted((json_value(item) for item in value), key=str)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if value == "":
        return None
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)


def _json_pk(pk):
    return pk if isinstance(pk, int) else str(pk)


def model_field_names(model, names):
    """The names among ``names`` that are concrete or many-to-many fields of ``model``."""
    known = {field.name for field in model._meta.get_fields() if field.concrete}
    return [name for name in names if name in known]


def entry_values(entry, field_names):
    """The stored values of ``field_names`` of ``entry``, read from the database."""
    return entries_values(type(entry), [entry], field_names)[entry.pk]


def entries_values(model, entries, field_names):
    """``{pk: {name: value}}`` of ``field_names`` for ``entries`` (rows of ``model``).

    The many-to-many relations of all the entries are read in one query, whatever their
    number and the number of relations.
    """
    values = {entry.pk: {} for entry in entries}
    m2m_names = []
    for name in field_names:
        field = model._meta.get_field(name)
        if field.many_to_many:
            m2m_names.append(name)
            for entry_values_ in values.values():
                entry_values_[name] = []
            continue
        for entry in entries:
            if field.is_relation:
                values[entry.pk][name] = json_value(getattr(entry, field.attname))
            else:
                values[entry.pk][name] = json_value(field.value_from_object(entry))
    if m2m_names and values:
        for name, pk, target in _related_ids(model, list(values), m2m_names):
            values[pk][name].append(target)
        for entry_values_ in values.values():
            for name in m2m_names:
                entry_values_[name] = json_value(entry_values_[name])
    return values


def _related_ids(model, pks, m2m_names):
    """``(field name, entry pk, related pk)`` rows of the relations ``m2m_names``, one query."""
    queries, targets = [], {}
    for name in m2m_names:
        field = model._meta.get_field(name)
        source = f"{field.m2m_field_name()}_id"
        target = f"{field.m2m_reverse_field_name()}_id"
        targets[name] = field.target_field
        queries.append(
            field.remote_field.through.objects.filter(**{f"{source}__in": pks})
            .annotate(
                portal_field=Value(name, output_field=models.TextField()),
                portal_source=F(source),
                portal_target=Cast(target, models.TextField()),
            )
            .values_list("portal_field", "portal_source", "portal_target")
            .order_by()
        )
    rows = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    for name, pk, target in rows:
        yield name, pk, targets[name].to_python(target)


def form_values(form, field_names):
    """The values a valid model form would save, for ``field_names``."""
    return {name: json_value(form.cleaned_data.get(name)) for name in field_names}


def field_label(model, name):
    """ "Name (English)" for a translation field, "Instrument" for any other."""
    field = model._meta.get_field(name)
    language = getattr(field, "language", None)
    if language:
        base = capfirst(field.translated_field.verbose_name)
        return f"{base} ({FIELD_LANGUAGES.get(language, language)})"
    return capfirst(field.verbose_name)


def field_language(model, name):
    return getattr(model._meta.get_field(name), "language", None)


def base_field_name(model, name):
    field = model._meta.get_field(name)
    translated = getattr(field, "translated_field", None)
    return translated.name if translated is not None else name


EMPTY = "—"  # how an empty value is shown


class RelatedNames:
    """Display names of related rows, fetched with one query per related model."""

    def __init__(self, model):
        self.model = model
        self.wanted = {}
        self.names = {}

    def want(self, name, value):
        field = self.model._meta.get_field(name)
        if not field.is_relation or value in (None, []):
            return
        ids = value if isinstance(value, list) else [value]
        self.wanted.setdefault(field.related_model, set()).update(ids)

    def fetch(self):
        for related_model, ids in self.wanted.items():
            rows = related_model._default_manager.filter(pk__in=ids)
            self.names[related_model] = {_json_pk(row.pk): str(row) for row in rows}
        self.wanted = {}

    def display(self, name, value):
        """``value`` of field ``name`` as a reader sees it."""
        field = self.model._meta.get_field(name)
        if value is None or value == []:
            return EMPTY
        if field.is_relation:
            names = self.names.get(field.related_model, {})
            ids = value if isinstance(value, list) else [value]
            shown = [names.get(pk, _("deleted entry %(id)s") % {"id": pk}) for pk in ids]
            return ", ".join(sorted(shown))
        if isinstance(field, models.BooleanField):
            return _("Yes") if value else _("No")
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return str(value)


class DiffBudget:
    """The time one page may spend comparing texts word by word.

    Each comparison gets at most ``per_diff`` seconds and all of them together ``per_page``;
    a comparison that does not finish in its time is not shown as a diff: the page shows both
    values whole, side by side, and says so. So no text, however long, holds a worker.
    """

    per_diff = 0.5
    per_page = 1.5

    def __init__(self):
        self.page_deadline = None

    def deadline(self):
        """The time the next comparison must be done by (``time.time()``, as diff-match-patch)."""
        now = time.time()
        if self.page_deadline is None:
            self.page_deadline = now + self.per_page
        return min(now + self.per_diff, self.page_deadline)


@dataclass
class FieldChange:
    name: str
    label: str
    language: str | None
    before: str
    after: str
    changed: bool = True
    note: str = ""
    budget: DiffBudget = dataclasses.field(default_factory=DiffBudget, repr=False, compare=False)

    @property
    def marked(self):
        """Words removed and added are marked when a text is edited, not when it is set."""
        return self.changed and EMPTY not in (self.before, self.after)

    @cached_property
    def diff(self):
        """``(before, after)`` as HTML with the words marked, computed once; None when the
        texts were too long to compare in time (see ``side_by_side``)."""
        if not self.marked:
            return None
        return word_diff(self.before, self.after, deadline=self.budget.deadline())

    @property
    def side_by_side(self):
        """The values are shown whole, without marks: too long to compare word by word."""
        return self.marked and self.diff is None

    @property
    def before_html(self):
        if self.diff is not None:
            return self.diff[0]
        if self.changed and self.before != EMPTY and not self.side_by_side:
            return format_html("<del>{}</del>", self.before)
        return escape(self.before)

    @property
    def after_html(self):
        if self.diff is not None:
            return self.diff[1]
        if self.changed and self.after != EMPTY and not self.side_by_side:
            return format_html("<ins>{}</ins>", self.after)
        return escape(self.after)


WORDS = re.compile(r"(\s+)")  # splits a text into words and the spaces between them
# Beyond this many words and spaces in one text, values are shown whole without trying.
MAX_DIFF_TOKENS = 200_000


def word_diff(before: str, after: str, *, deadline: float):
    """The two texts as HTML, removed words in ``<del>`` and added words in ``<ins>``.

    diff-match-patch's Myers diff (O(N·D), common prefix and suffix set aside first) runs on
    the texts' words, each word or run of spaces standing as one character. Returns None
    when the texts are too long or the diff is not done by ``deadline`` (``time.time()``).
    """
    if time.time() >= deadline:
        return None
    old = list(filter(None, WORDS.split(before or "")))
    new = list(filter(None, WORDS.split(after or "")))
    if len(old) + len(new) > MAX_DIFF_TOKENS:
        return None
    tokens = list(dict.fromkeys(old + new))
    codes = {token: chr(number) for number, token in enumerate(tokens)}
    old_chars, new_chars = "".join(map(codes.get, old)), "".join(map(codes.get, new))
    diffs = diff_match_patch().diff_main(old_chars, new_chars, False, deadline)
    if time.time() > deadline:
        return None  # cut short: its result is not a word diff worth showing
    spaces = [codes[token] for token in tokens if token.isspace()]

    def text(chars):
        return "".join(map(tokens.__getitem__, map(ord, chars)))

    old_html, new_html = [], []
    for index, (operation, chars) in enumerate(diffs):
        if operation == diff_match_patch.DIFF_EQUAL:
            html = _unchanged(chars, text, spaces, first=index == 0, last=index == len(diffs) - 1)
            old_html.append(html)
            new_html.append(html)
        elif operation == diff_match_patch.DIFF_DELETE:
            old_html.append(format_html("<del>{}</del>", text(chars)))
        else:
            new_html.append(format_html("<ins>{}</ins>", text(chars)))
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))  # noqa: S308 (escaped)


# An unchanged stretch longer than this many words and spaces is shortened to the words
# around the changes: a long text edited in a few places shows the few places.
UNCHANGED_SHOWN = 200
UNCHANGED_CONTEXT = 60


def _unchanged(chars, text, spaces, *, first, last):
    """An unchanged stretch of a diff (``chars``, each a word or a run of ``spaces``, read
    with ``text``) as HTML, its middle left out when it is long."""
    if len(chars) <= UNCHANGED_SHOWN:
        return escape(text(chars))
    head = "" if first else chars[:UNCHANGED_CONTEXT]
    tail = "" if last else chars[-UNCHANGED_CONTEXT:]
    middle = chars[len(head) : len(chars) - len(tail)]
    words = len(middle) - sum(map(middle.count, spaces))
    gap = ngettext("[… %(count)s unchanged word …]", "[… %(count)s unchanged words …]", words) % {
        "count": number_format(words, force_grouping=True)
    }
    return format_html(
        '{}<span class="diff-gap" lang="{}"> {} </span>{}',
        text(head),
        get_language(),
        gap,
        text(tail),
    )


def ordered_with_languages(model, names):
    """``names`` in model field order, with both languages of every translated field."""
    wanted = set(names)
    for name in names:
        if field_language(model, name):
            base = base_field_name(model, name)
            wanted.update(f"{base}_{code}" for code, _label in settings.LANGUAGES)
    order = [field.name for field in model._meta.get_fields() if field.concrete]
    return [name for name in order if name in wanted]
