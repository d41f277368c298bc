"""Accounts in the back-office: staff invite, edit and deactivate; the invited set a password."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core import mail

from tests.factories import InstituteFactory, LabFactory, UserFactory
from tests.tasks import run_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ADD_URL = "/admin/accounts/user/add/"


def invite(client, **fields):
    data = {
        "username": "new-referent",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.org",
        "language": "en",
        "role": "referent",
        "is_active": "on",
        **fields,
    }
    return client.post(ADD_URL, data)


def test_staff_invite_a_referent_who_sets_a_password_and_sees_only_their_institute(
    client, staff_user
):
    insis = InstituteFactory(code="INSIS")
    inc = InstituteFactory(code="INC")
    LabFactory(lead_institute=insis, name_fr="Labo INSIS", name_en="INSIS lab")
    LabFactory(lead_institute=inc, name_fr="Labo INC", name_en="INC lab")
    client.force_login(staff_user)
    assert client.get(ADD_URL).status_code == 200
    response = invite(client, institutes=[str(insis.pk)])
    assert response.status_code == 302, response.content.decode()[:3000]
    user = get_user_model().objects.get(username="new-referent")
    assert not user.has_usable_password()
    assert list(user.referent_institutes.all()) == [insis]
    assert LogEntry.objects.filter(object_id=str(user.pk)).exists()  # in the history
    client.logout()

    run_worker()
    [message] = mail.outbox
    assert message.to == ["ada@example.org"]
    assert message.subject == "Your account on the CNRS International back-office"
    link = re.search(r"http://[^\s]+/admin/reset/[^\s]+/", message.body).group(0)
    path = link.split("127.0.0.1:8000", 1)[1]
    form = client.get(path, follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
    )
    assert done.status_code == 302
    signed_in = client.post(
        "/admin/login/?next=/admin/",
        {"username": "new-referent", "password": "a-long-new-passphrase"},
    )
    assert signed_in.status_code == 302
    page = client.get("/admin/laboratories/lab/").content.decode()
    assert "Labo INSIS" in page
    assert "Labo INC" not in page
    assert client.get("/admin/accounts/user/").status_code == 403  # referents never see it


def test_a_referent_needs_an_institute_and_the_form_keeps_what_was_typed(client, staff_user):
    client.force_login(staff_user)
    response = invite(client)
    assert response.status_code == 200
    page = response.content.decode()
    assert "ada@example.org" in page
    assert "Choisissez au moins un institut pour un référent." in page
    assert not get_user_model().objects.filter(username="new-referent").exists()


def test_staff_deactivate_an_account_and_never_reach_a_superuser(client, staff_user):
    referent = UserFactory(username="leaving")
    boss = UserFactory(username="root", is_superuser=True)
    client.force_login(staff_user)
    listing = client.get("/admin/accounts/user/").content.decode()
    assert "leaving" in listing
    assert "root" not in listing
    assert client.get(f"/admin/accounts/user/{boss.pk}/change/").status_code in (302, 404)
    client.post(
        "/admin/accounts/user/",
        {"action": "deactivate", "_selected_action": [str(referent.pk)]},
    )
    referent.refresh_from_db()
    assert not referent.is_active
    history = client.get(f"/admin/accounts/user/{referent.pk}/history/").content.decode()
    assert "derci-staff" in history  # who deactivated it, in the account's history


def test_a_forgotten_password_is_reset_by_mail_from_the_sign_in_page(client, staff_user):
    page = client.get("/admin/login/").content.decode()
    assert "/admin/password_reset/" in page
    response = client.post("/admin/password_reset/", {"email": staff_user.email})
    assert response.status_code == 302
    assert mail.outbox == []  # sent by the worker, not the request
    run_worker()
    [message] = mail.outbox
    assert message.to == [staff_user.email]
    assert "/admin/reset/" in message.body


def test_no_page_sets_another_persons_password(client, staff_user):
    referent = UserFactory(username="someone")
    client.force_login(staff_user)
    # Django's page for it is gone: the admin's catch-all finds no such entry and goes home.
    response = client.get(f"/admin/accounts/user/{referent.pk}/password/", follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"
    assert 'name="password1"' not in response.content.decode()
    page = client.get(f"/admin/accounts/user/{referent.pk}/change/").content.decode()
    assert "/password/" not in page
    # Their own password, staff change on Django's own page, with the old one.
    assert client.get("/admin/password_change/").status_code == 200
