from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField

from core.text import fold

from .regions import Region, country_name

LATITUDE_VALIDATORS = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE_VALIDATORS = [MinValueValidator(-180), MaxValueValidator(180)]


def codes_by_name() -> list[str]:
    """Every country code, sorted by the country's name in the active language (accents and
    case aside: "Égypte" among the E)."""
    return [
        code for code, name in sorted(countries, key=lambda item: fold(str(item[1])).casefold())
    ]


class CountryQuerySet(models.QuerySet):
    def in_region(self, region: str):
        return self.filter(region=region)

    def ordered_by_name(self):
        """Sorted by name in the active language (the names are django-countries', not
        columns): what a country picker shows."""
        ranks = [When(code=code, then=Value(rank)) for rank, code in enumerate(codes_by_name())]
        return self.order_by(Case(*ranks, default=Value(len(ranks))), "code")

    def named_like(self, term: str):
        """Countries whose name in the active language or whose code contains ``term``."""
        wanted = fold(term).casefold().strip()
        codes = [code for code, name in countries if wanted in fold(str(name)).casefold()]
        return self.filter(models.Q(code__in=codes) | models.Q(code__iexact=term.strip()))


class Country(models.Model):
    """An ISO 3166-1 country and its world region; names come from django-countries."""

    code = CountryField(_("country"), primary_key=True)
    region = models.CharField(_("world region"), max_length=20, choices=Region.choices)

    objects = CountryQuerySet.as_manager()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]
        indexes = [models.Index(fields=["region"], name="country_region_idx")]

    def __str__(self):
        return str(self.code.name)

    def get_absolute_url(self):
        return reverse("country", kwargs={"code": str(self.code).lower()})

    @property
    def name(self):
        return country_name(str(self.code))
