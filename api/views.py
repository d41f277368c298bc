"""The read API, ``/api/v1/``: lists (paginated, in an explicit order) and objects of the
published entries, in the language asked (``lang=fr|en``, else Accept-Language)."""

import datetime
import re

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from geography.models import Country
from geography.regions import REGION_BY_COUNTRY, Region
from instruments.models import Call, Instrument
from laboratories.filters import SORT_CHOICES, STATUS_CHOICES, LabFilterSet, Problem
from laboratories.models import KeyFigure, Lab, Partner, ResearchCenter
from laboratories.serializers import LabDetailSerializer, lab_rows
from offices.models import Office

from . import serializers
from .errors import InvalidParameters
from .pagination import licence
from .throttling import rate_limit_headers

LANGUAGES = ("fr", "en")
# What a slug or a code may be; anything else is not an entry (404), whatever it holds.
IDENTIFIER = re.compile(r"[-a-zA-Z0-9_]{1,120}")

LANG_PARAMETER = OpenApiParameter(
    "lang",
    str,
    enum=list(LANGUAGES),
    description="Language of the texts and addresses (else Accept-Language, else French).",
)
ERRORS = {
    400: OpenApiResponse(
        serializers.InvalidParametersSerializer,
        description="A parameter could not be used: each error names it.",
    ),
    429: OpenApiResponse(serializers.DetailSerializer, description="Too many requests."),
}
NOT_FOUND = {404: OpenApiResponse(serializers.DetailSerializer, description="No such entry.")}
NO_PAGE = {404: OpenApiResponse(serializers.DetailSerializer, description="No such page.")}


def read_language(request) -> str:
    """``lang`` (once, fr or en), else LocaleMiddleware's choice from Accept-Language."""
    asked = request.query_params.getlist("lang")
    if len(asked) > 1 or asked and asked[0] not in LANGUAGES:
        reason = _("not a language of the portal (fr or en), or given more than once")
        raise InvalidParameters([Problem("lang", ",".join(asked)[:80], reason)])
    if asked:
        return asked[0]
    return (translation.get_language() or "fr")[:2]


class PortalViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only, in the asked language; every response names the data's licence (a
    ``Link: rel="license"`` header) and the client's rate limit (RateLimit-* headers)."""

    # Any identifier reaches get_object, which answers 404 in JSON for what is not one.
    lookup_value_regex = "[^/]+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        language = read_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        response["Link"] = f'<{licence()["url"]}>; rel="license"'
        patch_vary_headers(response, ["Accept-Language"])
        for name, value in rate_limit_headers(request).items():
            response[name] = value
        return response

    def get_object(self):
        value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        if not IDENTIFIER.fullmatch(value):
            raise NotFound()
        return get_object_or_404(self.get_queryset(), **self.lookup_filter(value))

    def lookup_filter(self, value: str) -> dict:
        return {self.lookup_field: value}


# ISO 3166-1 codes, in either case (an empty value is no filter).
COUNTRY_CODES = ["", *sorted(REGION_BY_COUNTRY), *sorted(c.lower() for c in REGION_BY_COUNTRY)]


def lab_filter_parameters():
    """The labs list's parameters, from its FilterSet (the page's own definition)."""
    # An empty value is no filter, as the page's forms send it.
    static = {
        "region": ["", *(value for value, _label in Region.choices)],
        "status": ["", *(value for value, _label in STATUS_CHOICES)],
        "sort": ["", *(value for value, _label in SORT_CHOICES)],
        "industry": ["", "yes"],
    }
    parameters = []
    for name, definition in LabFilterSet.base_filters.items():
        many = name == "country"
        parameters.append(
            OpenApiParameter(
                name,
                str,
                many=many or None,
                explode=True if many else None,
                enum=COUNTRY_CODES if many else static.get(name),
                description=str(definition.label),
            )
        )
    return parameters


