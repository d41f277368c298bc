"""``manage.py add_user``: accounts for operators and tests, from the command line."""

import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from accounts.roles import REFERENT_GROUP, STAFF_GROUP
from tests.factories import InstituteFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-operator-passphrase"


@pytest.fixture(autouse=True)
def _password(monkeypatch):
    monkeypatch.setenv("PORTAL_PASSWORD", PASSWORD)


@pytest.fixture
def institutes(db):
    return [InstituteFactory(code="INSIS"), InstituteFactory(code="INC", name_fr="Chimie")]


def add_user(*args):
    out = io.StringIO()
    call_command("add_user", *args, stdout=out)
    return out.getvalue()


def test_creates_a_staff_account_that_signs_in(client):
    assert "Created alice" in add_user("alice", "--role", "staff")
    user = get_user_model().objects.get(username="alice")
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [STAFF_GROUP]
    assert (
        authenticate(RequestFactory().post("/admin/login/"), username="alice", password=PASSWORD)
        == user
    )
    signed_in = client.post("/admin/login/", {"username": "alice", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert client.get("/admin/instruments/instrument/").status_code == 200


def test_creates_a_referent_of_several_institutes(institutes):
    add_user("bob", "--role", "referent", "--institute", "insis", "--institute", "INC")
    user = get_user_model().objects.get(username="bob")
    assert list(user.groups.values_list("name", flat=True)) == [REFERENT_GROUP]
    assert sorted(user.referent_institutes.values_list("code", flat=True)) == ["INC", "INSIS"]


def test_updates_an_existing_account(institutes, monkeypatch):
    add_user("carol", "--role", "referent", "--institute", "INC")
    monkeypatch.setenv("PORTAL_PASSWORD", "another-long-passphrase")
    assert "Updated carol" in add_user("carol", "--role", "staff")
    user = get_user_model().objects.get(username="carol")
    assert list(user.groups.values_list("name", flat=True)) == [STAFF_GROUP]
    assert not user.referent_institutes.exists()
    assert user.check_password("another-long-passphrase")
    assert get_user_model().objects.filter(username="carol").count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "boss"], "invalid choice: 'boss'"),
        (["--role", "referent", "--institute", "NOPE"], "Unknown institute code: NOPE"),
        (["--role", "referent"], "A referent needs at least one --institute"),
        (["--role", "staff", "--institute", "INC"], "--institute is for referents"),
    ],
)
def test_clear_errors_and_no_account(institutes, args, message):
    with pytest.raises(CommandError, match=message):
        add_user("dave", *args)
    assert not get_user_model().objects.filter(username="dave").exists()


def test_a_weak_password_is_refused(monkeypatch):
    monkeypatch.setenv("PORTAL_PASSWORD", "1234")
    with pytest.raises(CommandError, match="trop court|too short"):
        add_user("erin", "--role", "staff")
    assert not get_user_model().objects.filter(username="erin").exists()


def test_without_the_variable_and_without_a_terminal_it_says_what_to_do(monkeypatch):
    monkeypatch.delenv("PORTAL_PASSWORD")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="PORTAL_PASSWORD"):
        add_user("frank", "--role", "staff")


def test_the_password_is_asked_at_the_prompt(monkeypatch):
    monkeypatch.delenv("PORTAL_PASSWORD")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    add_user("gina", "--role", "staff")
    assert get_user_model().objects.get(username="gina").check_password(PASSWORD)
