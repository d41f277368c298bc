"""Calls for applications as iCalendar (RFC 5545), built with the icalendar package: one
all-day event per call, from its opening day to its closing day, repeated every year for a
yearly call, so that a calendar that subscribes shows every year's window."""

import datetime

import icalendar
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from .models import Call

PRODUCT_ID = "-//CNRS//CNRS International calls//EN"


def call_event(call: Call, *, url: str, host: str, today: datetime.date) -> icalendar.Event | None:
    """The event of ``call``'s current or next window (None when a one-off call is over)."""
    window = call.window(today)
    if window is None:
        return None
    opens, closes = window
    event = icalendar.Event()
    event.add("uid", f"call-{call.slug}@{host}")
    event.add("dtstamp", call.updated_at or datetime.datetime.now(datetime.UTC))
    event.add("summary", call.title)
    event.add("dtstart", opens)
    event.add("dtend", closes + datetime.timedelta(days=1))  # all-day: the end is exclusive
    if call.recurrence == Call.Recurrence.YEARLY:
        event.add("rrule", {"freq": "yearly"})
    lines = [strip_tags(call.summary)] if call.summary else []
    if call.platform_name:
        lines.append(_("Apply on %(platform)s.") % {"platform": call.platform_name})
    if call.recurrence == Call.Recurrence.YEARLY:
        lines.append(_("The sources give months only: from the first to the last day."))
    lines.append(url)
    event.add("description", "\n\n".join(lines))
    event.add("url", call.platform_url or url)
    event.add("categories", [call.instrument.code])
    event.add("transp", "TRANSPARENT")
    return event


def calendar_of(calls, *, name: str, url_for, host: str, today: datetime.date) -> bytes:
    """The iCalendar file of ``calls``; ``url_for(call)`` is the page of each."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for call in calls:
        event = call_event(call, url=url_for(call), host=host, today=today)
        if event is not None:
            calendar.add_component(event)
    return calendar.to_ical()
