"""Sources as the exports and the API give them: the same fields for a source read as a model
instance (an entry's prefetched ``sources``) or as a dict of a single-query row
(:func:`sources_array`)."""

import datetime

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.db.models.functions import JSONObject
from rest_framework import serializers

from .dates import DatePrecision
from .models import Source

# The columns of a source a row carries (and the serialiser reads).
SOURCE_COLUMNS = ("url", "document", "publisher", "published_on", "published_precision", "read_on")
# How much of a date each precision keeps, in ISO 8601 ("2006", "2021-03", "2011-10-04").
ISO_LENGTH = {DatePrecision.YEAR: 4, DatePrecision.MONTH: 7, DatePrecision.DAY: 10}


def sources_array(app_label: str, model_name: str):
    """The sources of each row's entry (a model ``app_label.model_name``) as an array of JSON
    objects, newest first: an expression to ``annotate`` a queryset with (no query of its
    own, whatever the number of rows)."""
    sources = Source.objects.filter(
        content_type__app_label=app_label,
        content_type__model=model_name,
        object_id=OuterRef("pk"),
    ).order_by("-published_on", "-read_on", "pk")
    return ArraySubquery(sources.values(json=JSONObject(**{c: c for c in SOURCE_COLUMNS})))


def _day(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


class SourceSerializer(serializers.Serializer):
    """What a fact rests on: its address or document, publisher, own date and date read."""

    url = serializers.CharField(help_text="Its address, or empty for a document.")
    document = serializers.CharField(help_text="The document's name, when it has no address.")
    publisher = serializers.CharField()
    published_on = serializers.DateField(
        allow_null=True, help_text="The source's own date (its first day when partial)."
    )
    published_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, help_text="How much of published_on the source gives."
    )
    read_on = serializers.DateField(help_text="When the portal read it.")
    as_of = serializers.SerializerMethodField(
        help_text="The date the source speaks for, as precisely as known (YYYY, YYYY-MM or "
        "YYYY-MM-DD): its own date, else the date it was read."
    )

    def get_as_of(self, source) -> str:
        read = source["read_on"] if isinstance(source, dict) else source.read_on
        published = source["published_on"] if isinstance(source, dict) else source.published_on
        precision = (
            source["published_precision"]
            if isinstance(source, dict)
            else source.published_precision
        )
        if _day(published):
            return _day(published).isoformat()[: ISO_LENGTH.get(precision, 10)]
        return _day(read).isoformat() if _day(read) else ""


def sources_text(sources) -> str:
    """Sources (serialised) in one cell of a CSV: "publisher, as_of, address" each, ";" apart."""
    return "; ".join(
        ", ".join(part for part in (s["publisher"], s["as_of"], s["url"] or s["document"]) if part)
        for s in sources
    )
