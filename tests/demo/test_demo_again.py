"""Loading the demo again, as each `make run` does: nothing changes, back-office edits and
deletions stay, `--reset` says what it overwrites and asks. The demo is loaded once for the
module; each test changes it in its own transaction, rolled back after it (a first load on an
empty database: test_demo.py)."""

import datetime
import re
import subprocess
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation

from demo.loader import DATA_FILE, load_demo
from laboratories.models import Lab, Quote
from offices.models import Office
from tests.demo.loading import read_accounts, run_command, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo(demo_loaded, db):
    """The loader's report of the module's first load."""
    with translation.override("en"):
        yield demo_loaded


# --- Loading twice --------------------------------------------------------------------------


def test_loading_twice_changes_nothing(demo):
    before = snapshot()

    second_report = load_demo()

    assert not second_report.changed
    # Nothing is created or updated again, whichever file the entry comes from.
    assert {
        model.__name__: (tally.created, tally.updated)
        for model, tally in second_report.tallies.items()
        if tally.created or tally.updated
    } == {}
    assert sum(tally.created for tally in demo.tallies.values()) > 0
    assert snapshot() == before


def test_a_reset_of_untouched_data_changes_nothing():
    before = snapshot()

    report = load_demo(reset=True)

    assert not report.changed and report.overwrites == []
    assert snapshot() == before


# --- The command and its accounts -------------------------------------------


def test_an_existing_account_keeps_its_password(tmp_path):
    user = get_user_model().objects.create_user("derci", password="chosen-by-hand-42")
    accounts_file = tmp_path / "demo-accounts.txt"

    run_command(accounts_file)

    user.refresh_from_db()
    assert user.check_password("chosen-by-hand-42")
    assert user.is_staff
    assert read_accounts(accounts_file)["derci"][0].startswith("(set earlier")


