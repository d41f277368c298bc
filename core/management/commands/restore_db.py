from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from core.backup import BackupError, restore_database


class Command(BaseCommand):
    help = (
        "Load a pg_dump file written by backup_db into the database, which must be empty "
        "(a missing database is created)."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", type=Path, help="The dump file to load.")

    def handle(self, *args, dump, **options):
        settings_dict = connections[DEFAULT_DB_ALIAS].settings_dict
        try:
            restore_database(settings_dict, dump)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{dump} restored into the database {settings_dict['NAME']}.")
