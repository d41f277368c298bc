"""Roles are groups the project creates itself, with the rights the portal design gives them."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from accounts.roles import REFERENT_GROUP, STAFF_GROUP, ensure_roles

pytestmark = pytest.mark.django_db


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_migrate_creates_both_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= {STAFF_GROUP, REFERENT_GROUP}


def test_staff_keep_every_content_model_review_and_accounts_but_not_groups():
    staff = codenames(STAFF_GROUP)
    for app, model in [
        ("instruments", "instrument"),
        ("laboratories", "lab"),
        ("laboratories", "researchcenter"),
        ("laboratories", "keyfigure"),
        ("offices", "office"),
    ]:
        for action in ["add", "change", "delete", "view"]:
            assert f"{app}.{action}_{model}" in staff
    assert {"backoffice.view_revision", "backoffice.change_revision"} <= staff
    assert not any(name.startswith("auth.") for name in staff)  # groups, permissions
    assert {"accounts.view_user", "accounts.add_user", "accounts.change_user"} <= staff
    assert "accounts.delete_user" not in staff  # accounts are deactivated, kept in history


def test_referents_may_only_view_and_change_labs_and_centres():
    assert codenames(REFERENT_GROUP) == {
        "laboratories.view_lab",
        "laboratories.change_lab",
        "laboratories.view_researchcenter",
        "laboratories.change_researchcenter",
    }


def test_roles_are_idempotent_and_repair_themselves():
    staff = Group.objects.get(name=STAFF_GROUP)
    staff.permissions.add(Permission.objects.get(codename="delete_user"))
    Group.objects.get(name=REFERENT_GROUP).permissions.clear()
    ensure_roles()
    call_command("migrate", verbosity=0)  # runs them again after migrate
    assert Group.objects.filter(name__in=[STAFF_GROUP, REFERENT_GROUP]).count() == 2
    assert "accounts.delete_user" not in codenames(STAFF_GROUP)
    assert len(codenames(REFERENT_GROUP)) == 4
