"""Concurrent edits: no save silently overwrites a change its author did not see."""

import datetime

import pytest
from django.test import Client

from backoffice.models import Revision
from laboratories.models import Lab
from provenance.models import Source
from tests.backoffice.forms import change_form, read_form
from tests.factories import (
    InstrumentFactory,
    KeyFigureFactory,
    OfficeFactory,
    PartnerFactory,
    ResearchCenterFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CONFLICT = "a enregistré cette fiche après que vous avez ouvert ce formulaire"


def lab_url(lab):
    return f"/admin/laboratories/lab/{lab.pk}/change/"


def edit(data, **changes):
    data = dict(data)
    data.update(
        {name: value if isinstance(value, list) else [value] for name, value in changes.items()}
    )
    return data


@pytest.fixture
def second_staff_client(staff_user):
    other = UserFactory(username="derci-staff-2")
    other.groups.set(staff_user.groups.all())
    client = Client()
    client.force_login(other)
    return client


def test_the_second_of_two_saves_from_the_same_version_is_refused_and_keeps_what_was_typed(
    staff_client, second_staff_client, own_lab
):
    first = change_form(staff_client, lab_url(own_lab), "lab")
    second = change_form(second_staff_client, lab_url(own_lab), "lab")
    response = staff_client.post(lab_url(own_lab), edit(first, name_en="Robotics Lab (first)"))
    assert response.status_code == 302

    response = second_staff_client.post(
        lab_url(own_lab), edit(second, city_en="Tokyo and Osaka", name_en="Robotics (second)")
    )
    assert response.status_code == 200  # refused, shown again
    page = response.content.decode()
    assert CONFLICT in page
    # What changed meanwhile, from the version the form was opened on to the saved one.
    meanwhile = response.context["adminform"].form.changed_meanwhile
    assert [(c.label, c.before, c.after) for c in meanwhile] == [
        ("Nom (en anglais)", "Robotics in Tokyo", "Robotics Lab (first)")
    ]
    assert "Enregistré entre-temps" in page
    # Nothing of the second save was written; what its author typed is still in the form.
    own_lab.refresh_from_db()
    assert own_lab.name_en == "Robotics Lab (first)"
    assert own_lab.city_en == "Tokyo"
    kept = read_form(response, "lab_form")
    assert kept["city_en"] == ["Tokyo and Osaka"]
    assert kept["name_en"] == ["Robotics (second)"]

    # Saving again, having seen the change, is based on the new version: it is published.
    response = second_staff_client.post(lab_url(own_lab), kept)
    assert response.status_code == 302
    own_lab.refresh_from_db()
    assert (own_lab.name_en, own_lab.city_en) == ("Robotics (second)", "Tokyo and Osaka")


def test_a_change_made_outside_the_admin_is_seen_too(staff_client, own_lab):
    data = change_form(staff_client, lab_url(own_lab), "lab")
    Lab.objects.filter(pk=own_lab.pk).update(summary_en="Written by a script.")
    response = staff_client.post(lab_url(own_lab), edit(data, name_en="Robots"))
    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    (change,) = response.context["adminform"].form.changed_meanwhile
    assert change.after == "Written by a script."
    own_lab.refresh_from_db()
    assert own_lab.name_en == "Robotics in Tokyo"


def test_a_save_that_is_up_to_date_goes_through(staff_client, own_lab):
    data = change_form(staff_client, lab_url(own_lab), "lab")
    assert staff_client.post(lab_url(own_lab), edit(data, name_en="Robots")).status_code == 302
    data = change_form(staff_client, lab_url(own_lab), "lab")
    assert staff_client.post(lab_url(own_lab), edit(data, name_en="Robots 2")).status_code == 302
    own_lab.refresh_from_db()
    assert own_lab.name_en == "Robots 2"


@pytest.mark.parametrize("token", [None, "", "nonsense", "[]", '{"fields": 3}', "[" * 5000])
def test_a_missing_or_garbled_version_is_refused_without_error(staff_client, own_lab, token):
    data = change_form(staff_client, lab_url(own_lab), "lab")
    if token is None:
        del data["portal_version"]
    else:
        data["portal_version"] = [token]
    response = staff_client.post(lab_url(own_lab), edit(data, name_en="Robots"))
    assert response.status_code == 200
    assert "ne dit pas sur quelle version" in response.content.decode()
    own_lab.refresh_from_db()
    assert own_lab.name_en == "Robotics in Tokyo"
    # The form now carries the current version: saving again goes through.
    assert staff_client.post(lab_url(own_lab), read_form(response, "lab_form")).status_code == 302


@pytest.fixture
def content(db):
    return {
        "theme": ThemeFactory().pk,
        "partner": PartnerFactory().pk,
        "figure": KeyFigureFactory().pk,
        "instrument": InstrumentFactory().pk,
        "office": OfficeFactory().pk,
        "center": ResearchCenterFactory().pk,
    }


@pytest.mark.parametrize(
    ("url", "model_name", "field", "value"),
    [
        ("/admin/laboratories/theme/{theme}/change/", "theme", "name_en", "Oceans"),
        ("/admin/laboratories/partner/{partner}/change/", "partner", "name_en", "Tokyo Tech"),
        ("/admin/laboratories/keyfigure/{figure}/change/", "keyfigure", "source_en", "Report"),
        ("/admin/instruments/instrument/{instrument}/change/", "instrument", "name_en", "IRL"),
        ("/admin/offices/office/{office}/change/", "office", "city_en", "Tokyo"),
        ("/admin/laboratories/researchcenter/{center}/change/", "researchcenter", "name_en", "X"),
    ],
)
def test_every_content_admin_refuses_a_save_based_on_an_outdated_version(
    staff_client, second_staff_client, content, url, model_name, field, value
):
    url = url.format(**content)
    first = change_form(staff_client, url, model_name)
    second = change_form(second_staff_client, url, model_name)
    assert staff_client.post(url, edit(first, **{field: f"{value} (first)"})).status_code == 302
    response = second_staff_client.post(url, edit(second, **{field: f"{value} (second)"}))
    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    assert read_form(response, f"{model_name}_form")[field] == [f"{value} (second)"]


# The review flow -------------------------------------------------------------------------


def referent_submit(client, lab, **changes):
    data = change_form(client, lab_url(lab), "lab")
    return client.post(lab_url(lab), edit(data, **changes))


def review_page(client, revision):
    return client.get(revision.get_absolute_url())


def review(client, revision, button, **fields):
    url = revision.get_absolute_url()
    data = read_form(client.get(url), method="post", **{"class": "review-form"})
    data.update({name: [value] for name, value in fields.items()})
    data[button] = ["1"]
    return client.post(url, data)


def test_a_referent_save_based_on_an_outdated_version_is_refused(
    client, referent_user, staff_client, own_lab
):
    referent = Client()
    referent.force_login(referent_user)
    data = change_form(referent, lab_url(own_lab), "lab")
    staff_data = change_form(staff_client, lab_url(own_lab), "lab")
    staff_client.post(lab_url(own_lab), edit(staff_data, name_en="Robotics Lab (staff)"))
    response = referent.post(lab_url(own_lab), edit(data, summary_en="Robots that help."))
    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    assert not Revision.objects.exists()
    assert read_form(response, "lab_form")["summary_en"] == ["Robots that help."]


def test_a_revision_based_on_an_outdated_version_is_flagged_and_not_published_over_changes(
    referent_client, referent_user, staff_user, own_lab
):
    assert referent_submit(referent_client, own_lab, name_en="Robots in Tokyo").status_code == 302
    revision = Revision.objects.get()
    assert revision.base_version["fields"]
    # Staff edit the published lab after the submission.
    staff = Client()
    staff.force_login(staff_user)
    data = change_form(staff, lab_url(own_lab), "lab")
    staff.post(lab_url(own_lab), edit(data, name_en="Robotics in Tokyo (staff)", city_en="Kyoto"))

    queue = staff.get("/admin/backoffice/revision/").content.decode()
    assert "une version dépassée" in queue
    assert "Ville (en anglais)" in queue

    page = review_page(staff, revision).content.decode()
    assert "une version dépassée" in page
    assert "Kyoto" in page
    # Approving without saying so is refused: the staff edit stays.
    response = review(staff, revision, "_approve")
    assert response.status_code == 200
    revision.refresh_from_db()
    assert revision.is_pending
    own_lab.refresh_from_db()
    assert own_lab.name_en == "Robotics in Tokyo (staff)"
    # Having seen what changed, the reviewer publishes over it.
    response = review(staff, revision, "_approve", over_changes="on")
    assert response.status_code == 302
    own_lab.refresh_from_db()
    assert (own_lab.name_en, own_lab.city_en) == ("Robots in Tokyo", "Kyoto")


def test_an_entry_saved_while_the_reviewer_reads_is_not_published_over(
    referent_client, staff_user, own_lab
):
    referent_submit(referent_client, own_lab, name_en="Robots in Tokyo")
    revision = Revision.objects.get()
    staff = Client()
    staff.force_login(staff_user)
    url = revision.get_absolute_url()
    data = read_form(staff.get(url), method="post", **{"class": "review-form"})
    assert "une version dépassée" not in staff.get(url).content.decode()
    Lab.objects.filter(pk=own_lab.pk).update(city_en="Kyoto")
    data["_approve"] = ["1"]
    data["over_changes"] = ["on"]
    response = staff.post(url, data)
    assert response.status_code == 200
    assert "pendant que vous relisiez" in response.content.decode()
    revision.refresh_from_db()
    assert revision.is_pending


def test_an_up_to_date_revision_is_approved_as_before(referent_client, staff_user, own_lab):
    referent_submit(referent_client, own_lab, name_en="Robots in Tokyo")
    revision = Revision.objects.get()
    staff = Client()
    staff.force_login(staff_user)
    assert "une version dépassée" not in staff.get("/admin/backoffice/revision/").content.decode()
    assert review(staff, revision, "_approve").status_code == 302
    own_lab.refresh_from_db()
    assert own_lab.name_en == "Robots in Tokyo"


@pytest.mark.parametrize("token", ["", "nonsense", '{"history": "x", "fields": {}}'])
def test_a_garbled_review_version_is_refused_without_error(
    referent_client, staff_user, own_lab, token
):
    referent_submit(referent_client, own_lab, name_en="Robots in Tokyo")
    revision = Revision.objects.get()
    staff = Client()
    staff.force_login(staff_user)
    response = review(staff, revision, "_approve", entry_version=token)
    assert response.status_code == 200
    assert "quelle version de la fiche vous avez vue" in response.content.decode()
    revision.refresh_from_db()
    assert revision.is_pending


def test_a_save_that_changes_only_an_inline_is_checked_too(
    staff_client, second_staff_client, own_lab
):
    Source.objects.create(
        entry=own_lab,
        url="https://example.org/robots",
        publisher="CNRS",
        read_on=datetime.date(2026, 12, 1),
        snippet="Forty researchers.",
    )
    first = change_form(staff_client, lab_url(own_lab), "lab")
    second = change_form(second_staff_client, lab_url(own_lab), "lab")
    [snippet] = [name for name in first if name.endswith("-0-snippet")]
    publisher = snippet.replace("snippet", "publisher")
    response = staff_client.post(lab_url(own_lab), edit(first, **{snippet: "Fifty researchers."}))
    assert response.status_code == 302

    # The second save changes a source only, from the version before the first one.
    response = second_staff_client.post(lab_url(own_lab), edit(second, **{publisher: "CNRS Info"}))
    assert response.status_code == 200  # refused, shown again
    assert CONFLICT in response.content.decode()
    [change] = response.context["adminform"].form.changed_meanwhile
    assert change.label == "Sources"
    assert "Forty researchers." in change.before and "Fifty researchers." in change.after
    assert Source.objects.get().publisher == "CNRS"
    kept = read_form(response, "lab_form")
    assert kept[publisher] == ["CNRS Info"]  # what was typed in the inline is kept
    assert kept[snippet] == ["Forty researchers."]  # as its author saw it, to be checked

    # Saving again is based on the version now: the source gets what its author saves.
    response = second_staff_client.post(lab_url(own_lab), edit(kept, **{snippet: "Fifty."}))
    assert response.status_code == 302
    source = Source.objects.get()
    assert (source.publisher, source.snippet) == ("CNRS Info", "Fifty.")


def test_a_source_added_meanwhile_refuses_a_stale_save(staff_client, own_lab):
    data = change_form(staff_client, lab_url(own_lab), "lab")
    Source.objects.create(
        entry=own_lab, publisher="Le Monde", read_on=datetime.date(2026, 12, 2), document="p. 4"
    )
    response = staff_client.post(lab_url(own_lab), edit(data, name_en="Robots"))
    assert response.status_code == 200
    [change] = response.context["adminform"].form.changed_meanwhile
    assert (change.before, change.after) == ("—", "p. 4 · Le Monde · Jour · 2 décembre 2026")
    own_lab.refresh_from_db()
    assert own_lab.name_en == "Robotics in Tokyo"
