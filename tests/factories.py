import factory
from django.contrib.auth import get_user_model

from instruments.models import Call, EuropeanProgramme, Instrument
from laboratories.models import (
    Country,
    Institute,
    KeyFigure,
    Lab,
    Partner,
    Quote,
    ResearchCenter,
    Theme,
)
from offices.models import DerciMission, Office, Sector


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("a-long-test-passphrase")
    is_staff = True


class InstrumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instrument
        django_get_or_create = ["code"]

    code = "IRL"
    name_fr = factory.LazyAttribute(lambda o: f"Instrument {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Instrument {o.code}")
    duration_years = 5
    funding_min = 75_000
    funding_max = 100_000
    min_partner_countries = 1
    max_partner_countries = 1


class CallFactory(factory.django.DjangoModelFactory):
    """A yearly call, from June to September, as the IEA's."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"call-{n}")
    instrument = factory.SubFactory(InstrumentFactory, code="IEA")
    title_fr = factory.LazyAttribute(lambda o: f"Appel {o.slug}")
    title_en = factory.LazyAttribute(lambda o: f"Call {o.slug}")
    recurrence = Call.Recurrence.YEARLY
    opens_month = 6
    closes_month = 9

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(Country.objects.filter(pk__in=extracted))


class InstituteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institute
        django_get_or_create = ["code"]

    code = "INSIS"
    name_fr = "Institut des sciences de l'ingénierie et des systèmes"
    name_en = "Institute for Engineering and Systems Sciences"


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name_fr = factory.Sequence(lambda n: f"Thème {n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"partner-{n}")
    name_fr = factory.Sequence(lambda n: f"Partenaire {n}")
    name_en = factory.Sequence(lambda n: f"Partner {n}")
    kind = Partner.Kind.UNIVERSITY


class LabFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lab
        skip_postgeneration_save = True

    name_fr = factory.Sequence(lambda n: f"Laboratoire {n}")
    name_en = factory.Sequence(lambda n: f"Laboratory {n}")
    acronym = factory.Sequence(lambda n: f"LAB{n}")
    slug = factory.Sequence(lambda n: f"lab-{n}")
    instrument = factory.SubFactory(InstrumentFactory)
    lead_institute = factory.SubFactory(InstituteFactory)
    city_fr = "Tokyo"
    city_en = "Tokyo"

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create:
            self.countries.set(Country.objects.filter(pk__in=extracted or ["JP"]))


class ResearchCenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResearchCenter

    name_fr = factory.Sequence(lambda n: f"Centre {n}")
    name_en = factory.Sequence(lambda n: f"Centre {n}")
    slug = factory.Sequence(lambda n: f"centre-{n}")
    university = factory.SubFactory(PartnerFactory)
    country_id = "US"


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        skip_postgeneration_save = True

    name_fr = factory.Sequence(lambda n: f"Bureau {n}")
    name_en = factory.Sequence(lambda n: f"Office {n}")
    slug = factory.Sequence(lambda n: f"office-{n}")
    city_fr = "Tokyo"
    city_en = "Tokyo"
    country_id = "JP"

    @factory.post_generation
    def covered_countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.covered_countries.set(Country.objects.filter(pk__in=extracted))


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"sector-{n}")
    name_fr = factory.Sequence(lambda n: f"Secteur {n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(Country.objects.filter(pk__in=extracted))


class DerciMissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DerciMission

    position = factory.Sequence(lambda n: n)
    text_fr = factory.Sequence(lambda n: f"Mission {n}")
    text_en = factory.Sequence(lambda n: f"Mission {n}")


class KeyFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyFigure

    metric = KeyFigure.Metric.IRL_COUNT
    year = 2019
    value = 80


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    text_fr = "Une phrase citée."
    text_en = "A quoted sentence."
    author = "Marie Curie"


class EuropeanProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EuropeanProgramme

    acronym = factory.Sequence(lambda n: f"PROG{n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    name_fr = factory.Sequence(lambda n: f"Programme {n}")
    name_en = factory.Sequence(lambda n: f"Programme {n}")


def bulk_labs(count, *, prefix="bulk", countries=("JP",), themes=(), **fields):
    """``count`` published labs inserted in bulk (as a data load would), search documents
    rebuilt once; each lab in ``countries`` with ``themes``."""
    fields.setdefault("instrument", InstrumentFactory())
    fields.setdefault("lead_institute", InstituteFactory())
    labs = Lab.objects.bulk_create(
        Lab(
            name_fr=f"Laboratoire {prefix} {n}",
            name_en=f"Laboratory {prefix} {n}",
            slug=f"{prefix}-{n}",
            city_fr="Kyoto",
            city_en="Kyoto",
            latitude=35 + n % 10,
            longitude=135,
            **fields,
        )
        for n in range(count)
    )
    Lab.countries.through.objects.bulk_create(
        Lab.countries.through(lab_id=lab.pk, country_id=code) for lab in labs for code in countries
    )
    Lab.themes.through.objects.bulk_create(
        Lab.themes.through(lab_id=lab.pk, theme_id=theme.pk) for lab in labs for theme in themes
    )
    Lab.objects.filter(pk__in=[lab.pk for lab in labs]).refresh_search_documents()
    return labs
