"""Review messages: sent by the queue's worker after the commit, in the recipient's language.

Transactional: the worker (``manage.py db_worker``) commits as it goes, like in production.
"""

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from backoffice.models import Revision
from backoffice.services import revision_approve, revision_reject, revision_submit
from tests.tasks import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def propose(lab, author, **changes):
    return revision_submit(entry=lab, proposed=changes, form_fields=list(changes), author=author)


def test_a_submission_is_queued_after_commit_and_mailed_to_staff_in_their_language(
    staff_user, referent_user, own_lab
):
    staff_user.language = "en"
    staff_user.save()
    with transaction.atomic():
        propose(own_lab, referent_user, name_en="Robotics and AI in Tokyo")
        assert not DBTaskResult.objects.exists()  # nothing before the commit
    assert DBTaskResult.objects.count() == 1
    assert mail.outbox == []  # queued, not sent by the request

    results = run_worker()
    assert [r.status for r in results] == ["SUCCESSFUL"]
    [message] = mail.outbox
    assert message.to == ["derci-staff@example.org"]
    assert message.subject == "Changes to review: Robotique à Tokyo"
    revision = Revision.objects.get()
    assert f"/admin/backoffice/revision/{revision.pk}/change/" in message.body
    assert "referent-insis proposed changes" in message.body


@pytest.mark.parametrize(
    ("language", "approved_subject", "rejected_subject", "heading"),
    [
        ("fr", "Vos modifications de Robotique", "n’ont pas été acceptées", "Leur message"),
        ("en", "Your changes to Robotique", "were not accepted", "Their message"),
    ],
)
def test_the_author_is_told_of_the_decision_with_the_message(
    staff_user,
    referent_user,
    own_lab,
    language,
    approved_subject,
    rejected_subject,
    heading,
):
    referent_user.language = language
    referent_user.save()
    _, revision = propose(own_lab, referent_user, name_en="Robotics and AI")
    revision_approve(revision=revision, reviewer=staff_user, message="Thanks, well spotted.")
    _, second = propose(own_lab, referent_user, name_en="Robots")
    revision_reject(revision=second, reviewer=staff_user, message="Keep the full name.")
    run_worker()
    to_author = [m for m in mail.outbox if m.to == ["referent-insis@example.org"]]
    assert len(to_author) == 2
    approved, rejected = to_author
    assert approved_subject in approved.subject
    assert "Thanks, well spotted." in approved.body
    assert rejected_subject in rejected.subject
    assert heading in rejected.body
    assert "Keep the full name." in rejected.body


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_a_failed_send_keeps_the_edit(settings, staff_user, referent_user, own_lab):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    _, revision = propose(own_lab, referent_user, name_en="Robotics and AI")
    revision_approve(revision=revision, reviewer=staff_user)
    results = run_worker()
    assert {r.status for r in results} == {"FAILED"}
    own_lab.refresh_from_db()
    assert own_lab.name_en == "Robotics and AI"
    assert Revision.objects.get().status == Revision.Status.APPROVED
    assert mail.outbox == []
