import datetime

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from backoffice.review_dates import ReviewDates, ReviewDatesQuerySet
from core.validators import FileTypeValidator, MaxFileSizeValidator
from provenance.models import sources_relation
from search.documents import DocumentSpec
from search.queries import SearchableQuerySet

FACT_SHEET_MAX_BYTES = 10 * 1024 * 1024
MONTH_VALIDATORS = [MinValueValidator(1), MaxValueValidator(12)]


class InstrumentQuerySet(ReviewDatesQuerySet, SearchableQuerySet):
    def ordered(self):
        return self.order_by("position", "code")


class Instrument(ReviewDates):
    """A cooperation tool of the CNRS (IRL, IRP, IRN, IEA, IRC, UMIFRE) and its rules."""

    # Fields that may hold a little HTML, cleaned on save (core.sanitize).
    rich_text_fields = (
        "purpose",
        "audience",
        "prerequisites",
        "how_to_apply",
        "evaluation",
        "formalisation",
        "funding_details",
        "call_window",
    )

    # What search finds it by (search.documents).
    search_document = DocumentSpec(
        table="instruments_instrument",
        own={
            "A": ["code", "name_fr", "name_en"],
            "B": ["tagline_fr", "tagline_en"],
            "C": [
                "purpose_fr",
                "purpose_en",
                "audience_fr",
                "audience_en",
                "prerequisites_fr",
                "prerequisites_en",
            ],
            "D": [
                "how_to_apply_fr",
                "how_to_apply_en",
                "evaluation_fr",
                "evaluation_en",
                "formalisation_fr",
                "formalisation_en",
                "funding_details_fr",
                "funding_details_en",
                "call_window_fr",
                "call_window_en",
            ],
        },
    )

    code = models.CharField(
        _("code"), max_length=12, unique=True, help_text=_("Upper-case acronym, such as IRL.")
    )
    name = models.CharField(_("name"), max_length=200)
    tagline = models.CharField(_("tagline"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)
    purpose = models.TextField(_("purpose"), blank=True)
    audience = models.TextField(_("who it is for"), blank=True)
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    how_to_apply = models.TextField(_("how to apply"), blank=True)
    evaluation = models.TextField(_("how it is evaluated"), blank=True)
    formalisation = models.TextField(_("how it is formalised"), blank=True)
    funding_details = models.TextField(_("how it is funded"), blank=True)
    duration_years = models.PositiveSmallIntegerField(_("duration in years"), null=True, blank=True)
    funding_min = models.PositiveIntegerField(
        _("minimum CNRS funding (euros)"),
        null=True,
        blank=True,
        help_text=_("Over the whole duration."),
    )
    funding_max = models.PositiveIntegerField(
        _("maximum CNRS funding (euros)"),
        null=True,
        blank=True,
        help_text=_("Over the whole duration."),
    )
    min_partner_countries = models.PositiveSmallIntegerField(
        _("minimum number of foreign partner countries"), null=True, blank=True
    )
    max_partner_countries = models.PositiveSmallIntegerField(
        _("maximum number of foreign partner countries"),
        null=True,
        blank=True,
        help_text=_("Empty when there is no upper limit."),
    )
    call_window = models.TextField(_("call for applications"), blank=True)
    call_opens_month = models.PositiveSmallIntegerField(
        _("month the call opens"), null=True, blank=True, validators=MONTH_VALIDATORS
    )
    call_closes_month = models.PositiveSmallIntegerField(
        _("month the call closes"), null=True, blank=True, validators=MONTH_VALIDATORS
    )
    application_platform = models.CharField(_("application platform"), max_length=100, blank=True)
    fact_sheet = models.FileField(
        _("fact sheet"),
        upload_to="fact-sheets/",
        blank=True,
        validators=[FileTypeValidator(["pdf"]), MaxFileSizeValidator(FACT_SHEET_MAX_BYTES)],
        help_text=_("A PDF file of at most 10 MB."),
    )
    # Kept by search.documents.
    search_vector_fr = SearchVectorField(null=True, editable=False)
    search_vector_en = SearchVectorField(null=True, editable=False)
    sources = sources_relation()

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["position", "code"]
        indexes = [
            GinIndex(fields=["search_vector_fr"], name="instrument_search_fr_idx"),
            GinIndex(fields=["search_vector_en"], name="instrument_search_en_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(funding_min__isnull=True)
                | Q(funding_max__isnull=True)
                | Q(funding_min__lte=F("funding_max")),
                name="instrument_funding_min_lte_max",
                violation_error_message=_("The minimum funding cannot exceed the maximum."),
            ),
            models.CheckConstraint(
                condition=Q(min_partner_countries__isnull=True)
                | Q(max_partner_countries__isnull=True)
                | Q(min_partner_countries__lte=F("max_partner_countries")),
                name="instrument_partner_countries_min_lte_max",
                violation_error_message=_(
                    "The minimum number of partner countries cannot exceed the maximum."
                ),
            ),
            models.CheckConstraint(
                condition=Q(call_opens_month__isnull=True)
                | Q(call_opens_month__gte=1, call_opens_month__lte=12),
                name="instrument_call_opens_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(call_closes_month__isnull=True)
                | Q(call_closes_month__gte=1, call_closes_month__lte=12),
                name="instrument_call_closes_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(code=models.functions.Upper("code")),
                name="instrument_code_upper_case",
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def get_absolute_url(self):
        return reverse("instruments:detail", kwargs={"code": self.code.lower()})

    def partner_countries_error(self, count: int):
        """The message for ``count`` foreign partner countries, or None when it is allowed."""
        low, high = self.min_partner_countries, self.max_partner_countries
        if low is not None and count < low or high is not None and count > high:
            if low is not None and low == high:
                return _("An %(code)s has exactly %(n)s foreign partner country.") % {
                    "code": self.code,
                    "n": low,
                }
            if high is None:
                return _("An %(code)s has at least %(low)s foreign partner countries.") % {
                    "code": self.code,
                    "low": low,
                }
            return _("An %(code)s has between %(low)s and %(high)s foreign partner countries.") % {
                "code": self.code,
                "low": low or 0,
                "high": high,
            }
        return None

    def next_call(self, today: datetime.date | None = None):
        """(opening, closing) dates of the current or next call, or None without a call window."""
        if not (self.call_opens_month and self.call_closes_month):
            return None
        return yearly_window(self.call_opens_month, self.call_closes_month, today)


def yearly_window(opens_month: int, closes_month: int, today: datetime.date | None = None):
    """(first day of ``opens_month``, last day of ``closes_month``) of the yearly window that
    is open on ``today`` or comes next (a window may run into the next year)."""
    today = today or datetime.date.today()
    year = today.year - 1  # a window opened last year may still be open
    while True:
        opens = datetime.date(year, opens_month, 1)
        closes_year = year if closes_month >= opens_month else year + 1
        closes = _last_day_of_month(closes_year, closes_month)
        if closes >= today:
            return opens, closes
        year += 1


def _last_day_of_month(year: int, month: int) -> datetime.date:
    first_of_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)


class EuropeanProgramme(models.Model):
    """A European research programme in which the CNRS takes part (ERC, MSCA, Horizon 2020…)."""

    # Fields that may hold a little HTML, cleaned on save (core.sanitize).
    rich_text_fields = ("summary",)

    acronym = models.CharField(_("acronym"), max_length=40)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    eu_funding_eur = models.PositiveBigIntegerField(
        _("European funding (euros)"), null=True, blank=True
    )
    coordinated_by_cnrs = models.BooleanField(_("coordinated by the CNRS"), default=False)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("European programme")
        verbose_name_plural = _("European programmes")
        ordering = ["start_year", "acronym"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(end_year__isnull=True)
                | Q(start_year__lte=F("end_year")),
                name="programme_start_lte_end",
                violation_error_message=_("The programme cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.acronym

    def get_absolute_url(self):
        return reverse("instruments:list") + f"#{self.slug}"


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def with_relations(self):
        return self.select_related("instrument").prefetch_related("institutes", "countries")


class Call(models.Model):
    """A call for applications of an instrument: once, between two dates, or every year
    between two months (when the sources give months only, as for the IEA)."""

    class Recurrence(models.TextChoices):
        ONCE = "once", _("Once")
        YEARLY = "yearly", _("Every year")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="calls"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    recurrence = models.CharField(
        _("recurrence"), max_length=10, choices=Recurrence.choices, default=Recurrence.YEARLY
    )
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    opens_month = models.PositiveSmallIntegerField(
        _("month it opens"), null=True, blank=True, validators=MONTH_VALIDATORS
    )
    closes_month = models.PositiveSmallIntegerField(
        _("month it closes"), null=True, blank=True, validators=MONTH_VALIDATORS
    )
    platform_name = models.CharField(_("application platform"), max_length=100, blank=True)
    platform_url = models.URLField(_("application platform address"), blank=True)
    source_url = models.URLField(_("source address"), blank=True)
    # The institutes a call targets are declared on Institute.calls (``call.institutes``):
    # the institutes sit above the instruments in the layers.
    countries = models.ManyToManyField(
        "geography.Country",
        verbose_name=_("countries it targets"),
        related_name="calls",
        blank=True,
    )
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        ordering = ["instrument__position", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    recurrence="once",
                    opens_on__isnull=False,
                    closes_on__isnull=False,
                    closes_on__gte=F("opens_on"),
                )
                | Q(recurrence="yearly", opens_month__isnull=False, closes_month__isnull=False),
                name="call_dates_or_months",
                violation_error_message=_(
                    "A call held once needs its opening and closing dates (closing after "
                    "opening); a yearly call, its opening and closing months."
                ),
            ),
            models.CheckConstraint(
                condition=Q(opens_month__isnull=True) | Q(opens_month__gte=1, opens_month__lte=12),
                name="call_opens_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(closes_month__isnull=True)
                | Q(closes_month__gte=1, closes_month__lte=12),
                name="call_closes_month_valid",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.calendar_url() + f"#{self.slug}"

    @staticmethod
    def calendar_url() -> str:
        return reverse("calls")

    def ics_url(self) -> str:
        return reverse("call-ics", kwargs={"slug": self.slug})

    def window(self, today: datetime.date | None = None):
        """(opens, closes) of the window open on ``today`` or coming next; None when a call
        held once is over."""
        today = today or datetime.date.today()
        if self.recurrence == self.Recurrence.YEARLY:
            return yearly_window(self.opens_month, self.closes_month, today)
        return (self.opens_on, self.closes_on) if self.closes_on >= today else None

    def is_open(self, today: datetime.date | None = None) -> bool:
        today = today or datetime.date.today()
        window = self.window(today)
        return window is not None and window[0] <= today
