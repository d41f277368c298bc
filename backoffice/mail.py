"""E-mail from the back-office, through Django's mail framework.

Nothing is sent during a request: the code that decides a message is due calls
``after_commit(task, ...)``, which puts the task on the queue (``cnrs_intl.settings.TASKS``)
once the transaction commits, and the worker renders and sends it. A send that fails leaves
the edit that caused it in place; the task is marked failed in the queue.

Each message is two templates, ``templates/mail/<name>_subject.txt`` and
``templates/mail/<name>.txt``, rendered in the recipient's language.
"""

import logging
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from accounts.roles import STAFF_GROUP

logger = logging.getLogger(__name__)


def after_commit(task, *args, **kwargs):
    """Enqueue ``task`` once the current transaction commits (at once outside of one).

    A queue that cannot take it is logged, never raised into the request that committed.
    """
    transaction.on_commit(partial(task.enqueue, *args, **kwargs), robust=True)


def absolute_url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}"


def render_mail(name: str, context: dict, language: str) -> tuple[str, str]:
    """The subject (one line) and the body of message ``name`` in ``language``."""
    context = {"base_url": settings.PORTAL_BASE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"mail/{name}_subject.txt", context)
        body = render_to_string(f"mail/{name}.txt", context)
    return " ".join(subject.split()), body


def send_mail_to(address: str, name: str, context: dict, language: str) -> None:
    subject, body = render_mail(name, context, language)
    EmailMessage(subject, body, to=[address]).send()


def send_mail_to_user(user, name: str, context: dict) -> bool:
    """Send message ``name`` to ``user`` in their language; False when they have no address."""
    if not user.email or not user.is_active:
        return False
    send_mail_to(user.email, name, {"user": user, **context}, user.language)
    return True


def staff_recipients():
    """Active Derci staff with an address: those the review queue's messages go to."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=STAFF_GROUP)
        .exclude(email="")
        .distinct()
    )
