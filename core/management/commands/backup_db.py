import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from core.backup import BackupError, dump_database


class Command(BaseCommand):
    help = "Write the whole database to a pg_dump file (backups/ by default)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Dump file to write (default: backups/cnrs_intl-<date>-<time>.dump).",
        )

    def handle(self, *args, output=None, **options):
        if output is None:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.BASE_DIR) / "backups" / f"cnrs_intl-{stamp}.dump"
        try:
            path = dump_database(connections[DEFAULT_DB_ALIAS].settings_dict, output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Database written to {path} ({path.stat().st_size} bytes).")
