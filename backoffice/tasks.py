"""Background work of the back-office, run by the task worker (``manage.py db_worker``).

Each task takes ids, not objects, reads the rows as they are when it runs, and sends its
messages through ``mail.py``. ``manage.py run_task`` runs any of them by hand.
"""

from django_tasks import task

from .mail import absolute_url, send_mail_to_user, staff_recipients
from .models import Revision


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
