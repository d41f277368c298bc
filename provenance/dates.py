"""Partial dates: a day stored with how much of it a source gives (a year, a month or the day).

A date known only to the year is stored as its 1 January, one known to the month as the
month's first day, with a :class:`DatePrecision` beside it; it is shown as given ("2006",
"March 2021", "4 October 2011"), never more precisely.
"""

import datetime
import re

from django.db import models
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class DatePrecision(models.TextChoices):
    YEAR = "year", _("Year")
    MONTH = "month", _("Month")
    DAY = "day", _("Day")


# How each precision is shown (Django date formats, in the page's language).
DISPLAY_FORMATS = {DatePrecision.YEAR: "Y", DatePrecision.MONTH: "F Y", DatePrecision.DAY: "j F Y"}


def parse_partial_date(text: str) -> tuple[datetime.date, DatePrecision]:
    """``"YYYY"``, ``"YYYY-MM"`` or ``"YYYY-MM-DD"`` as (first day, precision);
    ValueError for anything else."""
    match = PARTIAL_DATE.fullmatch(str(text).strip())
    if not match:
        raise ValueError(f"{text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    first = datetime.date(int(year), int(month or 1), int(day or 1))
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    return first, precision


def format_partial_date(day: datetime.date | None, precision: str | None) -> str:
    """The date as precisely as it is known, in the active language ("" without a date)."""
    if day is None:
        return ""
    precision = precision or DatePrecision.DAY
    if precision == DatePrecision.DAY:
        return long_date(day)
    return formats.date_format(day, DISPLAY_FORMATS[precision])


def long_date(day: datetime.date | None) -> str:
    """The one way the portal writes a day: "1er juin 2027", "1 June 2027"."""
    if day is None:
        return ""
    shown = formats.date_format(day, DISPLAY_FORMATS[DatePrecision.DAY])
    if day.day == 1 and get_language() == "fr":
        return "1er" + shown[1:]  # French writes the first of the month as an ordinal
    return shown


ISO_LENGTHS = {DatePrecision.YEAR: 4, DatePrecision.MONTH: 7, DatePrecision.DAY: 10}


def iso_partial_date(day: datetime.date | None, precision: str | None) -> str:
    """The date in ISO 8601 as precisely as it is known: ``2022``, ``2022-05``, ``2022-05-17``
    ("" without a date)."""
    if day is None:
        return ""
    return day.isoformat()[: ISO_LENGTHS.get(precision or DatePrecision.DAY, 10)]


def precision_field(verbose_name) -> models.CharField:
    """The precision column that goes with a date column."""
    return models.CharField(
        verbose_name,
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("How much of the date the source gives: the year, the month or the day."),
    )