@extend_schema(tags=["labs"])
class LabViewSet(PortalViewSet):
    """International structures (IRL, IRP, IRN, IEA, UMIFRE): the labs list's filters."""

    serializer_class = LabDetailSerializer
    lookup_field = "slug"

    def get_serializer_context(self):
        url = reverse("laboratories:detail", kwargs={"slug": "x"})[:-2]
        return {
            **super().get_serializer_context(),
            "url_prefix": self.request.build_absolute_uri(url),
        }

    def rows(self, labs):
        return lab_rows(
            labs, language=translation.get_language(), today=datetime.date.today(), detailed=True
        )

    def get_queryset(self):
        return self.rows(Lab.objects.published().order_by("slug"))

    @extend_schema(
        parameters=[*lab_filter_parameters(), LANG_PARAMETER],
        responses={200: LabDetailSerializer(many=True), **ERRORS, **NO_PAGE},
    )
    def list(self, request, *args, **kwargs):
        filterset = LabFilterSet(
            request.query_params,
            base_url=reverse("laboratories:list"),
            language=translation.get_language(),
        )
        # Nothing to rank by without search words: by name, as on the page (not an error).
        problems = [
            p for p in filterset.problems if (p.parameter, p.value) != ("sort", "relevance")
        ]
        if problems:
            raise InvalidParameters(problems)
        page = self.paginate_queryset(self.rows(filterset.qs))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        parameters=[LANG_PARAMETER], responses={200: LabDetailSerializer, **ERRORS, **NOT_FOUND}
    )
    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)


def documented(tag: str, serializer):
    """The schema of a list and an object endpoint of ``serializer``."""

    def decorate(view):
        view = extend_schema_view(
            list=extend_schema(
                parameters=[LANG_PARAMETER],
                responses={200: serializer(many=True), **ERRORS, **NO_PAGE},
            ),
            retrieve=extend_schema(
                parameters=[LANG_PARAMETER], responses={200: serializer, **ERRORS, **NOT_FOUND}
            ),
        )(view)
        return extend_schema(tags=[tag])(view)

    return decorate


@documented("centres", serializers.CentreSerializer)
class CentreViewSet(PortalViewSet):
    """International Research Centers, by slug."""

    serializer_class = serializers.CentreSerializer
    lookup_field = "slug"

    def get_queryset(self):
        labs = Lab.objects.published().only("slug").order_by("slug")
        return (
            ResearchCenter.objects.published()
            .with_list_relations()
            .prefetch_related(
                "institutes",
                "sources",
                Prefetch("labs", queryset=labs, to_attr="published_labs"),
            )
            .order_by("slug")
        )


@documented("offices", serializers.OfficeSerializer)
class OfficeViewSet(PortalViewSet):
    """CNRS offices abroad and the Brussels antenna (open ones first), by slug."""

    serializer_class = serializers.OfficeSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Office.objects.with_detail_relations().order_by("-is_open", "slug")


@documented("instruments", serializers.InstrumentSerializer)
class InstrumentViewSet(PortalViewSet):
    """The cooperation instruments, by code (any case)."""

    serializer_class = serializers.InstrumentSerializer
    lookup_field = "code"

    def get_queryset(self):
        return Instrument.objects.ordered()

    def lookup_filter(self, value):
        return {"code": value.upper()}


@documented("calls", serializers.CallSerializer)
class CallViewSet(PortalViewSet):
    """Calls for applications of the instruments, by slug: those of the calls calendar."""

    serializer_class = serializers.CallSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Call.objects.published().with_relations().order_by("instrument__position", "slug")


@documented("countries", serializers.CountrySerializer)
class CountryViewSet(PortalViewSet):
    """Countries (ISO 3166-1 alpha-2, any case) and their world region."""

    serializer_class = serializers.CountrySerializer
    lookup_field = "code"

    def get_queryset(self):
        return Country.objects.order_by("code")

    def lookup_filter(self, value):
        return {"code": value.upper()}


@documented("partners", serializers.PartnerSerializer)
class PartnerViewSet(PortalViewSet):
    """Partner institutions of at least one published lab or centre, by slug."""

    serializer_class = serializers.PartnerSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Partner.objects.with_published_entries().with_detail_relations().order_by("slug")


@documented("key figures", serializers.KeyFigureSerializer)
class KeyFigureViewSet(PortalViewSet):
    """Dated, sourced figures on the CNRS abroad, by metric then newest year first; an
    object is ``<metric>-<year>``."""

    serializer_class = serializers.KeyFigureSerializer
    lookup_field = "key"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return KeyFigure.objects.order_by("metric", "-year")

    def get_object(self):
        metric, _dash, year = self.kwargs["key"].rpartition("-")
        if not (metric and year.isdigit() and len(year) == 4):
            raise NotFound()
        return get_object_or_404(self.get_queryset(), metric=metric[:40], year=int(year))
