"""Scoped editing: every way a referent could reach another institute's entry is refused, and
the database is left as it was.

The fixtures give the referent (INSIS) a lab and a centre of their own, and another
institute (INC) a lab and a centre. Each test is one way around the scope, for both kinds
of entry where it applies.
"""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from backoffice.models import Revision
from laboratories.models import Lab, ResearchCenter
from tests.backoffice.forms import change_form

pytestmark = pytest.mark.django_db

KINDS = ["lab", "researchcenter"]


@pytest.fixture
def entries(own_lab, other_lab, own_center, other_center):
    return {
        "lab": (own_lab, other_lab),
        "researchcenter": (own_center, other_center),
    }


def database_state():
    """Everything a refused request must leave as it was."""
    return {
        "labs": list(
            Lab.objects.order_by("pk").values_list(
                "pk", "name_fr", "name_en", "lead_institute_id", "is_published", "slug"
            )
        ),
        "lab_countries": sorted(Lab.countries.through.objects.values_list("lab_id", "country_id")),
        "centers": list(
            ResearchCenter.objects.order_by("pk").values_list("pk", "name_fr", "name_en")
        ),
        "center_institutes": sorted(
            ResearchCenter.institutes.through.objects.values_list(
                "researchcenter_id", "institute_id"
            )
        ),
        "revisions": list(Revision.objects.values_list("pk", "status", "changes")),
        "lab_history": Lab.history.count(),
        "center_history": ResearchCenter.history.count(),
    }


def admin_url(kind, action, pk=None):
    base = f"/admin/laboratories/{kind}/"
    return f"{base}{pk}/{action}/" if pk is not None else f"{base}{action}"


@pytest.mark.parametrize("kind", KINDS)
def test_change_url_of_another_institutes_entry(referent_client, entries, kind):
    _own, other = entries[kind]
    before = database_state()
    response = referent_client.get(admin_url(kind, "change", other.pk))
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert other.name_fr not in referent_client.get("/admin/").content.decode()
    assert database_state() == before


@pytest.mark.parametrize("kind", KINDS)
def test_hand_made_post_to_another_institutes_entry(referent_client, entries, kind):
    own, other = entries[kind]
    # A well-formed form, taken from the referent's own entry and aimed at the other one.
    data = change_form(referent_client, admin_url(kind, "change", own.pk), kind)
    data["name_fr"] = ["Pris par un autre institut"]
    before = database_state()
    response = referent_client.post(admin_url(kind, "change", other.pk), data)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert database_state() == before


def test_hand_made_post_moving_a_lab_to_another_institute(referent_client, own_lab, inc):
    url = admin_url("lab", "change", own_lab.pk)
    data = change_form(referent_client, url, "lab")
    data["lead_institute"] = [str(inc.pk)]
    before = database_state()
    response = referent_client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "lead_institute" in response.context["adminform"].form.errors
    assert database_state() == before


def test_lead_institute_choices_are_the_referents_own(referent_client, own_lab, inc):
    response = referent_client.get(admin_url("lab", "change", own_lab.pk))
    field = response.context["adminform"].form.fields["lead_institute"]
    assert [institute.code for institute in field.queryset] == ["INSIS"]


def test_hand_made_post_giving_a_centre_to_another_institute(referent_client, own_center, inc):
    url = admin_url("researchcenter", "change", own_center.pk)
    data = change_form(referent_client, url, "researchcenter")
    data["institutes"] = [str(inc.pk)]  # read-only for a referent: ignored
    before = database_state()
    response = referent_client.post(url, data)
    assert response.status_code == 302
    assert database_state() == before


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("whose", ["own", "other"])
def test_delete_url(referent_client, entries, kind, method, whose):
    own, other = entries[kind]
    entry = own if whose == "own" else other
    before = database_state()
    response = getattr(referent_client, method)(
        admin_url(kind, "delete", entry.pk), {"post": "yes"} if method == "post" else None
    )
    assert response.status_code == 403
    assert database_state() == before


@pytest.mark.parametrize("kind", KINDS)
def test_history_url_of_another_institutes_entry(referent_client, entries, kind):
    _own, other = entries[kind]
    before = database_state()
    response = referent_client.get(admin_url(kind, "history", other.pk))
    assert response.status_code == 403
    assert database_state() == before


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_history_version_url_of_another_institutes_entry(referent_client, entries, kind, method):
    _own, other = entries[kind]
    record = other.history.earliest()
    before = database_state()
    response = getattr(referent_client, method)(
        f"/admin/laboratories/{kind}/{other.pk}/history/{record.history_id}/"
    )
    assert response.status_code in {403, 404}
    assert database_state() == before


