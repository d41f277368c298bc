import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.accounts import ACCOUNTS_FILE, ensure_demo_accounts
from demo.directory import DirectoryDataError
from demo.loader import DATA_FILE, DemoDataError, load_demo
from demo.seed_facts import SeedFactError


class Command(BaseCommand):
    help = (
        "Load the demo data (demo/portal.toml, then what demo/directory.toml and "
        "demo/directory_more.toml add) and make "
        "sure the two demo accounts exist. Only what is missing is created: an entry that "
        "exists is never changed, so edits made in the back-office survive. With --reset, "
        "every entry of demo/portal.toml is set back to what the file says, after listing what "
        "that overwrites and asking for confirmation (--yes skips the question)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--accounts-file",
            type=Path,
            default=ACCOUNTS_FILE,
            help="Where to write the demo accounts' passwords (default: demo-accounts.txt "
            "at the project root, which git ignores).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Overwrite existing entries with the file's values (and bring back those "
            "deleted or renamed), after listing them.",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="With --reset: overwrite without asking.",
        )

    def handle(self, *args, accounts_file: Path, reset: bool, yes: bool, **options):
        try:
            if reset and not self.reset_confirmed(yes, sys.stdin):
                raise CommandError("Nothing was changed.")
            report = load_demo(reset=reset)
        except (DemoDataError, DirectoryDataError, SeedFactError) as exc:
            raise CommandError(f"The demo data was not loaded: {exc}") from exc

        self.stdout.write(f"Demo data from {_shown(DATA_FILE)}:")
        for model, tally in report.tallies.items():
            if reset:
                detail = f"{tally.created} created, {tally.updated} overwritten"
            else:
                detail = f"{tally.created} created, {tally.kept} kept as they are"
                if tally.not_recreated:
                    detail += f", {tally.not_recreated} deleted or renamed, not recreated"
            self.stdout.write(f"  {model._meta.label:<32} {tally.total:>3} ({detail})")

        accounts_file = accounts_file.resolve()
        results = ensure_demo_accounts(accounts_file)
        self.stdout.write("Demo accounts:")
        for result in results:
            state = "created" if result.created else "already there, password unchanged"
            self.stdout.write(f"  {result.account.username:<16} {result.account.role} ({state})")
        self.stdout.write(f"Passwords are in {_shown(accounts_file)} (private, not in git).")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    def reset_confirmed(self, yes: bool, stdin) -> bool:
        """List what the reset overwrites; True when it may go on."""
        overwrites = load_demo(reset=True, dry_run=True).overwrites
        if not overwrites:
            self.stdout.write("The reset overwrites nothing: every entry is as the file says.")
            return True
        self.stdout.write(f"The reset overwrites {len(overwrites)} entries with the file's values:")
        for line in overwrites:
            self.stdout.write(f"  {line}")
        if yes:
            return True
        if not stdin.isatty():
            raise CommandError("Run again with --yes to overwrite them.")
        self.stdout.write("Overwrite them? [y/N] ", ending="")
        self.stdout.flush()
        return stdin.readline().strip().lower() in {"y", "yes"}


def _shown(path: Path) -> str:
    """The path relative to the project root when it lies inside it."""
    try:
        return str(path.resolve().relative_to(settings.BASE_DIR))
    except ValueError:
        return str(path)
