"""What an entry of the labs list is, for a machine: one serialiser for the exports (CSV,
JSON) and the read API, over rows that one query reads (:func:`lab_rows`).

The rows are ``values()`` dicts, not model instances: a page of the API and a whole export
are each read by a single statement, whatever the number of labs.
"""

import datetime

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from provenance.serializers import SourceSerializer, sources_array

from .filters import localized
from .models import Lab, LabStatus

# The columns every row carries (what LabSerializer reads), then what the API adds.
ROW_COLUMNS = (
    "slug",
    "entry_name",
    "acronym",
    "instrument__code",
    "lead_institute__code",
    "country_codes",
    "entry_city",
    "latitude",
    "longitude",
    "start_date",
    "ends_on",
    "status",
    "entry_themes",
    "has_company_partner",
    "website",
    "entry_partners",
    "entry_sources",
)
TRANSLATED = ("name", "city", "summary")
DETAIL_COLUMNS = (
    *(f"{name}_{language}" for name in TRANSLATED for language in ("fr", "en")),
    "entry_summary",
    "created_at",
    "updated_at",
)


def lab_rows(labs, *, language: str, today: datetime.date, detailed: bool = False):
    """``labs`` (filtered and ordered already) as rows for :class:`LabSerializer` (or, with
    ``detailed``, :class:`LabDetailSerializer`): one query, the related lists as arrays."""
    annotations = {
        "entry_name": localized("name", language),
        "entry_city": localized("city", language),
        "entry_themes": ArraySubquery(
            Lab.themes.through.objects.filter(lab_id=OuterRef("pk"))
            .order_by("theme__slug")
            .values("theme__slug")
        ),
        "entry_partners": ArraySubquery(
            Lab.partners.through.objects.filter(lab_id=OuterRef("pk"))
            .order_by("partner__slug")
            .values("partner__slug")
        ),
        "entry_sources": sources_array("laboratories", "lab"),
    }
    columns = ROW_COLUMNS
    if detailed:
        annotations["entry_summary"] = localized("summary", language)
        columns = (*ROW_COLUMNS, *DETAIL_COLUMNS)
    return labs.with_status(today).annotate(**annotations).values(*columns)


class LabSerializer(serializers.Serializer):
    """An international structure as the exports give it (one column per field)."""

    slug = serializers.SlugField(help_text="Identifier of the entry on the portal.")
    url = serializers.SerializerMethodField(help_text="Its public page, in the asked language.")
    name = serializers.CharField(source="entry_name")
    acronym = serializers.CharField()
    instrument = serializers.CharField(source="instrument__code", help_text="Instrument code.")
    lead_institute = serializers.CharField(
        source="lead_institute__code",
        allow_null=True,
        help_text="Code of the lead CNRS institute (none when no source names it).",
    )
    countries = serializers.ListField(
        child=serializers.CharField(), source="country_codes", help_text="ISO 3166-1 codes."
    )
    city = serializers.CharField(source="entry_city")
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(
        source="ends_on",
        allow_null=True,
        help_text="Its end date, or its start date plus the instrument's duration.",
    )
    status = serializers.ChoiceField(choices=LabStatus.choices)
    themes = serializers.ListField(
        child=serializers.CharField(), source="entry_themes", help_text="Theme slugs."
    )
    industry = serializers.BooleanField(
        source="has_company_partner", help_text="A company is among its partners."
    )
    website = serializers.CharField()
    partners = serializers.ListField(
        child=serializers.CharField(), source="entry_partners", help_text="Partner slugs."
    )
    sources = SourceSerializer(
        many=True,
        source="entry_sources",
        help_text="What its facts rest on, newest first; none: nothing confirms it is current.",
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, row) -> str:
        return f"{self.context['url_prefix']}{row['slug']}/"


# A text in each of the portal's languages.
TRANSLATIONS_SCHEMA = {
    "type": "object",
    "properties": {"fr": {"type": "string"}, "en": {"type": "string"}},
    "required": ["fr", "en"],
}


@extend_schema_field(TRANSLATIONS_SCHEMA)
class TranslationsField(serializers.Field):
    """``{"fr": ..., "en": ...}`` of the translated column ``name`` of a row or an object."""

    def __init__(self, name: str, **kwargs):
        self.translated = name
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        # A text missing in a language is empty, never null (modeltranslation's columns may be).
        if isinstance(value, dict):
            return {
                language: value[f"{self.translated}_{language}"] or "" for language in ("fr", "en")
            }
        return {
            language: getattr(value, f"{self.translated}_{language}") or ""
            for language in ("fr", "en")
        }


class LabDetailSerializer(LabSerializer):
    """An international structure as the API gives it: the exported fields, then its texts
    in both languages and when its entry was created and last changed."""

    summary = serializers.CharField(source="entry_summary", help_text="HTML, sanitised.")
    translations = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(
        {
            "type": "object",
            "properties": dict.fromkeys(TRANSLATED, TRANSLATIONS_SCHEMA),
            "required": list(TRANSLATED),
        }
    )
    def get_translations(self, row) -> dict:
        return {
            name: {language: row[f"{name}_{language}"] for language in ("fr", "en")}
            for name in TRANSLATED
        }
