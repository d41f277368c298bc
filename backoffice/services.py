"""Writes of the back-office: submitting, approving and rejecting revisions, reverting.

Each service is one transaction; the published row only changes in ``revision_approve``
and ``entry_revert``, and both leave a history record saying who and why.
"""

import enum

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms import modelform_factory
from django.utils import timezone
from django.utils.translation import gettext as _

from . import tasks
from .changes import entry_values, json_value
from .history import REASON_REVERT, REASON_REVISION, historical_m2m_values
from .mail import after_commit
from .models import ErrorReport, Revision
from .review_dates import has_review_dates, set_reviewed
from .versions import EntryVersion, revision_base


class SubmitOutcome(enum.Enum):
    SUBMITTED = "submitted"  # a pending revision now holds the changes
    WITHDRAWN = "withdrawn"  # the save matched the published entry: the pending one is gone
    UNCHANGED = "unchanged"  # nothing to review


class RevisionNotApplicable(Exception):
    """The revision cannot be applied to the entry as it stands; ``errors`` says why."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def _lock_entry(model, pk):
    return model._default_manager.select_for_update().get(pk=pk)


@transaction.atomic
def revision_submit(*, entry, proposed: dict, form_fields: list, author):
    """Store what ``author`` proposes for ``entry`` as its pending revision.

    ``proposed`` maps field names to values (see ``changes.json_value``); only the fields that
    differ from the published row are kept. A pending revision of the entry is replaced.
    Returns ``(outcome, revision or None)``.
    """
    model = type(entry)
    published = _lock_entry(model, entry.pk)
    current = entry_values(published, form_fields)
    changes = {
        name: json_value(value)
        for name, value in proposed.items()
        if name in current and json_value(value) != current[name]
    }
    content_type = ContentType.objects.get_for_model(model)
    pending = (
        Revision.objects.select_for_update()
        .filter(content_type=content_type, object_id=published.pk)
        .pending()
        .first()
    )
    if not changes:
        if pending is None:
            return SubmitOutcome.UNCHANGED, None
        pending.delete()
        return SubmitOutcome.WITHDRAWN, None
    if pending is None:
        pending = Revision(content_type=content_type, object_id=published.pk)
    pending.object_repr = str(published)[:250]
    pending.form_fields = list(form_fields)
    pending.changes = changes
    pending.original = {name: current[name] for name in changes}
    pending.base_version = EntryVersion.of(published, form_fields, current).as_json()
    pending.author = author
    pending.submitted_at = timezone.now()
    pending.save()
    after_commit(tasks.notify_revision_submitted, pending.pk)
    return SubmitOutcome.SUBMITTED, pending


def _locked_pending(revision):
    locked = Revision.objects.select_for_update().get(pk=revision.pk)
    if not locked.is_pending:
        raise RevisionNotApplicable([_("These changes have already been reviewed.")])
    return locked


@transaction.atomic
def revision_approve(
    *, revision, reviewer, message="", form_class=None, seen_version=None, over_changes=False
):
    """Publish the changes of a pending ``revision``; returns the updated entry.

    The whole entry is validated again with ``form_class`` (the admin's form of the entry,
    restricted to ``revision.form_fields``), the published values of the fields the author
    did not change filling the rest. Raises ``RevisionNotApplicable`` and changes nothing
    when the entry is gone or the values are no longer valid; when the entry changed since
    ``seen_version`` (the version the reviewer saw); or when it changed since the revision
    was based on it, unless ``over_changes`` says the reviewer saw and accepts that.
    """
    revision = _locked_pending(revision)
    model = revision.content_type.model_class()
    try:
        entry = _lock_entry(model, revision.object_id)
    except model.DoesNotExist:
        raise RevisionNotApplicable([_("The entry no longer exists.")]) from None
    if form_class is None:
        form_class = modelform_factory(model, fields=revision.form_fields)
    current = entry_values(entry, revision.form_fields)
    if seen_version is not None and seen_version.changed(current):
        raise RevisionNotApplicable(
            [_("Someone saved the entry while you were reviewing: check the changes again.")]
        )
    if not over_changes and revision_base(revision).changed(current):
        raise RevisionNotApplicable(
            [
                _(
                    "These changes are based on an outdated version of the entry: check "
                    "what changed since, and confirm that the proposed values replace it."
                )
            ]
        )
    data = {**current, **revision.changes}
    form = form_class(data={k: v for k, v in data.items() if v is not None}, instance=entry)
    if not form.is_valid():
        raise RevisionNotApplicable(
            [
                f"{form.fields[name].label if name in form.fields else ''}: {error}".lstrip(": ")
                for name, errors in form.errors.items()
                for error in errors
            ]
        )
    entry._history_user = reviewer
    entry._change_reason = f"{REASON_REVISION}:{revision.pk}"
    if has_review_dates(model):
        set_reviewed(entry, reviewer)
    form.save()
    revision.status = Revision.Status.APPROVED
    revision.reviewer = reviewer
    revision.reviewed_at = timezone.now()
    revision.review_message = message
    revision.save()
    after_commit(tasks.notify_revision_reviewed, revision.pk)
    return entry


@transaction.atomic
def revision_reject(*, revision, reviewer, message):
    """Refuse a pending ``revision``; ``message`` tells the author why."""
    if not message or not message.strip():
        raise ValidationError(_("Say why the changes are rejected."), code="required")
    revision = _locked_pending(revision)
    revision.status = Revision.Status.REJECTED
    revision.reviewer = reviewer
    revision.reviewed_at = timezone.now()
    revision.review_message = message.strip()
    revision.save()
    after_commit(tasks.notify_revision_reviewed, revision.pk)
    return revision


@transaction.atomic
def entry_revert(*, entry, record, user):
    """Bring ``entry`` back to the version kept in the historical ``record``.

    Every tracked field and tracked many-to-many relation takes its value from ``record``;
    the result is validated like any entry (a slug taken since then is refused) and recorded
    in the history as a revert by ``user``.
    """
    model = type(entry)
    entry = _lock_entry(model, entry.pk)
    restored = record.instance
    for field in model._meta.concrete_fields:
        if field.primary_key or not hasattr(restored, field.attname):
            continue
        if field.editable:
            setattr(entry, field.attname, getattr(restored, field.attname))
    m2m_values = historical_m2m_values(record)
    try:
        entry.full_clean(exclude=list(m2m_values))
    except ValidationError as error:
        raise RevisionNotApplicable(error.messages) from None
    entry._history_user = user
    entry._change_reason = f"{REASON_REVERT}:{record.history_id}"
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        raise RevisionNotApplicable([str(error)]) from None
    for name, ids in m2m_values.items():
        getattr(entry, name).set(ids)
    return entry


@transaction.atomic
def error_report_create(*, entry, text, email, language, page_url):
    """A visitor's report on ``entry``, put in the review queue; staff are told."""
    report = ErrorReport.objects.create(
        content_type=ContentType.objects.get_for_model(entry),
        object_id=entry.pk,
        object_repr=str(entry)[:250],
        page_url=page_url[:500],
        text=text,
        email=email,
        language=language,
    )
    after_commit(tasks.notify_report_received, report.pk)
    return report


@transaction.atomic
def error_report_handle(*, report, user, reply=""):
    """Mark ``report`` handled; the reporter, if they left an address, is told."""
    report = ErrorReport.objects.select_for_update().get(pk=report.pk)
    if report.status == ErrorReport.Status.DONE:
        return report
    report.status = ErrorReport.Status.DONE
    report.handled_by = user
    report.handled_at = timezone.now()
    report.reply = reply.strip()
    report.save()
    if report.email:
        after_commit(tasks.notify_report_handled, report.pk)
    return report
