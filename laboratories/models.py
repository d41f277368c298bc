import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Count, Exists, F, Func, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, Lower, NullIf
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from backoffice.review_dates import ReviewDates, ReviewDatesQuerySet
from core.text import name_key
from geography.models import LATITUDE_VALIDATORS, LONGITUDE_VALIDATORS, Country
from geography.regions import country_name
from instruments.models import Call
from provenance.dates import DatePrecision, format_partial_date, precision_field
from provenance.models import latest_as_of, source_of_row, sources_relation
from provenance.ror import ror_url, validate_ror
from provenance.serializers import sources_array
from search.documents import SEARCH_CONFIGS, DocumentSpec, Lender, Related, Stored, countries_of
from search.queries import SearchableQuerySet

from .links import lab_list_url


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


class Institute(models.Model):
    """One of the ten scientific institutes of the CNRS."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=200)
    website = models.URLField(_("website"), blank=True)
    referents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referents"),
        related_name="referent_institutes",
        blank=True,
    )
    calls = models.ManyToManyField(
        Call,
        verbose_name=_("calls for applications aimed at it"),
        related_name="institutes",
        blank=True,
    )

    class Meta:
        verbose_name = _("institute")
        verbose_name_plural = _("institutes")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def get_absolute_url(self):
        return lab_list_url(institute=self.code)


class Theme(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["slug"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return lab_list_url(theme=self.slug)


class PartnerQuerySet(models.QuerySet):
    def with_published_entries(self):
        """Partners of at least one published lab or centre (what the public may see)."""
        return self.filter(
            Q(Exists(Lab.objects.published().filter(partners=OuterRef("pk"))))
            | Q(Exists(ResearchCenter.objects.published().filter(university=OuterRef("pk"))))
        )

    def with_detail_relations(self):
        return self.select_related("country").prefetch_related("sources")


class Partner(models.Model):
    """A partner institution: a university, a research body or a company."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University")
        RESEARCH = "research", _("Research organisation")
        COMPANY = "company", _("Company")
        OTHER = "other", _("Other")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="partners",
        null=True,
        blank=True,
    )
    website = models.URLField(_("website"), blank=True)
    ror = models.CharField(
        _("ROR identifier"),
        max_length=9,
        blank=True,
        validators=[validate_ror],
        help_text=_("The institution's identifier in the Research Organization Registry."),
    )
    sources = sources_relation()

    objects = PartnerQuerySet.as_manager()

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner institution")
        verbose_name_plural = _("partner institutions")
        ordering = ["slug"]
        indexes = [models.Index(fields=["kind"], name="partner_kind_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("laboratories:partner", kwargs={"slug": self.slug})

    @property
    def ror_url(self) -> str:
        return ror_url(self.ror)


# What the labs list's filters read (LabCondition), beside the lab's name in its indexes.
LIST_FACTS = [
    "instrument_id",
    "ends_on",
    "has_company_partner",
    "country_codes",
    "region_codes",
    "institute_ids",
    "theme_ids",
    "partner_ids",
]


class LabStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class LabCondition:
    """Each rule of the labs' filters, written once, as a condition (``Q``) on the facts
    stored on the Lab row (kept by :func:`search.documents.refresh_search_documents`).

    The :class:`LabQuerySet` methods filter with them (the labs list and its exports, the
    admin list filters and dashboard, the API); the labs list also evaluates them side by
    side to count all its facets in one statement (:mod:`laboratories.filters`).
    """

    @staticmethod
    def ended(day: datetime.date) -> Q:
        """Ended on ``day``: its end (``ends_on``) came before that day."""
        return Q(ends_on__lt=day)

    @staticmethod
    def active(day: datetime.date) -> Q:
        """Active on ``day``: not ended (no end, or an end on that day or later)."""
        return Q(ends_on__isnull=True) | Q(ends_on__gte=day)

    @classmethod
    def status(cls, day: datetime.date) -> Case:
        """The :class:`LabStatus` on ``day``, as an expression: ended, else active."""
        return Case(
            When(cls.ended(day), then=Value(LabStatus.ENDED.value)),
            default=Value(LabStatus.ACTIVE.value),
            output_field=models.CharField(),
        )

    @staticmethod
    def ending_between(first: datetime.date, last: datetime.date) -> Q:
        return Q(ends_on__gte=first, ends_on__lte=last)

    @classmethod
    def ending_soon(cls, day: datetime.date) -> Q:
        """Active on ``day`` and ending within the next 12 months (shown as "ending")."""
        return cls.ending_between(day, add_years(day, 1))

    @staticmethod
    def in_countries(codes) -> Q:
        """With a partner in any of the countries ``codes`` (ISO codes, any case)."""
        return Q(country_codes__overlap=sorted({str(code).upper() for code in codes}))

    @staticmethod
    def in_region(region: str) -> Q:
        return Q(region_codes__contains=[str(region)])

    @staticmethod
    def with_instrument(instrument_id: int) -> Q:
        return Q(instrument_id=instrument_id)

    @staticmethod
    def involving_institute(institute_id: int) -> Q:
        """Led by the institute, or counting it among its other institutes."""
        return Q(institute_ids__contains=[institute_id])

    @staticmethod
    def with_theme(theme_id: int) -> Q:
        return Q(theme_ids__contains=[theme_id])

    @staticmethod
    def with_partner(partner_id: int) -> Q:
        return Q(partner_ids__contains=[partner_id])

    @staticmethod
    def with_industry() -> Q:
        """With a company among its partners."""
        return Q(has_company_partner=True)


class LabQuerySet(ReviewDatesQuerySet, SearchableQuerySet):
    def published(self):
        return self.filter(is_published=True)

    def active_on(self, day: datetime.date):
        return self.filter(LabCondition.active(day))

    def ended_on(self, day: datetime.date):
        return self.filter(LabCondition.ended(day))

    def with_status(self, day: datetime.date):
        """Each lab with its ``status`` on ``day`` (a :class:`LabStatus` value) and whether
        it ends within 12 months (``ending_soon``)."""
        return self.annotate(
            status=LabCondition.status(day),
            ending_soon=Case(
                When(LabCondition.ending_soon(day), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
        )

    def ending_between(self, first: datetime.date, last: datetime.date):
        return self.filter(LabCondition.ending_between(first, last))

    def in_countries(self, codes):
        return self.filter(LabCondition.in_countries(codes))

    def in_region(self, region: str):
        return self.filter(LabCondition.in_region(region))

    def with_instrument(self, instrument_id: int):
        return self.filter(LabCondition.with_instrument(instrument_id))

    def involving_institute(self, institute_id: int):
        return self.filter(LabCondition.involving_institute(institute_id))

    def with_theme(self, theme_id: int):
        return self.filter(LabCondition.with_theme(theme_id))

    def with_partner(self, partner_id: int):
        return self.filter(LabCondition.with_partner(partner_id))

    def with_industry(self):
        return self.filter(LabCondition.with_industry())

    def for_institutes(self, institutes):
        return self.filter(lead_institute__in=institutes)

    def count_by_instrument(self) -> dict[int, int]:
        rows = self.order_by().values("instrument_id").annotate(count=Count("pk"))
        return {row["instrument_id"]: row["count"] for row in rows}

    def with_list_relations(self):
        return self.select_related("instrument", "lead_institute").prefetch_related(
            "countries", "themes"
        )

    def with_detail_relations(self):
        return self.select_related(
            "instrument", "lead_institute", "predecessor__instrument"
        ).prefetch_related(
            "countries",
            "themes",
            "other_institutes",
            "partners__country",
            models.Prefetch("quotes", queryset=Quote.objects.shown()),
            "research_centers",
            "sources",
            "successors__instrument",
        )


class Lab(ReviewDates):
    """An international structure created under an instrument: an IRL, IRP, IRN, IEA, UMIFRE."""

    # Fields that may hold a little HTML, cleaned on save (core.sanitize).
    rich_text_fields = ("summary", "description")

    # What search finds it by (search.documents).
    search_document = DocumentSpec(
        table="laboratories_lab",
        own={
            "A": ["name_fr", "name_en", "acronym"],
            "B": ["city_fr", "city_en"],
            "C": ["summary_fr", "summary_en", "director"],
            "D": ["description_fr", "description_en"],
        },
        related=[
            Related("countries", countries_of("laboratories_lab_countries", "lab_id"), "B"),
            Related(
                "partners",
                "SELECT x.lab_id, p.name_fr, concat_ws(' ', p.name_en, p.acronym) "
                "FROM laboratories_lab_partners x "
                "JOIN laboratories_partner p ON p.id = x.partner_id",
                "B",
            ),
            Related(
                "themes",
                "SELECT x.lab_id, t.name_fr, t.name_en FROM laboratories_lab_themes x "
                "JOIN laboratories_theme t ON t.id = x.theme_id",
                "C",
            ),
        ],
        stored=[
            Stored(
                "country_codes",
                "SELECT lab_id, country_id::text FROM laboratories_lab_countries",
                "array_agg(DISTINCT item ORDER BY item)",
                "'{}'::text[]",
            ),
            Stored(
                "region_codes",
                "SELECT x.lab_id, c.region::text FROM laboratories_lab_countries x "
                "JOIN geography_country c ON c.code = x.country_id",
                "array_agg(DISTINCT item ORDER BY item)",
                "'{}'::text[]",
            ),
            Stored(
                "institute_ids",
                "SELECT id, lead_institute_id FROM laboratories_lab "
                "WHERE lead_institute_id IS NOT NULL UNION ALL "
                "SELECT lab_id, institute_id FROM laboratories_lab_other_institutes",
                "array_agg(DISTINCT item ORDER BY item)",
                "'{}'::bigint[]",
            ),
            Stored(
                "theme_ids",
                "SELECT lab_id, theme_id FROM laboratories_lab_themes",
                "array_agg(DISTINCT item ORDER BY item)",
                "'{}'::bigint[]",
            ),
            Stored(
                "partner_ids",
                "SELECT lab_id, partner_id FROM laboratories_lab_partners",
                "array_agg(DISTINCT item ORDER BY item)",
                "'{}'::bigint[]",
            ),
            *(
                Stored(
                    f"country_sort_{language}",
                    f"SELECT x.lab_id, lower(portal_fold(n.value ->> '{language}')) "
                    "FROM laboratories_lab_countries x JOIN country_name n ON n.key = x.country_id",
                    "min(item)",
                    "NULL",
                )
                for language in SEARCH_CONFIGS
            ),
            Stored(
                "has_company_partner",
                # Partner.Kind.COMPANY
                "SELECT x.lab_id, p.kind = 'company' FROM laboratories_lab_partners x "
                "JOIN laboratories_partner p ON p.id = x.partner_id",
                "bool_or(item)",
                "false",
            ),
        ],
        m2m=["countries", "partners", "themes", "other_institutes"],
        # Partners and themes lend their names; a partner its kind, a country its region, a
        # theme and an institute their id to the stored columns (an institute only by leaving).
        lenders=[
            Lender("laboratories.Partner", "partners"),
            Lender("laboratories.Theme", "themes"),
            Lender("geography.Country", "countries"),
            Lender("laboratories.Institute", "other_institutes", on_save=False),
        ],
    )

    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    instrument = models.ForeignKey(
        "instruments.Instrument",
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="labs",
    )
    lead_institute = models.ForeignKey(
        Institute,
        verbose_name=_("lead institute"),
        on_delete=models.PROTECT,
        related_name="led_labs",
        null=True,
        blank=True,
        help_text=_("Leave empty when no source names it."),
    )
    other_institutes = models.ManyToManyField(
        Institute, verbose_name=_("other institutes"), related_name="labs", blank=True
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("foreign partner countries"), related_name="labs"
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=LATITUDE_VALIDATORS,
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=LONGITUDE_VALIDATORS,
    )
    partners = models.ManyToManyField(
        Partner, verbose_name=_("partner institutions"), related_name="labs", blank=True
    )
    director = models.CharField(_("director"), max_length=150, blank=True)
    created_on = models.DateField(
        _("created"),
        null=True,
        blank=True,
        help_text=_("When the structure was created, under this instrument or a former one."),
    )
    created_precision = precision_field(_("precision of the creation date"))
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_("Leave empty to follow the instrument's duration."),
    )
    end_precision = precision_field(_("precision of the end date"))
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("former structure"),
        on_delete=models.SET_NULL,
        related_name="successors",
        null=True,
        blank=True,
        help_text=_("The entry this structure continues, when the portal lists it."),
    )
    predecessor_instrument = models.CharField(
        _("former instrument"),
        max_length=20,
        blank=True,
        help_text=_("The instrument it was created under before, such as UMI, LIA or GDRI."),
    )
    predecessor_name = models.CharField(_("former name"), max_length=250, blank=True)
    predecessor_acronym = models.CharField(_("former acronym"), max_length=60, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    contact_address = models.TextField(_("contact address"), blank=True)
    sources = sources_relation()
    ends_on = models.DateField(
        _("ends on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The end date, or the start date plus the instrument's duration."),
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), related_name="labs", blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The order of the lists, by name in each language (the other language's name when
    # empty), accents and case aside: computed and stored by PostgreSQL.
    sort_name_fr = models.GeneratedField(
        expression=Lower(
            Func(Coalesce(NullIf("name_fr", Value("")), "name_en"), function="portal_fold")
        ),
        output_field=models.TextField(),
        db_persist=True,
    )
    sort_name_en = models.GeneratedField(
        expression=Lower(
            Func(Coalesce(NullIf("name_en", Value("")), "name_fr"), function="portal_fold")
        ),
        output_field=models.TextField(),
        db_persist=True,
    )
    # Kept by search.documents (both languages' texts, French or English stemming).
    search_vector_fr = SearchVectorField(null=True, editable=False)
    search_vector_en = SearchVectorField(null=True, editable=False)
    # What the labs list filters and counts on (LabCondition), kept by search.documents
    # in the same refresh as the search documents, from the related lists.
    country_codes = ArrayField(
        models.TextField(), verbose_name=_("countries"), default=list, editable=False
    )
    region_codes = ArrayField(
        models.TextField(), verbose_name=_("world region"), default=list, editable=False
    )
    institute_ids = ArrayField(
        models.BigIntegerField(), verbose_name=_("institutes"), default=list, editable=False
    )
    theme_ids = ArrayField(
        models.BigIntegerField(), verbose_name=_("themes"), default=list, editable=False
    )
    partner_ids = ArrayField(
        models.BigIntegerField(),
        verbose_name=_("partner institutions"),
        default=list,
        editable=False,
    )
    has_company_partner = models.BooleanField(
        _("With a company among the partners"), default=False, editable=False
    )
    # The order by country: the first of its countries' names in each language, accents
    # and case aside; NULL without a country (last in that order).
    country_sort_fr = models.TextField(_("countries"), null=True, editable=False)  # noqa: DJ001
    country_sort_en = models.TextField(_("countries"), null=True, editable=False)  # noqa: DJ001

    Status = LabStatus

    objects = LabQuerySet.as_manager()

    class Meta:
        verbose_name = _("international structure")
        verbose_name_plural = _("international structures")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["instrument", "lead_institute"], name="lab_instrument_institute"),
            models.Index(fields=["ends_on"], name="lab_ends_on_idx"),
            models.Index(fields=["start_date"], name="lab_start_date_idx"),
            GinIndex(fields=["search_vector_fr"], name="lab_search_fr_idx"),
            GinIndex(fields=["search_vector_en"], name="lab_search_en_idx"),
            GinIndex(fields=["country_codes"], name="lab_country_codes_idx"),
            GinIndex(fields=["region_codes"], name="lab_region_codes_idx"),
            GinIndex(fields=["institute_ids"], name="lab_institute_ids_idx"),
            GinIndex(fields=["theme_ids"], name="lab_theme_ids_idx"),
            GinIndex(fields=["partner_ids"], name="lab_partner_ids_idx"),
            # The lists' order, by name in each language (laboratories.filters), with the
            # facts the filters read: a page of a filtered list is found in the index alone.
            models.Index(
                fields=["sort_name_fr", "id"],
                include=LIST_FACTS,
                condition=Q(is_published=True),
                name="lab_name_fr_order_idx",
            ),
            models.Index(
                fields=["sort_name_en", "id"],
                include=LIST_FACTS,
                condition=Q(is_published=True),
                name="lab_name_en_order_idx",
            ),
            # By country, in each language (and the same facts).
            models.Index(
                fields=["country_sort_fr", "sort_name_fr", "id"],
                include=LIST_FACTS,
                condition=Q(is_published=True),
                name="lab_country_fr_order_idx",
            ),
            models.Index(
                fields=["country_sort_en", "sort_name_en", "id"],
                include=LIST_FACTS,
                condition=Q(is_published=True),
                name="lab_country_en_order_idx",
            ),
            # Newest first (the other orders by date use lab_start_date_idx).
            models.Index(
                F("start_date").desc(nulls_last=True),
                condition=Q(is_published=True),
                name="lab_start_desc_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gt=F("start_date")),
                name="lab_end_after_start",
                violation_error_message=_("The end date must come after the start date."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(start_date__isnull=True)
                | Q(ends_on__gt=F("start_date")),
                name="lab_ends_on_after_start",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="lab_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="lab_longitude_range",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.ends_on = self.compute_ends_on()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"end_date", "start_date", "instrument"} & set(
            update_fields
        ):
            kwargs["update_fields"] = {*update_fields, "ends_on"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("laboratories:detail", kwargs={"slug": self.slug})

    @staticmethod
    def name_order(language: str) -> F:
        """The stored sort key of the names in ``language`` (French unless English)."""
        return F("sort_name_en" if language == "en" else "sort_name_fr")

    @staticmethod
    def country_order(language: str) -> F:
        """The stored sort key of the countries in ``language`` (French unless English)."""
        return F("country_sort_en" if language == "en" else "country_sort_fr")

    @property
    def created_display(self) -> str:
        """When it was created, as precisely as known ("2006", "March 2021")."""
        return format_partial_date(self.created_on, self.created_precision)

    @property
    def ends_on_display(self) -> str:
        """Its end, as precisely as known: the end date's precision when one is set."""
        precision = self.end_precision if self.end_date else DatePrecision.DAY
        return format_partial_date(self.ends_on, precision)

    @property
    def has_former_structure(self) -> bool:
        return bool(self.predecessor_id or self.predecessor_name or self.predecessor_acronym)

    @property
    def as_of_display(self) -> str:
        """The date of its most recent source (prefetched ``sources``), "" without one."""
        return format_partial_date(*latest_as_of(self.sources.all()))

    def compute_ends_on(self):
        if self.end_date:
            return self.end_date
        duration = self.instrument.duration_years if self.instrument_id else None
        if self.start_date and duration:
            return add_years(self.start_date, duration)
        return None

    @property
    def country_names(self) -> list[str]:
        """The names of its partner countries in the page's language, by name."""
        return sorted((country_name(code) for code in self.country_codes), key=name_key)


class ResearchCenterQuerySet(ReviewDatesQuerySet, SearchableQuerySet):
    def published(self):
        return self.filter(is_published=True)

    def for_institutes(self, institutes):
        return self.filter(institutes__in=institutes).distinct()

    def count_by_country(self) -> dict[str, int]:
        rows = self.order_by().values("country_id").annotate(count=Count("pk"))
        return {row["country_id"]: row["count"] for row in rows}

    def with_list_relations(self):
        return self.select_related("university", "country").prefetch_related("themes")

    def with_detail_relations(self):
        return self.select_related("university", "country").prefetch_related(
            "themes", "institutes", "labs__instrument", "labs__countries", "sources"
        )


class ResearchCenter(ReviewDates):
    """An International Research Center: a strategic partnership with one foreign university."""

    # Fields that may hold a little HTML, cleaned on save (core.sanitize).
    rich_text_fields = ("summary", "description", "other_structures")

    # What search finds it by (search.documents).
    search_document = DocumentSpec(
        table="laboratories_researchcenter",
        own={
            "A": ["name_fr", "name_en", "acronym"],
            "C": ["summary_fr", "summary_en", "other_structures_fr", "other_structures_en"],
            "D": ["description_fr", "description_en"],
        },
        related=[
            Related("country", countries_of("laboratories_researchcenter", "id"), "B"),
            Related(
                "university",
                "SELECT c.id, p.name_fr, concat_ws(' ', p.name_en, p.acronym) "
                "FROM laboratories_researchcenter c "
                "JOIN laboratories_partner p ON p.id = c.university_id",
                "B",
            ),
            Related(
                "themes",
                "SELECT x.researchcenter_id, t.name_fr, t.name_en "
                "FROM laboratories_researchcenter_themes x "
                "JOIN laboratories_theme t ON t.id = x.theme_id",
                "C",
            ),
        ],
        m2m=["themes"],
        lenders=[
            Lender("laboratories.Partner", "university"),
            Lender("laboratories.Theme", "themes"),
        ],
    )

    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    university = models.ForeignKey(
        Partner,
        verbose_name=_("partner university"),
        on_delete=models.PROTECT,
        related_name="research_centers",
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="research_centers",
    )
    institutes = models.ManyToManyField(
        Institute, verbose_name=_("institutes"), related_name="research_centers", blank=True
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), related_name="research_centers", blank=True
    )
    labs = models.ManyToManyField(
        Lab,
        verbose_name=_("structures it builds on"),
        related_name="research_centers",
        blank=True,
    )
    other_structures = models.TextField(
        _("other structures it builds on"),
        blank=True,
        help_text=_("Structures that are not in the portal, such as an observatory."),
    )
    is_first = models.BooleanField(_("first centre created"), default=False)
    created_on = models.DateField(_("created"), null=True, blank=True)
    created_precision = precision_field(_("precision of the creation date"))
    sources = sources_relation()
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    # Kept by search.documents.
    search_vector_fr = SearchVectorField(null=True, editable=False)
    search_vector_en = SearchVectorField(null=True, editable=False)

    objects = ResearchCenterQuerySet.as_manager()

    class Meta:
        verbose_name = _("International Research Center")
        verbose_name_plural = _("International Research Centers")
        ordering = ["name"]
        indexes = [
            GinIndex(fields=["search_vector_fr"], name="center_search_fr_idx"),
            GinIndex(fields=["search_vector_en"], name="center_search_en_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["is_first"], condition=Q(is_first=True), name="only_one_first_center"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("laboratories:center", kwargs={"slug": self.slug})

    @property
    def created_display(self) -> str:
        return format_partial_date(self.created_on, self.created_precision)

    @property
    def as_of_display(self) -> str:
        return format_partial_date(*latest_as_of(self.sources.all()))


class QuoteQuerySet(models.QuerySet):
    def shown(self):
        """The quotes the public site shows: published, and of a published lab (or of none)."""
        return self.filter(is_published=True).filter(
            Q(lab__isnull=True) | Q(lab__in=Lab.objects.published())
        )


class Quote(models.Model):
    """Words of a person quoted on the site, such as a director's testimony."""

    # Fields that may hold a little HTML, cleaned on save (core.sanitize).
    rich_text_fields = ("text",)

    text = models.TextField(_("quote"))
    author = models.CharField(_("author"), max_length=150)
    author_role = models.CharField(_("author's role"), max_length=250, blank=True)
    lab = models.ForeignKey(
        Lab,
        verbose_name=_("structure"),
        on_delete=models.CASCADE,
        related_name="quotes",
        null=True,
        blank=True,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("published"), default=True)

    objects = QuoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["position", "author"]

    def __str__(self):
        return f"{self.author}: {self.text[:60]}"

    def get_absolute_url(self):
        if self.lab_id:
            return self.lab.get_absolute_url()
        return reverse("home")


class KeyFigureQuerySet(models.QuerySet):
    def latest_per_metric(self):
        """The latest figure of each metric (one query, PostgreSQL DISTINCT ON)."""
        return self.order_by("metric", "-year").distinct("metric")


class KeyFigure(models.Model):
    """A dated, sourced figure on the CNRS abroad, shown on the home page."""

    class Metric(models.TextChoices):
        PUBLICATIONS_WITH_FOREIGN_LAB = (
            "publications-foreign-lab",
            _("Share of publications with at least one foreign laboratory"),
        )
        FOREIGN_STAFF = (
            "foreign-staff",
            _("Foreign researchers, doctoral students and postdocs in French labs"),
        )
        FOREIGN_RECRUITS = "foreign-recruits", _("Share of foreign researchers among recruits")
        MISSIONS_ABROAD = "missions-abroad", _("Missions abroad by staff of joint units each year")
        IRL_COUNT = "irl-count", _("International Research Laboratories")
        IRL_WITH_INDUSTRY = "irl-industry", _("International Research Laboratories with industry")
        UMIFRE_COUNT = "umifre-count", _("French research institutes abroad (UMIFRE)")
        ERC_LAUREATES = "erc-laureates", _("ERC grant laureates hosted by the CNRS")

    class Unit(models.TextChoices):
        COUNT = "count", _("count")
        PERCENT = "percent", _("percent")

    metric = models.CharField(_("figure"), max_length=40, choices=Metric.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1939), MaxValueValidator(2100)]
    )
    period_start_year = models.PositiveSmallIntegerField(
        _("period start year"),
        null=True,
        blank=True,
        help_text=_("For a figure counted over several years, the first year."),
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.COUNT)
    is_approximate = models.BooleanField(_("approximate"), default=False)
    source = models.CharField(_("source"), max_length=250, blank=True)
    source_url = models.URLField(_("source address"), blank=True)
    sources = sources_relation()

    objects = KeyFigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        ordering = ["metric", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["metric", "year"], name="one_figure_per_metric_year"),
            models.CheckConstraint(
                condition=Q(period_start_year__isnull=True) | Q(period_start_year__lte=F("year")),
                name="key_figure_period_start_lte_year",
            ),
            models.CheckConstraint(
                condition=~Q(unit="percent") | Q(value__gte=0, value__lte=100),
                name="key_figure_percent_range",
            ),
        ]

    def __str__(self):
        return f"{self.get_metric_display()} ({self.year})"

    def get_absolute_url(self):
        return reverse("home")


class FactQuerySet(models.QuerySet):
    def shown_on(self, *places: str):
        """The published facts of places of the site, in order, each with its sources
        (``source_rows``): one query."""
        return (
            self.filter(is_published=True, place__in=places)
            .annotate(source_rows=sources_array("laboratories", "fact"))
            .order_by("group", "position", "key")
        )


class Fact(models.Model):
    """A sourced statement on the CNRS abroad (a fact of the source documents, or a person's
    words), shown on one place of the site in both languages."""

    # Fields that may hold a little HTML, cleaned on save (core.sanitize).
    rich_text_fields = ("text",)

    class Place(models.TextChoices):
        HOME = "home", _("Home page")
        ABOUT = "about", _("Home page: the CNRS abroad")
        INSTRUMENTS = "instruments", _("Instruments page")
        EUROPE = "europe", _("Instruments page: Europe")
        COUNTRIES = "countries", _("Countries page")
        DERCI = "derci", _("Offices page: Derci")

    # What a group of facts is called where it is shown.
    GROUPS = {"world-class-assets": _("Its world-class assets")}

    key = models.SlugField(_("key"), max_length=80, unique=True)
    place = models.CharField(_("place on the site"), max_length=20, choices=Place.choices)
    group = models.SlugField(
        _("group"),
        max_length=80,
        blank=True,
        help_text=_("Facts shown together as one list, such as the world-class assets."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("text"))
    speaker = models.CharField(
        _("speaker"), max_length=150, blank=True, help_text=_("For a quote: who said it.")
    )
    speaker_role = models.CharField(_("speaker's role"), max_length=250, blank=True)
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), related_name="facts", blank=True
    )
    is_published = models.BooleanField(_("published"), default=True)
    sources = sources_relation()

    objects = FactQuerySet.as_manager()

    class Meta:
        verbose_name = _("fact")
        verbose_name_plural = _("facts")
        ordering = ["place", "group", "position", "key"]

    def __str__(self):
        return self.key

    def get_absolute_url(self):
        return FACT_PAGES[self.place]()

    @property
    def group_label(self) -> str:
        return str(self.GROUPS.get(self.group, ""))

    @property
    def shown_sources(self):
        """Its sources, from the rows :meth:`FactQuerySet.shown_on` read with it."""
        return [source_of_row(row) for row in getattr(self, "source_rows", None) or []]


# The page of each place (Fact.get_absolute_url).
FACT_PAGES = {
    Fact.Place.HOME: lambda: reverse("home"),
    Fact.Place.ABOUT: lambda: reverse("home") + "#about",
    Fact.Place.INSTRUMENTS: lambda: reverse("instruments:list"),
    Fact.Place.EUROPE: lambda: reverse("instruments:list") + "#europe-title",
    Fact.Place.COUNTRIES: lambda: reverse("countries"),
    Fact.Place.DERCI: lambda: reverse("offices:list") + "#derci",
}
