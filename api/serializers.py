"""What the API gives of each entry other than the labs (whose serialiser, shared with the
exports, is laboratories.serializers). Each object carries its texts in both languages
(``translations``), its identifiers and the address of its public page."""

import datetime

from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from geography.models import Country
from geography.regions import Region, country_name
from instruments.models import Call, Instrument
from laboratories.models import KeyFigure, Partner, ResearchCenter
from laboratories.serializers import TRANSLATIONS_SCHEMA, TranslationsField
from offices.models import Office
from provenance.serializers import SourceSerializer


@extend_schema_field(OpenApiTypes.URI)
class PublicUrlField(serializers.Field):
    """The absolute address of the object's public page (``get_absolute_url``)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        url = value.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class CodeField(serializers.SlugRelatedField):
    """A related object's code or slug, as text (a country's code is an object)."""

    def to_representation(self, obj):
        return str(super().to_representation(obj))


def codes(field: str = "pk", **kwargs):
    """A list of the related objects' ``field`` (codes, slugs)."""
    return CodeField(slug_field=field, many=True, read_only=True, **kwargs)


def translations_of(*names):
    """A ``translations`` field: ``{name: {"fr": ..., "en": ...}}`` for each of ``names``."""

    @extend_schema_field(
        {
            "type": "object",
            "properties": dict.fromkeys(names, TRANSLATIONS_SCHEMA),
            "required": list(names),
        }
    )
    class Translations(serializers.Field):
        def __init__(self, **kwargs):
            super().__init__(source="*", read_only=True, **kwargs)

        def to_representation(self, value):
            return {name: TranslationsField(name).to_representation(value) for name in names}

    return Translations()


class CountrySerializer(serializers.ModelSerializer):
    code = serializers.SerializerMethodField(help_text="ISO 3166-1 alpha-2 code.")
    name = serializers.SerializerMethodField()
    translations = serializers.SerializerMethodField()
    region = serializers.ChoiceField(choices=Region.choices)
    url = PublicUrlField()

    class Meta:
        model = Country
        fields = ["code", "name", "translations", "region", "url"]

    def get_code(self, country) -> str:
        return str(country.code)

    def get_name(self, country) -> str:
        return country_name(str(country.code))

    @extend_schema_field({"type": "object", "properties": {"name": TRANSLATIONS_SCHEMA}})
    def get_translations(self, country) -> dict:
        names = {}
        for language in ("fr", "en"):
            with translation.override(language):
                names[language] = country_name(str(country.code))
        return {"name": names}


class PartnerSerializer(serializers.ModelSerializer):
    sources = SourceSerializer(
        many=True, read_only=True, help_text="What its facts rest on, newest first."
    )
    translations = translations_of("name")
    country = serializers.CharField(source="country_id", allow_null=True)
    url = PublicUrlField()

    class Meta:
        model = Partner
        fields = [
            "slug",
            "name",
            "translations",
            "acronym",
            "kind",
            "country",
            "website",
            "ror",
            "sources",
            "url",
        ]


class CentreSerializer(serializers.ModelSerializer):
    sources = SourceSerializer(
        many=True, read_only=True, help_text="What its facts rest on, newest first."
    )
    translations = translations_of("name", "summary", "description", "other_structures")
    university = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    country = serializers.CharField(source="country_id")
    institutes = codes("code")
    themes = codes("slug")
    labs = serializers.SerializerMethodField(help_text="Slugs of the labs it builds on.")
    url = PublicUrlField()

    class Meta:
        model = ResearchCenter
        fields = [
            "slug",
            "name",
            "acronym",
            "translations",
            "university",
            "country",
            "institutes",
            "themes",
            "labs",
            "is_first",
            "summary",
            "website",
            "sources",
            "url",
        ]

    def get_labs(self, centre) -> list[str]:
        return [lab.slug for lab in centre.published_labs]


class OfficeSerializer(serializers.ModelSerializer):
    sources = SourceSerializer(
        many=True, read_only=True, help_text="What its facts rest on, newest first."
    )
    translations = translations_of("name", "city", "summary", "missions", "address")
    country = serializers.CharField(source="country_id")
    covered_countries = codes("code")
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    url = PublicUrlField()

    class Meta:
        model = Office
        fields = [
            "slug",
            "name",
            "kind",
            "translations",
            "city",
            "country",
            "covered_countries",
            "address",
            "email",
            "phone",
            "website",
            "head",
            "latitude",
            "longitude",
            "opened_on",
            "closed_on",
            "is_open",
            "sources",
            "url",
        ]


class InstrumentSerializer(serializers.ModelSerializer):
    translations = translations_of(
        "name", "tagline", "purpose", "audience", "how_to_apply", "call_window"
    )
    url = PublicUrlField()

    class Meta:
        model = Instrument
        fields = [
            "code",
            "name",
            "tagline",
            "translations",
            "duration_years",
            "funding_min",
            "funding_max",
            "min_partner_countries",
            "max_partner_countries",
            "call_window",
            "application_platform",
            "url",
        ]


class WindowSerializer(serializers.Serializer):
    opens = serializers.DateField()
    closes = serializers.DateField()
    is_open = serializers.BooleanField()


class CallSerializer(serializers.ModelSerializer):
    """A call for applications: its rule (dates once, or months every year), the window open
    now or coming next (``null`` when a call held once is over), where to apply, whom it
    targets, its iCalendar file."""

    translations = translations_of("title", "summary")
    instrument = serializers.CharField(source="instrument.code")
    institutes = codes("code")
    countries = codes("code")
    window = serializers.SerializerMethodField()
    ics_url = serializers.SerializerMethodField()
    url = PublicUrlField()

    class Meta:
        model = Call
        fields = [
            "slug",
            "title",
            "summary",
            "translations",
            "instrument",
            "recurrence",
            "opens_on",
            "closes_on",
            "opens_month",
            "closes_month",
            "window",
            "platform_name",
            "platform_url",
            "source_url",
            "institutes",
            "countries",
            "ics_url",
            "url",
        ]

    @extend_schema_field(WindowSerializer(allow_null=True))
    def get_window(self, call) -> dict | None:
        today = datetime.date.today()
        window = call.window(today)
        if window is None:
            return None
        return {"opens": window[0], "closes": window[1], "is_open": call.is_open(today)}

    @extend_schema_field(OpenApiTypes.URI)
    def get_ics_url(self, call) -> str:
        request = self.context.get("request")
        url = call.ics_url()
        return request.build_absolute_uri(url) if request is not None else url


class KeyFigureSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_metric_display")
    value = serializers.FloatField()
    translations = translations_of("source")

    class Meta:
        model = KeyFigure
        fields = [
            "metric",
            "label",
            "year",
            "period_start_year",
            "value",
            "unit",
            "is_approximate",
            "source",
            "source_url",
            "translations",
        ]


class ErrorSerializer(serializers.Serializer):
    parameter = serializers.CharField()
    value = serializers.CharField()
    reason = serializers.CharField()


class InvalidParametersSerializer(serializers.Serializer):
    errors = ErrorSerializer(many=True)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
