"""The calls calendar: the IEA call as the demo data states it (June to September, every
year), on the page in both languages and in iCalendar files a calendar application reads."""

import datetime

import icalendar
import pytest
from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError

from instruments.calendar import calendar_of
from instruments.models import Call

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(demo_loaded):
    return demo_loaded


def iea_events(response):
    calendar = icalendar.Calendar.from_ical(response.content)
    return [event for event in calendar.walk("VEVENT") if event["uid"].startswith("call-iea@")]


def test_a_calendar_client_sees_the_iea_call_from_june_to_september_every_year(client, demo):
    response = client.get("/en/calls/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    [event] = iea_events(response)
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert (start.month, start.day) == (6, 1)
    assert end - start == datetime.timedelta(days=122)  # to 30 September, inclusive
    occurrences = list(rrulestr(event["rrule"].to_ical().decode(), dtstart=start))[:3]
    assert [(day.year, day.month, day.day) for day in occurrences] == [
        (start.year + n, 6, 1) for n in range(3)
    ]
    # The window shown is the one open now or the next one.
    assert end > datetime.date.today()
    assert "CoopIntEer" in str(event["description"])
    assert str(event["summary"]) == "Yearly call for International Emerging Actions (IEA)"


def test_each_call_has_its_own_file_in_the_pages_language(client, demo):
    [event] = iea_events(client.get("/fr/appels/iea.ics"))
    assert str(event["summary"]).startswith("Appel annuel")
    assert client.get("/fr/appels/nowhere.ics").status_code == 404


def test_the_calendar_page_lists_the_call_with_its_dates_and_subscription(client, demo):
    page = client.get("/en/calls/").content.decode()
    assert "Yearly call for International Emerging Actions (IEA)" in page
    window = Call.objects.get(slug="iea").window(datetime.date.today())
    assert f"From {window[0]:%-d} June {window[0].year} to 30 September" in page
    assert 'type="text/calendar"' in page and "/en/calls/calendar.ics" in page
    assert "CoopIntEer" in page
    french = client.get("/fr/appels/").content.decode()
    assert "Appel annuel aux actions émergentes internationales (IEA)" in french


@pytest.mark.parametrize(
    ("today", "opens", "closes"),
    [
        (datetime.date(2027, 3, 1), datetime.date(2027, 6, 1), datetime.date(2027, 9, 30)),
        (datetime.date(2027, 7, 14), datetime.date(2027, 6, 1), datetime.date(2027, 9, 30)),
        (datetime.date(2027, 10, 1), datetime.date(2028, 6, 1), datetime.date(2028, 9, 30)),
    ],
)
def test_a_yearly_call_is_open_or_coming(demo, today, opens, closes):
    call = Call.objects.get(slug="iea")
    assert call.window(today) == (opens, closes)
    assert call.is_open(today) == (opens <= today)


def test_a_window_across_new_year_is_open_in_january(demo):
    call = Call(recurrence=Call.Recurrence.YEARLY, opens_month=11, closes_month=2)
    assert call.window(datetime.date(2027, 1, 10)) == (
        datetime.date(2026, 11, 1),
        datetime.date(2027, 2, 28),
    )


def test_a_call_held_once_needs_its_dates_and_is_gone_once_over(demo):
    iea = Call.objects.get(slug="iea")
    with pytest.raises(ValidationError):
        Call(slug="x", instrument=iea.instrument, title="x", recurrence="once").full_clean()
    once = Call.objects.create(
        slug="once",
        instrument=iea.instrument,
        title="Once",
        recurrence="once",
        opens_on=datetime.date(2027, 1, 1),
        closes_on=datetime.date(2027, 2, 1),
    )
    later = datetime.date(2027, 3, 1)
    body = calendar_of([once], name="x", url_for=lambda c: "u", host="h", today=later)
    assert b"VEVENT" not in body
    assert once.window(later) is None
