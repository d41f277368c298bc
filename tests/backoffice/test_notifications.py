"""Review messages: sent by the queue's worker after the commit, in the recipient's language.

Transactional: the worker (``manage.py db_worker``) commits as it goes, like in production.
"""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from backoffice.models import Revision
from backoffice.services import revision_approve, revision_reject, revision_submit
from laboratories.models import Lab
from tests.factories import LabFactory
from tests.tasks import run_worker

YEAR_AND_A_DAY = datetime.timedelta(days=366)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


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
    [told] = [r for r in results if r.task_path.endswith("notify_revision_reviewed")]
    assert told.status == "FAILED"
    assert "the mail server is down" in str(told.exception_class_path) + str(told.traceback)
    own_lab.refresh_from_db()
    assert own_lab.name_en == "Robotics and AI"
    assert Revision.objects.get().status == Revision.Status.APPROVED
    assert mail.outbox == []


def test_the_monthly_digest_lists_each_referents_stale_entries_once(
    referent_user, own_lab, other_lab
):
    from backoffice.tasks import send_stale_digests

    Lab.objects.filter(pk=own_lab.pk).update(last_reviewed_at=timezone.now() - YEAR_AND_A_DAY)
    fresh = LabFactory(lead_institute=own_lab.lead_institute, last_reviewed_at=timezone.now())
    send_stale_digests.enqueue("2026-12")
    send_stale_digests.enqueue("2026-12")  # run twice in a month: sent once
    results = run_worker()
    assert [r.status for r in results] == ["SUCCESSFUL", "SUCCESSFUL"]
    [message] = mail.outbox
    assert message.to == ["referent-insis@example.org"]
    assert message.subject == "Entrées à relire : non vérifiées depuis plus d’un an"
    assert "Robotique à Tokyo" in message.body
    assert f"/admin/laboratories/lab/{own_lab.pk}/change/" in message.body
    assert str(other_lab) not in message.body  # another institute's
    assert str(fresh) not in message.body


def test_referents_are_told_when_a_lab_nears_its_end_and_when_it_ends(referent_user, insis):
    from laboratories.tasks import notify_ending_labs

    referent_user.language = "en"
    referent_user.save()
    today = datetime.date(2026, 12, 3)
    LabFactory(
        lead_institute=insis, name_fr="Bientôt", name_en="Soon", end_date=datetime.date(2027, 6, 30)
    )
    LabFactory(
        lead_institute=insis, name_fr="Fini", name_en="Done", end_date=datetime.date(2026, 11, 20)
    )
    LabFactory(
        lead_institute=insis, name_fr="Loin", name_en="Far", end_date=datetime.date(2029, 1, 1)
    )
    notify_ending_labs.enqueue(today.isoformat())
    run_worker()
    [message] = mail.outbox
    assert message.subject == "INSIS: labs reaching their end"
    assert "These INSIS labs end within a year:\n- Soon (ends on June 30, 2027)" in message.body
    assert "These INSIS labs have reached their end:\n- Done" in message.body
    assert "Far" not in message.body
    notify_ending_labs.enqueue(today.isoformat())  # the next day's run: nothing new
    run_worker()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("fr", "Votre signalement sur Robotique à Tokyo a été traité"),
        ("en", "Your report on Robotique à Tokyo was handled"),
    ],
)
def test_the_reporter_is_told_in_the_language_of_the_page(staff_user, own_lab, language, subject):
    from backoffice.services import error_report_create, error_report_handle

    report = error_report_create(
        entry=own_lab,
        text="Wrong city",
        email="visitor@example.org",
        language=language,
        page_url="/fr/laboratoires/robotics-tokyo/",
    )
    error_report_handle(report=report, user=staff_user, reply="Fixed, thank you.")
    run_worker()
    to_staff = [m for m in mail.outbox if m.to == ["derci-staff@example.org"]]
    to_visitor = [m for m in mail.outbox if m.to == ["visitor@example.org"]]
    assert len(to_staff) == 1
    assert "Wrong city" in to_staff[0].body
    [told] = to_visitor
    assert told.subject == subject
    assert "Fixed, thank you." in told.body
