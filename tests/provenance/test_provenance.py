"""ROR identifiers are checked with their check digits; partial dates keep their precision."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from provenance.dates import DatePrecision, format_partial_date, parse_partial_date
from provenance.ror import is_valid_ror, validate_ror


@pytest.mark.parametrize("ror", ["02feahw73", "01dq60k83", "https://ror.org/03cqe8w59"])
def test_real_ror_identifiers_are_accepted(ror):
    assert is_valid_ror(ror)
    validate_ror(ror)


@pytest.mark.parametrize(
    "ror",
    [
        "02feahw74",  # a wrong check digit
        "01dq60k38",  # check digits swapped
        "12feahw73",  # does not start with 0
        "02feahu73",  # u is not in Crockford's base32
        "02feahw7",  # too short
        "not a ror",
    ],
)
def test_a_wrong_ror_identifier_is_refused(ror):
    assert not is_valid_ror(ror)
    with pytest.raises(ValidationError):
        validate_ror(ror)


def test_partial_dates_are_read_and_shown_as_precise_as_given():
    assert parse_partial_date("2006") == (datetime.date(2006, 1, 1), DatePrecision.YEAR)
    assert parse_partial_date("2021-03") == (datetime.date(2021, 3, 1), DatePrecision.MONTH)
    day = parse_partial_date("2011-10-04")
    assert day == (datetime.date(2011, 10, 4), DatePrecision.DAY)
    with translation.override("fr"):
        assert format_partial_date(*parse_partial_date("2006")) == "2006"
        assert format_partial_date(*parse_partial_date("2021-03")) == "mars 2021"
        assert format_partial_date(*day) == "4 octobre 2011"
    with translation.override("en"):
        assert format_partial_date(*parse_partial_date("2021-03")) == "March 2021"


@pytest.mark.parametrize("text", ["2006/01", "06", "2021-13", "2021-02-30", ""])
def test_a_date_that_is_not_partial_iso_is_refused(text):
    with pytest.raises(ValueError):
        parse_partial_date(text)
