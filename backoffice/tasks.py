"""Background work of the back-office, run by the task worker (``manage.py db_worker``).

Each task takes ids, not objects, reads the rows as they are when it runs, and sends its
messages through ``mail.py``. ``manage.py run_task`` runs any of them by hand.
"""

from django.contrib import admin
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django_tasks import task

from accounts.roles import REFERENT_GROUP, referent_institute_ids

from .mail import absolute_url, send_mail_to, send_mail_to_user, staff_recipients
from .models import ErrorReport, Revision, SentNotice
from .review_dates import has_review_dates


@task()
def notify_revision_submitted(revision_id: int) -> int:
    """Tell Derci staff that a referent submitted changes; returns how many were told."""
    revision = Revision.objects.select_related("author").filter(pk=revision_id).first()
    if revision is None or not revision.is_pending:
        return 0
    context = {"revision": revision, "review_url": absolute_url(revision.get_absolute_url())}
    return sum(
        send_mail_to_user(user, "revision_submitted", context) for user in staff_recipients()
    )


@task()
def notify_revision_reviewed(revision_id: int) -> int:
    """Tell the author of a revision that it was approved or rejected, with the message."""
    revision = Revision.objects.select_related("author", "reviewer").get(pk=revision_id)
    context = {
        "revision": revision,
        "approved": revision.status == Revision.Status.APPROVED,
        "entry_url": absolute_url(revision.entry_admin_url()),
    }
    return int(send_mail_to_user(revision.author, "revision_reviewed", context))


DIGEST_LIMIT = 100  # entries listed per kind; the message links to the whole list


def once(kind: str, keys: list[str]) -> list[str]:
    """Of ``keys``, those not yet sent for ``kind``, now recorded as sent (in the caller's
    transaction: a send that fails after it rolls the record back)."""
    done = set(SentNotice.objects.filter(kind=kind, key__in=keys).values_list("key", flat=True))
    fresh = [key for key in keys if key not in done]
    SentNotice.objects.bulk_create([SentNotice(kind=kind, key=key) for key in fresh])
    return fresh


def stale_sections(user) -> list[dict]:
    """The entries ``user`` follows as a referent that are stale, by kind of entry: each
    content admin with review dates and an institute scope (``scope_queryset``)."""
    institute_ids = referent_institute_ids(user)
    sections = []
    for model, model_admin in admin.site._registry.items():
        if not has_review_dates(model) or not hasattr(model_admin, "scope_queryset"):
            continue
        entries = model_admin.scope_queryset(model._default_manager.stale(), institute_ids)
        total = entries.count()
        if not total:
            continue
        opts = model._meta
        sections.append(
            {
                "title": capfirst(opts.verbose_name_plural),
                "total": total,
                "list_url": absolute_url(
                    reverse(admin_urlname(opts, "changelist")) + "?reviewed=stale"
                ),
                "entries": [
                    {
                        "entry": entry,  # named in the recipient's language
                        "url": absolute_url(
                            reverse(admin_urlname(opts, "change"), args=[entry.pk])
                        ),
                        "reviewed": entry.last_reviewed_at,
                    }
                    for entry in entries.order_by("last_reviewed_at", "pk")[:DIGEST_LIMIT]
                ],
            }
        )
    return sections


@task()
def send_stale_digests(month: str = "") -> int:
    """Send each referent, once a month (``month`` as YYYY-MM, this one by default), the list
    of their entries not reviewed for over a year; returns how many were sent. Run daily or
    monthly: a referent already sent this month's digest is skipped."""
    month = month or timezone.localdate().strftime("%Y-%m")
    referents = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=REFERENT_GROUP)
        .exclude(email="")
        .distinct()
    )
    sent = 0
    for user in referents:
        sections = stale_sections(user)
        if not sections:
            continue
        with transaction.atomic():
            if once("stale-digest", [f"{month}:{user.pk}"]):
                sent += send_mail_to_user(user, "stale_digest", {"sections": sections})
    return sent


@task()
def notify_report_received(report_id: int) -> int:
    """Tell Derci staff that a visitor reported an error on a public page."""
    report = ErrorReport.objects.filter(pk=report_id).first()
    if report is None:
        return 0
    context = {"report": report, "review_url": absolute_url(report.get_absolute_url())}
    return sum(send_mail_to_user(user, "report_received", context) for user in staff_recipients())


@task()
def notify_report_handled(report_id: int) -> int:
    """Tell the visitor who reported an error (in the language of the page) it was handled."""
    report = ErrorReport.objects.get(pk=report_id)
    if not report.email:
        return 0
    context = {"report": report, "page_url": absolute_url(report.page_url)}
    send_mail_to(report.email, "report_handled", context, report.language)
    return 1


@task()
def send_account_link(user_id: int, kind: str) -> int:
    """Send an account a link to set its password: an invitation (``kind`` "invite") or a
    reset; the link is made here, by the worker, and works once (Django's tokens)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    link = absolute_url(
        reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    )
    name = "account_invite" if kind == "invite" else "password_reset"
    return int(send_mail_to_user(user, name, {"link": link}))