@pytest.mark.parametrize(
    ("kind", "query"),
    [
        ("lab", "lead_institute__id__exact={inc}"),
        ("lab", "q=Kyoto"),
        ("lab", "q=chemistry-kyoto"),
        ("lab", "missing=en"),
        ("researchcenter", "institutes__id__exact={inc}"),
        ("researchcenter", "q=chimie"),
    ],
)
def test_list_filters_and_search(referent_client, entries, inc, kind, query):
    own, other = entries[kind]
    before = database_state()
    response = referent_client.get(admin_url(kind, "") + "?" + query.format(inc=inc.pk))
    page = response.content.decode()
    assert other.name_fr not in page
    assert other.name_en not in page
    assert database_state() == before


@pytest.mark.parametrize("kind", KINDS)
def test_list_shows_only_the_referents_entries(referent_client, entries, kind):
    own, other = entries[kind]
    response = referent_client.get(admin_url(kind, ""))
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert shown == [own]


@pytest.mark.parametrize(
    ("params", "refused"),
    [
        # Labs through the centre form's "labs" field: only the referent's own are offered.
        (
            {"app_label": "laboratories", "model_name": "researchcenter", "field_name": "labs"},
            False,
        ),
        # Institutes, themes, partners: a referent has no right on those lists.
        (
            {"app_label": "laboratories", "model_name": "lab", "field_name": "other_institutes"},
            True,
        ),
        ({"app_label": "laboratories", "model_name": "lab", "field_name": "partners"}, True),
        ({"app_label": "laboratories", "model_name": "lab", "field_name": "countries"}, True),
    ],
)
def test_autocomplete(referent_client, entries, params, refused):
    before = database_state()
    response = referent_client.get("/admin/autocomplete/", {**params, "term": ""})
    if refused:
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        names = [item["text"] for item in response.json()["results"]]
        assert names == [str(entries["lab"][0])]
    assert database_state() == before


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("action", ["export/", "import/", "process_import/"])
def test_export_and_import(referent_client, entries, kind, method, action):
    before = database_state()
    response = getattr(referent_client, method)(admin_url(kind, action), {"format": "0"})
    assert response.status_code in {403, 405}
    if method == "post":
        assert response.status_code == 403
    assert database_state() == before


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("action", ["delete_selected", "export_admin_action"])
def test_bulk_actions(referent_client, entries, kind, action):
    own, other = entries[kind]
    before = database_state()
    response = referent_client.post(
        admin_url(kind, ""),
        {"action": action, "_selected_action": [own.pk, other.pk], "post": "yes"},
    )
    assert response.status_code in {200, 302}
    assert "Content-Disposition" not in response
    assert database_state() == before


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_add_url(referent_client, entries, kind, method):
    own, _other = entries[kind]
    before = database_state()
    data = change_form(referent_client, admin_url(kind, "change", own.pk), kind)
    data["slug"] = ["new-entry"]
    response = getattr(referent_client, method)(
        admin_url(kind, "add/"), data if method == "post" else None
    )
    assert response.status_code == 403
    assert database_state() == before


@pytest.mark.parametrize(
    "url",
    [
        "/admin/instruments/instrument/",
        "/admin/instruments/europeanprogramme/",
        "/admin/offices/office/",
        "/admin/offices/sector/",
        "/admin/laboratories/keyfigure/",
        "/admin/laboratories/institute/",
        "/admin/laboratories/quote/",
        "/admin/accounts/user/",
        "/admin/auth/group/",
        "/admin/backoffice/revision/",
        "/admin/instruments/",
        "/admin/offices/",
    ],
)
def test_models_a_referent_cannot_reach(referent_client, url):
    # An app page without any model the user may see is answered "not found".
    assert referent_client.get(url).status_code in {403, 404}


def test_referent_home_shows_only_their_models(referent_client):
    page = referent_client.get("/admin/").content.decode()
    assert "/admin/laboratories/lab/" in page
    assert "/admin/laboratories/researchcenter/" in page
    for hidden in ["/admin/instruments/", "/admin/offices/", "/admin/auth/group/", "keyfigure"]:
        assert hidden not in page


