"""Running the task queue in tests: the real database worker, on what the test queued."""

from io import StringIO

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult


def run_worker() -> list[DBTaskResult]:
    """Run ``manage.py db_worker`` until the queue is empty; the task rows it ran."""
    before = set(
        DBTaskResult.objects.values_list("pk", flat=True).filter(finished_at__isnull=False)
    )
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
    return list(DBTaskResult.objects.exclude(pk__in=before).order_by("enqueued_at"))
