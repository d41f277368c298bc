"""Scheduled reminders about labs, run by the task worker (see deploy/README.md)."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from backoffice.mail import absolute_url, send_mail_to_user
from backoffice.tasks import once

from .admin_filters import ending_soon_q
from .models import Lab, LabCondition

# "At its end": labs whose end came within this many days (older ones were told before,
# or ended before the portal sent reminders).
ENDED_WITHIN_DAYS = 30


def _by_institute(labs, kind, today):
    """The labs of ``labs`` not yet notified for ``kind`` at their current end date, by lead
    institute, each marked notified (in the caller's transaction)."""
    labs = list(labs.select_related("lead_institute").order_by("ends_on", "pk"))
    fresh = set(once(kind, [f"{lab.pk}:{lab.ends_on}" for lab in labs]))
    grouped = {}
    for lab in labs:
        if f"{lab.pk}:{lab.ends_on}" in fresh and lab.lead_institute_id:
            grouped.setdefault(lab.lead_institute, []).append(
                {
                    "lab": lab,  # its name is read in the recipient's language
                    "ends_on": lab.ends_on,
                    "url": absolute_url(reverse("admin:laboratories_lab_change", args=[lab.pk])),
                }
            )
    return grouped


@task()
def notify_ending_labs(today: str = "") -> int:
    """Tell the referents of each lab's lead institute when the lab comes within a year of
    its end, and again when it has ended; each once per end date. Returns the messages sent."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    sent = 0
    with transaction.atomic():
        ending = _by_institute(Lab.objects.filter(ending_soon_q(day)), "lab-ending-soon", day)
        ended = _by_institute(
            Lab.objects.filter(
                LabCondition.ending_between(
                    day - datetime.timedelta(days=ENDED_WITHIN_DAYS),
                    day - datetime.timedelta(days=1),
                )
            ),
            "lab-ended",
            day,
        )
        for institute in {*ending, *ended}:
            for user in institute.referents.filter(is_active=True):
                sent += send_mail_to_user(
                    user,
                    "labs_ending",
                    {
                        "institute": institute,
                        "ending": ending.get(institute, []),
                        "ended": ended.get(institute, []),
                    },
                )
    return sent
