from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .regions import Region, country_name

LATITUDE_VALIDATORS = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE_VALIDATORS = [MinValueValidator(-180), MaxValueValidator(180)]


class CountryQuerySet(models.QuerySet):
    def in_region(self, region: str):
        return self.filter(region=region)


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
