"""Loading the demo data on an empty database: broken data stops the load, and the command
creates the demo accounts once. Loading it again: test_demo_again.py; what the loaded data
says: test_demo_data.py."""

import stat

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from accounts.roles import REFERENT_GROUP, STAFF_GROUP
from demo.loader import DATA_FILE, DemoDataError, load_demo
from instruments.models import Instrument
from laboratories.models import Lab
from tests.demo.loading import file_data, read_accounts, run_command

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_data_file_holds_no_secret():
    def keys(value):
        if isinstance(value, dict):
            for key, item in value.items():
                yield key
                yield from keys(item)
        elif isinstance(value, list):
            for item in value:
                yield from keys(item)

    for key in keys(file_data()):
        assert not {"password", "secret", "token", "email"} & set(key.lower().split("_"))
    assert "password" not in DATA_FILE.read_text(encoding="utf-8").lower()


# --- The loader refuses broken data ---------------------------------------------------------


def broken_copy(tmp_path, old, new):
    text = DATA_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "portal.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_lab_breaking_its_instrument_rule_stops_the_load(tmp_path):
    path = broken_copy(tmp_path, 'countries = ["SG"]', 'countries = ["SG", "MY"]')

    with pytest.raises(DemoDataError, match="exactly 1 foreign partner country"):
        load_demo(path)

    assert Lab.objects.count() == 0
    assert Instrument.objects.count() == 0  # the whole load was rolled back


def test_a_text_in_one_language_only_stops_the_load(tmp_path):
    path = broken_copy(tmp_path, 'name_en = "Mechanobiology"\n', "")

    with pytest.raises(DemoDataError, match="name_en is missing"):
        load_demo(path)


def test_an_unknown_key_or_reference_stops_the_load(tmp_path):
    with pytest.raises(DemoDataError, match="unknown keys: headcunt"):
        load_demo(broken_copy(tmp_path, "headcount = 50", "headcunt = 50"))
    with pytest.raises(DemoDataError, match="unknown partner 'thaless'"):
        load_demo(broken_copy(tmp_path, 'partners = ["thales"', 'partners = ["thaless"'))


# --- The command and its accounts -----------------------------------------------------------


def test_the_command_creates_the_accounts_once(tmp_path):
    accounts_file = tmp_path / "demo-accounts.txt"

    output = run_command(accounts_file)

    assert stat.S_IMODE(accounts_file.stat().st_mode) == 0o600
    accounts = read_accounts(accounts_file)
    assert set(accounts) == {"derci", "referent-insis"}
    users = get_user_model().objects
    derci = users.get(username="derci")
    assert derci.is_staff and not derci.is_superuser
    assert derci.check_password(accounts["derci"][0])
    assert list(derci.groups.values_list("name", flat=True)) == [STAFF_GROUP]
    referent = users.get(username="referent-insis")
    assert referent.is_staff
    assert referent.check_password(accounts["referent-insis"][0])
    assert list(referent.groups.values_list("name", flat=True)) == [REFERENT_GROUP]
    assert list(referent.referent_institutes.values_list("code", flat=True)) == ["INSIS"]
    assert "laboratories.Lab" in output and "9 (9 created, 0 kept as they are)" in output
    for password, _role in accounts.values():
        assert password not in output

    content = accounts_file.read_text()
    second = run_command(accounts_file)

    assert accounts_file.read_text() == content
    assert users.get(username="derci").check_password(accounts["derci"][0])
    assert "password unchanged" in second
    assert "9 (0 created, 9 kept as they are)" in second and " 1 created" not in second
