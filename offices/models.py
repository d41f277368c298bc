from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from backoffice.review_dates import ReviewDates, ReviewDatesQuerySet
from geography.models import LATITUDE_VALIDATORS, LONGITUDE_VALIDATORS, Country
from provenance.dates import format_partial_date, precision_field
from provenance.models import latest_as_of, sources_relation
from search.documents import DocumentSpec, Related, countries_of
from search.queries import SearchableQuerySet


class OfficeQuerySet(ReviewDatesQuerySet, SearchableQuerySet):
    def open(self):
        return self.filter(is_open=True)

    def closed(self):
        return self.filter(is_open=False)

    def covering(self, code: str):
        return self.filter(covered_countries=code.upper())

    def count_by_country(self) -> dict[str, int]:
        """ISO code → how many of these offices are in the country or cover it (one query)."""
        pairs = set()
        for office, country, covered in self.order_by().values_list(
            "pk", "country_id", "covered_countries"
        ):
            pairs |= {(office, country), (office, covered)} if covered else {(office, country)}
        found = {}
        for _office, code in pairs:
            found[code] = found.get(code, 0) + 1
        return found

    def with_list_relations(self):
        return self.select_related("country").prefetch_related("covered_countries")

    def with_detail_relations(self):
        return self.with_list_relations().prefetch_related("sources")


class Office(ReviewDates):
    """A CNRS office abroad, or the Brussels antenna, with the dates it was open."""

    # Fields that may hold a little HTML, cleaned on save (core.sanitize).
    rich_text_fields = ("summary", "missions")

    # What search finds it by (search.documents).
    search_document = DocumentSpec(
        table="offices_office",
        own={
            "A": ["name_fr", "name_en", "city_fr", "city_en"],
            "C": ["summary_fr", "summary_en", "missions_fr", "missions_en", "head"],
            "D": ["address_fr", "address_en"],
        },
        related=[
            Related("country", countries_of("offices_office", "id"), "B"),
            Related("covered", countries_of("offices_office_covered_countries", "office_id"), "C"),
        ],
        m2m=["covered_countries"],
    )

    class Kind(models.TextChoices):
        OFFICE = "office", _("Office")
        ANTENNA = "antenna", _("Antenna")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OFFICE)
    city = models.CharField(_("city"), max_length=120)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="offices"
    )
    covered_countries = models.ManyToManyField(
        Country, verbose_name=_("countries covered"), related_name="covering_offices", blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    missions = models.TextField(_("missions"), blank=True)
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    head = models.CharField(_("head"), max_length=150, blank=True)
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
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    opened_precision = precision_field(_("precision of the opening date"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    is_open = models.BooleanField(
        _("open"), default=True, help_text=_("Untick when the office has closed.")
    )
    sources = sources_relation()
    # Kept by search.documents.
    search_vector_fr = SearchVectorField(null=True, editable=False)
    search_vector_en = SearchVectorField(null=True, editable=False)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["-is_open", "slug"]
        indexes = [
            GinIndex(fields=["search_vector_fr"], name="office_search_fr_idx"),
            GinIndex(fields=["search_vector_en"], name="office_search_en_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(opened_on__isnull=True)
                | Q(closed_on__isnull=True)
                | Q(closed_on__gt=F("opened_on")),
                name="office_closed_after_opened",
                violation_error_message=_("An office closes after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(is_open=False),
                name="office_closed_is_not_open",
                violation_error_message=_("An office with a closing date is not open."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="office_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="office_longitude_range",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("offices:detail", kwargs={"slug": self.slug})

    @property
    def opened_display(self) -> str:
        return format_partial_date(self.opened_on, self.opened_precision)

    @property
    def has_contact(self) -> bool:
        return bool(self.address or self.email or self.phone or self.website)

    @property
    def as_of_display(self) -> str:
        return format_partial_date(*latest_as_of(self.sources.all()))

    def clean(self):
        super().clean()
        if self.closed_on and self.is_open:
            raise ValidationError({"is_open": _("An office with a closing date is not open.")})


class Sector(models.Model):
    """A geographic sector of Derci and the countries it follows."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=150)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), related_name="derci_sectors", blank=True
    )

    class Meta:
        verbose_name = _("Derci sector")
        verbose_name_plural = _("Derci sectors")
        ordering = ["position", "slug"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("offices:list") + f"#sector-{self.slug}"


class DerciMission(models.Model):
    """A mission of Derci, the CNRS directorate for Europe and international cooperation."""

    # Fields that may hold a little HTML, cleaned on save (core.sanitize).
    rich_text_fields = ("text",)

    class Scope(models.TextChoices):
        MAIN = "main", _("Main mission")
        DETAILED = "detailed", _("Detailed mission")

    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.MAIN)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("mission"))

    class Meta:
        verbose_name = _("Derci mission")
        verbose_name_plural = _("Derci missions")
        ordering = ["scope", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "position"], name="one_mission_per_position")
        ]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return reverse("offices:list") + "#derci"
