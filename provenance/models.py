import datetime

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .dates import DatePrecision, format_partial_date, precision_field


class Source(models.Model):
    """What a fact of an entry rests on: a page or a document, its publisher, its date and
    the date it was read, with the passage quoted.

    One table for every kind of entry (a generic relation): a lab, a centre, an office, an
    instrument, a key figure, a partner. The apps that hold those entries sit above this one
    and each declares ``sources = sources_relation()``; a new kind of entry needs no change
    here, and the admin edits them all with the same inline.
    """

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of entry"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("entry id"))
    entry = GenericForeignKey("content_type", "object_id")
    url = models.URLField(_("address"), max_length=500, blank=True)
    document = models.CharField(
        _("document"),
        max_length=250,
        blank=True,
        help_text=_("The name of a document, when the source has no web address."),
    )
    publisher = models.CharField(_("publisher"), max_length=200)
    published_on = models.DateField(
        _("date of the source"),
        null=True,
        blank=True,
        help_text=_("The source's own date, when it gives one."),
    )
    published_precision = precision_field(_("precision of the date of the source"))
    read_on = models.DateField(_("date read"))
    snippet = models.TextField(
        _("passage"),
        blank=True,
        help_text=_("The short passage the fact rests on, quoted exactly (never shown)."),
    )

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["content_type", "object_id", "-published_on", "-read_on", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="source_entry_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(document=""),
                name="source_url_or_document",
                violation_error_message=_("Give the address or the name of the document."),
            )
        ]

    def __str__(self):
        return f"{self.publisher}: {self.url or self.document}"

    def get_absolute_url(self):
        entry = self.entry
        return entry.get_absolute_url() if entry is not None else ""

    @property
    def as_of(self):
        """(date, precision) the source speaks for: its own date, else the day it was read."""
        if self.published_on:
            return self.published_on, self.published_precision
        return self.read_on, DatePrecision.DAY

    @property
    def as_of_display(self) -> str:
        return format_partial_date(*self.as_of)


def sources_relation() -> GenericRelation:
    """The ``sources`` field of an entry (they are deleted with it)."""
    return GenericRelation(Source, verbose_name=_("sources"))


def latest_as_of(sources):
    """(date, precision) of the most recent of ``sources`` (prefetched), or (None, None)."""
    dated = [source.as_of for source in sources]
    return max(dated, key=lambda pair: pair[0]) if dated else (None, None)


def source_of_row(row: dict) -> Source:
    """A source read as a JSON object of a row (provenance.serializers.sources_array), as an
    unsaved Source for display."""
    values = dict(row)
    for name in ("published_on", "read_on"):
        if isinstance(values.get(name), str):
            values[name] = datetime.date.fromisoformat(values[name])
    return Source(**values)
