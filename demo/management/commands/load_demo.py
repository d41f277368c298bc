from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.accounts import ACCOUNTS_FILE, ensure_demo_accounts
from demo.directory import DirectoryDataError
from demo.loader import DATA_FILE, DemoDataError, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo data (demo/portal.toml, then what demo/directory.toml adds) and "
        "make sure the two demo accounts exist. Safe to run again: nothing changes when the "
        "data is already there, and existing accounts keep their passwords."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--accounts-file",
            type=Path,
            default=ACCOUNTS_FILE,
            help="Where to write the demo accounts' passwords (default: demo-accounts.txt "
            "at the project root, which git ignores).",
        )

    def handle(self, *args, accounts_file: Path, **options):
        try:
            report = load_demo()
        except (DemoDataError, DirectoryDataError) as exc:
            raise CommandError(f"The demo data was not loaded: {exc}") from exc

        self.stdout.write(f"Demo data from {_shown(DATA_FILE)}:")
        for model, tally in report.tallies.items():
            self.stdout.write(
                f"  {model._meta.label:<32} {tally.total:>3} "
                f"({tally.created} created, {tally.updated} updated)"
            )

        accounts_file = accounts_file.resolve()
        results = ensure_demo_accounts(accounts_file)
        self.stdout.write("Demo accounts:")
        for result in results:
            state = "created" if result.created else "already there, password unchanged"
            self.stdout.write(f"  {result.account.username:<16} {result.account.role} ({state})")
        self.stdout.write(f"Passwords are in {_shown(accounts_file)} (private, not in git).")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))


def _shown(path: Path) -> str:
    """The path relative to the project root when it lies inside it."""
    try:
        return str(path.resolve().relative_to(settings.BASE_DIR))
    except ValueError:
        return str(path)