def git(*args):
    try:
        result = subprocess.run(
            ["git", *args], cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        pytest.skip("git is not installed")
    if result.returncode not in (0, 1):
        pytest.skip(f"not a git checkout: {result.stderr.strip()}")
    return result


def test_no_password_in_the_repository(tmp_path):
    accounts_file = tmp_path / "demo-accounts.txt"
    run_command(accounts_file)
    passwords = [password for password, _role in read_accounts(accounts_file).values()]

    assert git("check-ignore", "-q", "demo-accounts.txt").returncode == 0
    for path in git("ls-files", "-z").stdout.split("\0"):
        file = settings.BASE_DIR / path
        if path and file.is_file():
            text = file.read_bytes().decode("utf-8", errors="ignore")
            assert not any(password in text for password in passwords), path


# --- Edits made in the back-office survive the next `make run` -------------------------------


def edit_the_demo():
    """What staff did in the issue: Cintra's summary, imported values and a start date on
    CNRS-IMPA, a theme taken off, an office's address."""
    cintra = Lab.objects.get(slug="cintra")
    cintra.summary_fr = "Résumé revu par Derci."
    cintra.summary_en = "Summary revised by Derci."
    cintra.save()
    impa = Lab.objects.get(slug="cnrs-impa")
    impa.headcount = 64
    impa.start_date = datetime.date(2006, 5, 1)
    impa.save()
    impa.themes.remove(impa.themes.get(slug="geometry"))
    Office.objects.filter(pk=Office.objects.first().pk).update(address_fr="Nouvelle adresse")


def assert_the_edits_are_there():
    cintra = Lab.objects.get(slug="cintra")
    assert (cintra.summary_fr, cintra.summary_en) == (
        "Résumé revu par Derci.",
        "Summary revised by Derci.",
    )
    impa = Lab.objects.get(slug="cnrs-impa")
    assert (impa.headcount, impa.start_date) == (64, datetime.date(2006, 5, 1))
    assert not impa.themes.filter(slug="geometry").exists()
    assert Office.objects.first().address_fr == "Nouvelle adresse"


def test_edits_survive_loading_the_demo_again_as_make_run_does(tmp_path):
    accounts_file = tmp_path / "demo-accounts.txt"
    run_command(accounts_file)  # the first `make run`
    edit_the_demo()
    history = Lab.history.count()

    output = run_command(accounts_file)  # the next `make run`
    run_command(accounts_file)  # and the one after

    assert_the_edits_are_there()
    assert Lab.history.count() == history  # not even a save
    # Labs of both files (demo/portal.toml and demo/directory.toml), none created again.
    assert re.search(r"laboratories\.Lab +\d+ \(0 created,", output)


def test_an_entry_deleted_or_renamed_in_the_back_office_is_not_brought_back():
    Lab.objects.get(slug="jrl").delete()  # its quote goes with it
    cintra = Lab.objects.get(slug="cintra")
    cintra.slug = "cintra-singapore"
    cintra.save()

    report = load_demo()

    assert not Lab.objects.filter(slug__in=["jrl", "cintra"]).exists()
    assert not Quote.objects.filter(author="Abderrahmane Kheddar").exists()
    assert Lab.objects.filter(slug="cintra-singapore").exists()
    assert report.tallies[Lab].not_recreated == 2
    assert report.tallies[Quote].not_recreated == 1


def test_a_new_entry_needing_a_deleted_one_is_left_out_and_the_rest_is_loaded(tmp_path):
    Lab.objects.get(slug="jrl").delete()
    extra = '\n[[quote]]\nauthor = "A New Voice"\nposition = 9\nlab = "jrl"\n'
    extra += 'text_fr = "Texte."\ntext_en = "Text."\n'
    path = tmp_path / "portal.toml"
    path.write_text(DATA_FILE.read_text(encoding="utf-8") + extra, encoding="utf-8")

    report = load_demo(path)

    assert not Quote.objects.filter(author="A New Voice").exists()
    assert report.tallies[Quote].not_recreated == 2


# --- `load_demo --reset`: says what it overwrites, then asks --------------------------------


class Terminal(StringIO):
    def isatty(self):
        return True


def test_reset_lists_what_it_overwrites_and_refuses_without_yes(tmp_path, monkeypatch):
    accounts_file = tmp_path / "demo-accounts.txt"
    run_command(accounts_file)
    edit_the_demo()
    monkeypatch.setattr("sys.stdin", StringIO(""))  # no terminal, as in CI

    out = StringIO()
    with pytest.raises(CommandError, match="--yes"):
        call_command("load_demo", reset=True, accounts_file=accounts_file, stdout=out)

    listing = out.getvalue()
    assert "The reset overwrites 3 entries" in listing
    assert "lab 'cintra': summary" in listing
    assert "lab 'cnrs-impa': start_date, headcount, themes" in listing
    assert_the_edits_are_there()


def test_reset_asks_and_no_keeps_everything(tmp_path, monkeypatch):
    accounts_file = tmp_path / "demo-accounts.txt"
    run_command(accounts_file)
    edit_the_demo()
    monkeypatch.setattr("sys.stdin", Terminal("n\n"))

    out = StringIO()
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("load_demo", reset=True, accounts_file=accounts_file, stdout=out)

    assert "Overwrite them? [y/N]" in out.getvalue()
    assert_the_edits_are_there()


def test_reset_with_yes_puts_the_file_back(tmp_path):
    accounts_file = tmp_path / "demo-accounts.txt"
    run_command(accounts_file)
    edit_the_demo()
    Lab.objects.get(slug="jrl").delete()

    out = StringIO()
    call_command("load_demo", reset=True, yes=True, accounts_file=accounts_file, stdout=out)

    assert "lab 'jrl': brought back" in out.getvalue()
    impa = Lab.objects.get(slug="cnrs-impa")
    assert (impa.headcount, impa.start_date) == (50, None)
    assert impa.themes.filter(slug="geometry").exists()
    assert Lab.objects.get(slug="cintra").summary_en.startswith("An international research")
    assert Quote.objects.filter(author="Abderrahmane Kheddar").exists()
    assert load_demo(reset=True).overwrites == []
