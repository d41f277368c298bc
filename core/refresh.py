"""Work done once after a transaction that wrote public content commits, by the process that
wrote: what is derived from the content is brought up to date by the writer, not by the
next visitor (the labs' unfiltered counts take a few hundred milliseconds with 100,000
entries).

Apps register a task with :func:`after_content_commit`. A save, a deletion or a change of a
relation of a model of a content app (``AppConfig.public_content``), made through the ORM,
in a transaction schedules the tasks after it commits; in a request (each one is a
transaction) they run once the response is sent (``request_finished``), elsewhere (a
command, a shell) at once. Writes the ORM does not see (``psql``, ``COPY``,
``QuerySet.update``) or made in autocommit mode leave the work to the first reader. A task
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
    # In a transaction (every request is one, and so is an import), after its commit. A
    # write in autocommit mode is one statement of a change whose end nobody knows (a
    # save() writes the row, its history, its search document, one after the other): the
    # first reader counts.
    connection = transaction.get_connection()
    if (
        connection.in_atomic_block
        and sender._meta.app_label in content.content_app_labels()
        and not _scheduled(connection)
    ):
        transaction.on_commit(_committed)


def _scheduled(connection) -> bool:
    """Whether the transaction already runs the tasks after it commits: once is enough (a
    load saves hundreds of rows). A savepoint rolled back takes its callbacks with it."""
    return any(func is _committed for _sids, func, _robust in connection.run_on_commit)


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
