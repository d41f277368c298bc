"""Signing in to the back-office: the same answer whether the user exists or not, a limit on
failed attempts (django-axes), and password rules."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-passphrase"
LOGIN = "/admin/login/"


def sign_in(client, username, password, **headers):
    data = {"username": username, "password": password, "next": "/admin/"}
    return client.post(LOGIN, data, **headers)


def error_text(response) -> str:
    html = response.content.decode()
    start = html.index('<p class="errornote">')
    return html[start : html.index("</p>", start)]


@pytest.fixture
def referent(referent_user):
    return referent_user


def test_unknown_user_and_wrong_password_get_the_same_answer(client, referent):
    wrong_password = sign_in(client, referent.username, "not-the-password")
    unknown_user = sign_in(client, "nobody-by-this-name", "not-the-password")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert error_text(wrong_password) == error_text(unknown_user)


def test_the_right_password_signs_in(client, referent):
    response = sign_in(client, referent.username, PASSWORD)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def fail(client, username, times):
    for _ in range(times):
        assert sign_in(client, username, "not-the-password").status_code == 200


def lock_out(client, username):
    fail(client, username, settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, username, "not-the-password").status_code == 429


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)", ""]
)
def test_a_refused_next_lands_on_the_back_office_home(client, referent, next_url):
    data = {"username": referent.username, "password": PASSWORD, "next": next_url}
    response = client.post(LOGIN, data)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("username", ["referent-insis", "nobody-by-this-name"])
def test_after_the_failure_limit_even_the_right_password_is_refused(client, referent, username):
    fail(client, username, settings.AXES_FAILURE_LIMIT - 1)
    locked = sign_in(client, username, "not-the-password")
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(30 * 60)
    assert "Trop de tentatives de connexion" in locked.content.decode()

    response = sign_in(client, username, PASSWORD)
    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302  # still signed out


def test_the_lockout_answer_does_not_tell_whether_the_user_exists(client, referent):
    lock_out(client, referent.username)
    lock_out(client, "nobody-by-this-name")
    existing = sign_in(client, referent.username, PASSWORD)
    unknown = sign_in(client, "nobody-by-this-name", PASSWORD)
    assert existing.status_code == unknown.status_code == 429
    assert existing.content == unknown.content


def test_the_lock_holds_one_user_name_only_and_lifts_after_the_cool_off(client, referent):
    lock_out(client, referent.username)
    colleague = UserFactory(username="colleague")
    assert sign_in(client, colleague.username, PASSWORD).status_code == 302
    client.logout()

    assert sign_in(client, referent.username, PASSWORD).status_code == 429
    half_an_hour_ago = timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=half_an_hour_ago)
    assert sign_in(client, referent.username, PASSWORD).status_code == 302


def test_a_success_forgets_the_earlier_failures(client, referent):
    fail(client, referent.username, settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, referent.username, PASSWORD).status_code == 302
    client.logout()
    fail(client, referent.username, settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, referent.username, PASSWORD).status_code == 302


def set_password_page(client, user):
    """The page an invitation or reset e-mail links to, as the new account opens it."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    response = client.get(f"/admin/reset/{uid}/{token}/", follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0]


def invited(username):
    user = get_user_model().objects.create(username=username, email=f"{username}@example.org")
    user.set_unusable_password()
    user.save()
    return user


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("court", "Ce mot de passe est trop court"),
        ("motdepasse", "Ce mot de passe est trop courant"),
        ("84736251904", "Ce mot de passe est entièrement numérique"),
        ("new-referent-2026", "Le mot de passe est trop semblable"),
    ],
)
def test_weak_passwords_are_refused_when_an_invited_account_sets_its_own(client, password, message):
    user = invited("new-referent-2026")
    url = set_password_page(client, user)
    response = client.post(url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_a_strong_password_is_accepted(client):
    user = invited("new-referent")
    password = "vent-de-sable-sur-la-lagune"
    url = set_password_page(client, user)
    response = client.post(url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(password)


# --- Behind the reverse proxy ---------------------------------------------------------------
# Every request reaches the app from the proxy's address; nginx appends the visitor's own to
# X-Forwarded-For. A stranger failing on a staff member's name must not lock that member out.


def through_proxy(visitor, claimed=""):
    """What an app server receives from nginx for ``visitor`` (who may have sent a header)."""
    chain = f"{claimed}, {visitor}" if claimed else visitor
    return {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": chain}


def test_behind_the_proxy_a_stranger_cannot_lock_staff_out(client, referent, settings):
    settings.PORTAL_TRUSTED_PROXIES = 1
    stranger = through_proxy("203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT * 2):
        sign_in(client, referent.username, "not-the-password", **stranger)
    assert sign_in(client, referent.username, PASSWORD, **stranger).status_code == 429

    at_the_office = sign_in(client, referent.username, PASSWORD, **through_proxy("192.0.2.7"))

    assert at_the_office.status_code == 302


def test_a_forged_forwarded_address_does_not_escape_the_lock(client, referent, settings):
    settings.PORTAL_TRUSTED_PROXIES = 1
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        forged = through_proxy("203.0.113.9", claimed=f"198.51.100.{attempt}")
        response = sign_in(client, referent.username, "not-the-password", **forged)
    assert response.status_code == 429

    again = sign_in(client, referent.username, PASSWORD, **through_proxy("203.0.113.9", "1.2.3.4"))

    assert again.status_code == 429


def test_without_a_declared_proxy_the_forwarded_header_is_ignored(client, referent, settings):
    settings.PORTAL_TRUSTED_PROXIES = 0
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        forged = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": f"198.51.100.{attempt}"}
        response = sign_in(client, referent.username, "not-the-password", **forged)
    assert response.status_code == 429
