"""Run one of the portal's background tasks by hand, or put it on the queue.

python manage.py run_task backoffice.tasks.send_stale_digests
python manage.py run_task --enqueue laboratories.tasks.notify_ending_entries
python manage.py run_task backoffice.tasks.notify_revision_reviewed 42
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string
from django_tasks.base import Task


def _argument(text):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


class Command(BaseCommand):
    help = "Run a background task now (or --enqueue it for the worker), given its dotted path."

    def add_arguments(self, parser):
        parser.add_argument("task", help="dotted path, e.g. backoffice.tasks.send_stale_digests")
        parser.add_argument("args", nargs="*", help="positional arguments (JSON or text)")
        parser.add_argument(
            "--enqueue", action="store_true", help="put it on the queue for the worker"
        )

    def handle(self, *args, task, enqueue, **options):
        try:
            found = import_string(task)
        except ImportError as error:
            raise CommandError(f"No task {task!r}: {error}") from None
        if not isinstance(found, Task):
            raise CommandError(f"{task!r} is not a task (see the @task functions in */tasks.py)")
        values = [_argument(value) for value in args]
        if enqueue:
            result = found.enqueue(*values)
            self.stdout.write(f"Queued {found.module_path} as {result.id}")
            return
        value = found.call(*values)
        self.stdout.write(f"{found.module_path}: {value}")
