"""Database constraints and the partner-country rule: the invariants of the data."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.forms import modelform_factory

from geography.models import Country
from instruments.models import Instrument
from laboratories.forms import LabAdminForm
from laboratories.models import Lab
from offices.models import Office
from tests.factories import InstituteFactory, InstrumentFactory, LabFactory, OfficeFactory

pytestmark = pytest.mark.django_db


def test_funding_minimum_cannot_exceed_maximum():
    with pytest.raises(IntegrityError), transaction.atomic():
        Instrument.objects.create(code="XYZ", name_fr="x", funding_min=10, funding_max=5)


def test_instrument_code_is_upper_case():
    with pytest.raises(IntegrityError), transaction.atomic():
        Instrument.objects.create(code="irl", name_fr="x")


def test_lab_end_must_come_after_start():
    lab = LabFactory(start_date=datetime.date(2020, 1, 1))
    lab.end_date = datetime.date(2019, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        lab.save()


def test_lab_end_follows_the_instrument_duration_unless_set():
    lab = LabFactory(start_date=datetime.date(2019, 3, 1))
    assert lab.ends_on == datetime.date(2024, 3, 1)
    lab.end_date = datetime.date(2030, 6, 30)
    lab.save()
    lab.refresh_from_db()
    assert lab.ends_on == datetime.date(2030, 6, 30)


def test_office_with_a_closing_date_cannot_be_open():
    office = OfficeFactory()
    office.closed_on = datetime.date(2021, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Office.objects.filter(pk=office.pk).update(closed_on=office.closed_on, is_open=True)


def lab_form(instrument, countries):
    institute = InstituteFactory()
    form_class = modelform_factory(
        Lab,
        form=LabAdminForm,
        fields=["name_fr", "name_en", "slug", "instrument", "lead_institute", "countries"],
    )
    return form_class(
        data={
            "name_fr": "Laboratoire",
            "name_en": "Laboratory",
            "slug": "laboratoire",
            "instrument": instrument.pk,
            "lead_institute": institute.pk,
            "countries": countries,
            "is_published": "on",
        }
    )


@pytest.mark.parametrize(
    ("code", "low", "high", "countries", "valid"),
    [
        ("IRL", 1, 1, ["JP"], True),
        ("IRL", 1, 1, ["JP", "US"], False),
        ("IRP", 1, 2, ["JP", "US"], True),
        ("IRP", 1, 2, ["JP", "US", "BR"], False),
        ("IRN", 2, None, ["JP", "US", "BR", "CL"], True),
        ("IRN", 2, None, ["JP"], False),
    ],
)
def test_partner_country_rule_is_enforced_by_the_form(code, low, high, countries, valid):
    instrument = InstrumentFactory(code=code, min_partner_countries=low, max_partner_countries=high)
    form = lab_form(instrument, countries)
    assert form.is_valid() is valid, form.errors
    if not valid:
        assert "countries" in form.errors


def test_every_country_has_a_region():
    assert Country.objects.count() >= 249
    assert not Country.objects.filter(region="").exists()
    assert Country.objects.get(pk="JP").region == "asia"