def test_referent_form_shows_only_what_they_may_use(referent_client, own_lab, own_center):
    lab_page = referent_client.get(admin_url("lab", "change", own_lab.pk))
    assert lab_page.context["inline_admin_formsets"] == []  # no quotes inline
    assert "autocomplete" not in lab_page.content.decode().split('id="lab_form"')[1]
    assert "Supprimer" not in lab_page.content.decode().split('class="submit-row"')[1]
    center_page = referent_client.get(admin_url("researchcenter", "change", own_center.pk))
    form = center_page.context["adminform"].form
    assert "institutes" not in form.fields
    assert "labs" not in form.fields


def test_staff_are_not_scoped(staff_client, entries):
    for kind in KINDS:
        own, other = entries[kind]
        assert staff_client.get(admin_url(kind, "change", other.pk)).status_code == 200
        assert staff_client.get(admin_url(kind, "delete", other.pk)).status_code == 200


def test_a_user_with_no_role_reaches_nothing(client, entries):
    from tests.factories import UserFactory

    nobody = UserFactory(username="nobody")
    assert not nobody.groups.exists()
    client.force_login(nobody)
    for kind in KINDS:
        own, _other = entries[kind]
        assert client.get(admin_url(kind, "")).status_code == 403
        assert client.get(admin_url(kind, "change", own.pk)).status_code in {302, 403}


def test_a_referent_of_two_institutes_sees_both(referent_client, referent_user, entries, inc):
    inc.referents.add(referent_user)
    response = referent_client.get(admin_url("lab", ""))
    assert {lab.pk for lab in response.context["cl"].result_list} == {
        entries["lab"][0].pk,
        entries["lab"][1].pk,
    }
    assert Group.objects.get(name="Institute referent").user_set.filter(pk=referent_user.pk)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/laboratories/lab/abc/change/",
        "/admin/laboratories/lab/abc/history/",
        "/admin/laboratories/lab/{lab}/history/abc/",
        "/admin/laboratories/lab/{lab}/history/999999/",
        "/admin/laboratories/lab/abc/history/1/",
        "/admin/laboratories/researchcenter/abc/history/",
        "/admin/backoffice/revision/abc/change/",
        "/admin/backoffice/revision/999999/change/",
        "/admin/laboratories/lab/?lifecycle=soon",
        "/admin/laboratories/lab/?missing=",
        "/admin/laboratories/lab/?o=99",
        "/admin/laboratories/lab/?lead_institute__id__exact=abc",
        "/admin/backoffice/revision/?status=",
        "/admin/laboratories/lab/import/?format=99",
    ],
)
@pytest.mark.parametrize("who", ["staff_client", "referent_client"])
def test_mistyped_addresses_never_fail(request, who, own_lab, path):
    client = request.getfixturevalue(who)
    response = client.get(path.format(lab=own_lab.pk))
    assert response.status_code in {200, 302, 403, 404}


def view_on_site(client, entry):
    content_type = ContentType.objects.get_for_model(entry)
    return client.get(f"/admin/r/{content_type.pk}/{entry.pk}/")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("published", [True, False])
def test_view_on_site_tells_nothing_of_another_institutes_entry(
    referent_client, staff_user, entries, kind, published
):
    own, other = entries[kind]
    type(other).objects.filter(pk=other.pk).update(is_published=published)
    refused = view_on_site(referent_client, other)
    assert refused.status_code == 404
    assert other.slug not in refused.content.decode()
    response = view_on_site(referent_client, own)
    assert response.status_code == 302
    assert response["Location"].endswith(own.get_absolute_url())
    # Staff are not scoped.
    referent_client.force_login(staff_user)
    assert view_on_site(referent_client, other)["Location"].endswith(other.get_absolute_url())


@pytest.mark.parametrize("who", ["staff_client", "referent_client"])
def test_view_on_site_of_what_no_admin_shows_is_not_found(request, who, own_lab):
    client = request.getfixturevalue(who)
    lab_type = ContentType.objects.get_for_model(own_lab).pk
    unregistered = ContentType.objects.get_for_model(ContentType).pk
    huge = "9" * 30
    for path in [
        f"r/999999/{own_lab.pk}/",
        f"r/{huge}/{own_lab.pk}/",
        f"r/{lab_type}/abc/",
        f"r/{lab_type}/999999/",
        f"r/{lab_type}/{huge}/",
    ]:
        assert client.get(f"/admin/{path}").status_code == 404, path
    assert client.get(f"/admin/r/{unregistered}/{lab_type}/").status_code == 404
