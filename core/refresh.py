"""Work done once after a transaction that wrote public content commits, by the process that
wrote: what is derived from the content is brought up to date by the writer, not by the
next visitor (the labs' unfiltered counts take a few hundred milliseconds with 100,000
entries).

Apps register a task with :func:`after_content_commit`. A save, a deletion or a change of a
relation of a model of a content app (``AppConfig.public_content``), made through the ORM,
schedules the tasks after its transaction commits; in a request they run once the response
is sent (``request_finished``), elsewhere (a command, a shell) at once. Writes the ORM does
not see (``psql``, ``COPY``, ``QuerySet.update``) leave the work to the first reader. A task
must be cheap when there is nothing to do: it may be called more than once per change.
"""

import logging
import threading

from django.db import transaction

from . import content

logger = logging.getLogger(__name__)

_tasks = []
_request = threading.local()


def after_content_commit(task) -> None:
    """Call ``task()`` after each committed write of public content (see the module)."""
    _tasks.append(task)


def content_written(sender, raw=False, action="post_save", **kwargs) -> None:
    """Receiver of post_save, post_delete and m2m_changed (``action``), for every model."""
    if raw or not action.startswith("post_"):
        return
    if sender._meta.app_label in content.content_app_labels():
        transaction.on_commit(_committed)


def _committed() -> None:
    pending = getattr(_request, "pending", None)
    if pending is None:
        _run()
    else:
        _request.pending = True


def request_started(**kwargs) -> None:
    _request.pending = False


def request_finished(**kwargs) -> None:
    pending = getattr(_request, "pending", None)
    _request.pending = None
    if pending:
        _run()


def _run() -> None:
    for task in _tasks:
        try:
            task()
        except Exception:  # the write is committed: log, the next reader will do it
            logger.exception("Refreshing data derived from the content failed")
