"""When each content entry was last reviewed, and by whom; which entries are stale.

A content model inherits :class:`ReviewDates` and its queryset :class:`ReviewDatesQuerySet`.
"Stale" has one definition, :func:`stale_q` (never reviewed, or not for over a year): the
dashboard's tile, the admin lists' filter and the referents' monthly digest all use it.

An entry is reviewed when staff save it with a change, when staff approve a referent's
changes to it, and when anyone who may edit it saves it unchanged with "confirmed as
current" ticked.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STALE_AFTER = datetime.timedelta(days=365)
# Not content: left out of the entries' history (a confirmation is no new version).
REVIEW_DATE_FIELDS = ["last_reviewed_at", "last_reviewed_by"]


def stale_q(now: datetime.datetime | None = None) -> Q:
    """Entries never reviewed, or last reviewed more than a year before ``now``."""
    now = now or timezone.now()
    return Q(last_reviewed_at__isnull=True) | Q(last_reviewed_at__lt=now - STALE_AFTER)


class ReviewDatesQuerySet(models.QuerySet):
    def stale(self, now: datetime.datetime | None = None):
        return self.filter(stale_q(now))


class ReviewDates(models.Model):
    last_reviewed_at = models.DateTimeField(
        _("last reviewed"), null=True, blank=True, editable=False
    )
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True


def has_review_dates(model) -> bool:
    return isinstance(model, type) and issubclass(model, ReviewDates)


def set_reviewed(entry, user, when=None):
    """Record on ``entry`` (not saved) that ``user`` reviewed it ``when`` (now)."""
    entry.last_reviewed_at = when or timezone.now()
    entry.last_reviewed_by = user


def mark_reviewed(entry, user, when=None):
    """Record at once that ``user`` reviewed ``entry``, without touching anything else (no
    new version in the history: the content did not change)."""
    set_reviewed(entry, user, when)
    type(entry)._default_manager.filter(pk=entry.pk).update(
        last_reviewed_at=entry.last_reviewed_at, last_reviewed_by=user
    )
