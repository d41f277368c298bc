"""Every model is in the admin, its pages open, and nothing is loaded from another host."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    return client


def test_every_content_model_is_registered():
    content_models = {
        (model._meta.app_label, model._meta.model_name)
        for app in ("instruments", "laboratories", "offices")
        for model in __import__("django.apps").apps.apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    }
    assert content_models <= set(REGISTERED)


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_changelist_and_add_pages_open(superuser_client, rf, app_label, model_name):
    # Entries nobody adds by hand (django-axes' sign-in attempts) have no add page.
    request = rf.get("/admin/")
    request.user = UserFactory(username="root")
    model_admin = admin.site._registry[apps.get_model(app_label, model_name)]
    views = ["changelist"] + (["add"] if model_admin.has_add_permission(request) else [])
    for view in views:
        response = superuser_client.get(reverse(f"admin:{app_label}_{model_name}_{view}"))
        assert response.status_code == 200, (view, response.status_code)
        hosts = set(re.findall(r'(?:src|href)="(?:https?:)?//([^/"]+)', response.content.decode()))
        assert not hosts, f"assets from other hosts: {hosts}"


def test_translation_tabs_use_the_portals_own_jquery_ui(superuser_client):
    page = superuser_client.get(reverse("admin:laboratories_lab_add")).content.decode()
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in page
    assert "googleapis" not in page
