import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from demo import generation_data
from demo.generation import generate_labs
from geography.regions import REGION_BY_COUNTRY
from instruments.models import Instrument
from laboratories.models import Institute, Lab, Partner, add_years
from tests.factories import InstrumentFactory

pytestmark = pytest.mark.django_db


def snapshot():
    """What a visitor can see of every entry, independent of primary keys."""
    labs = Lab.objects.select_related("instrument", "lead_institute").prefetch_related(
        "countries", "themes", "partners", "other_institutes"
    )
    return sorted(
        (
            lab.slug,
            lab.name_fr,
            lab.name_en,
            lab.acronym,
            lab.summary_fr,
            lab.summary_en,
            lab.description_fr,
            lab.description_en,
            lab.city_fr,
            lab.city_en,
            lab.latitude,
            lab.longitude,
            lab.director,
            lab.start_date,
            lab.end_date,
            lab.ends_on,
            lab.website,
            lab.headcount,
            lab.is_published,
            lab.instrument.code,
            lab.lead_institute.code,
            tuple(sorted(str(c.code) for c in lab.countries.all())),
            tuple(sorted(t.slug for t in lab.themes.all())),
            tuple(sorted(p.slug for p in lab.partners.all())),
            tuple(sorted(i.code for i in lab.other_institutes.all())),
        )
        for lab in labs
    )


def test_an_empty_migrated_database_gets_the_instruments_and_institutes_it_needs():
    assert not Instrument.objects.exists()
    assert not Institute.objects.exists()

    result = generate_labs(count=60, seed=3)

    assert result.labs == Lab.objects.count() == 60
    assert set(Instrument.objects.values_list("code", flat=True)) == set(
        generation_data.INSTRUMENTS
    )
    assert Institute.objects.count() == len(generation_data.INSTITUTES)
    irl = Instrument.objects.get(code="IRL")
    assert (irl.name_fr, irl.name_en) == (
        "Laboratoire de recherche international",
        "International Research Laboratory",
    )
    assert (irl.min_partner_countries, irl.max_partner_countries) == (1, 1)


def test_the_same_seed_gives_the_same_entries_and_another_seed_others():
    generate_labs(count=40, seed=7)
    first = snapshot()
    Lab.objects.all().delete()

    generate_labs(count=40, seed=7)
    assert snapshot() == first

    Lab.objects.all().delete()
    generate_labs(count=40, seed=8)
    assert snapshot() != first


def test_entries_are_filled_in_both_languages():
    generate_labs(count=80, seed=1)

    for lab in Lab.objects.all():
        for field in ("name", "city", "summary", "description"):
            assert getattr(lab, f"{field}_fr"), (lab.slug, field)
            assert getattr(lab, f"{field}_en"), (lab.slug, field)
        assert lab.name_fr != lab.name_en
    # Texts are French in French: no English connective slipped in.
    assert not Lab.objects.filter(name_fr__contains=" and ").exists()
    assert not Lab.objects.filter(name_en__contains=" et ").exists()


def test_each_instrument_partner_country_rule_and_duration_are_respected():
    # An instrument already in the database keeps its own rules.
    InstrumentFactory(
        code="IRP", duration_years=3, min_partner_countries=1, max_partner_countries=1
    )

    generate_labs(count=300, seed=5)

    labs = Lab.objects.select_related("instrument").prefetch_related("countries")
    seen = set()
    for lab in labs:
        instrument = lab.instrument
        seen.add(instrument.code)
        count = len(lab.countries.all())
        assert instrument.partner_countries_error(count) is None, (lab.slug, count)
        if lab.end_date:
            assert lab.ends_on == lab.end_date > lab.start_date
        elif instrument.duration_years:
            assert lab.ends_on == add_years(lab.start_date, instrument.duration_years)
        else:
            assert lab.ends_on is None
    assert seen == set(generation_data.INSTRUMENTS)
    assert Instrument.objects.get(code="IRP").duration_years == 3


def test_entries_spread_over_foreign_countries_regions_and_industry():
    generate_labs(count=500, seed=11)

    countries = set(Lab.countries.through.objects.values_list("country_id", flat=True))
    assert not countries & generation_data.FRENCH_CODES
    assert len(countries) > 100
    assert {REGION_BY_COUNTRY[code] for code in countries} >= {
        "africa",
        "asia",
        "europe",
        "latin-america",
        "middle-east",
        "north-america",
        "oceania",
    }
    assert 0 < Lab.objects.with_industry().count() < 100
    assert Partner.objects.filter(kind=Partner.Kind.COMPANY).exists()
    assert Lab.objects.filter(is_published=False).exists()
    assert Lab.objects.ended_on(datetime.date(2025, 1, 1)).exists()
    assert not Lab.objects.filter(latitude__isnull=True).exists()


def test_every_foreign_country_has_a_city_and_coordinates_in_range():
    foreign = set(REGION_BY_COUNTRY) - generation_data.FRENCH_CODES
    assert set(generation_data.CITIES) == foreign
    for code, cities in generation_data.CITIES.items():
        for _fr, _en, latitude, longitude in cities:
            assert -90 <= latitude <= 90 and -180 <= longitude <= 180, code


def test_a_second_run_adds_entries_beside_the_first():
    generate_labs(count=10, seed=1)
    generate_labs(count=25, seed=1)

    assert Lab.objects.count() == 35
    assert Lab.objects.values("slug").distinct().count() == 35


def test_the_command_reports_what_it_added():
    out = StringIO()
    call_command("generate_labs", count=5, seed=2, stdout=out)

    assert Lab.objects.count() == 5
    assert out.getvalue().startswith("5 entries added in ")


def test_the_command_refuses_a_negative_count():
    with pytest.raises(CommandError):
        call_command("generate_labs", count=-1)


def test_generated_entries_are_found_by_the_search():
    generate_labs(count=30, seed=9)

    for lab in Lab.objects.order_by("pk")[:5]:
        for language, city in (("fr", lab.city_fr), ("en", lab.city_en)):
            found = Lab.objects.search(city, language)
            assert lab in found, (lab.slug, language, city)
