"""Review: a referent's save waits for Derci staff; the public site keeps the published row."""

import pytest

from backoffice.models import Revision
from laboratories.models import Lab
from tests.backoffice.forms import change_form, read_form
from tests.factories import InstrumentFactory, LabFactory

pytestmark = pytest.mark.django_db


def lab_url(lab):
    return f"/admin/laboratories/lab/{lab.pk}/change/"


def public_page(client, lab, prefix="/en/labs/"):
    return client.get(f"{prefix}{lab.slug}/").content.decode()


def submit(client, lab, **changes):
    data = change_form(client, lab_url(lab), "lab")
    data.update(
        {name: value if isinstance(value, list) else [value] for name, value in changes.items()}
    )
    return client.post(lab_url(lab), data)


def review(client, revision, button, message=""):
    url = f"/admin/backoffice/revision/{revision.pk}/change/"
    data = read_form(client.get(url), method="post", **{"class": "review-form"})
    data["message"] = [message]
    data[button] = ["1"]
    return client.post(url, data)


def test_referent_save_waits_and_staff_approval_publishes(
    client, referent_user, staff_user, own_lab
):
    client.force_login(referent_user)
    response = submit(client, own_lab, name_en="Robotics and AI in Tokyo")
    assert response.status_code == 302
    own_lab.refresh_from_db()
    assert own_lab.name_en == "Robotics in Tokyo"  # the published row is untouched
    revision = Revision.objects.get()
    assert revision.is_pending
    assert revision.author == referent_user
    assert revision.changes == {"name_en": "Robotics and AI in Tokyo"}
    message = list(client.get(lab_url(own_lab)).context["messages"])
    assert "Derci" in str(message[0])

    client.logout()
    assert "Robotics in Tokyo" in public_page(client, own_lab)
    assert "Robotics and AI in Tokyo" not in public_page(client, own_lab)

    client.force_login(staff_user)
    queue = client.get("/admin/backoffice/revision/").content.decode()
    assert "Robotique à Tokyo" in queue
    page = client.get(revision.get_absolute_url()).content.decode()
    # The diff shows the field in both languages, the English one changed.
    assert "Nom (en anglais)" in page
    assert "Nom (en français)" in page
    assert "Robotics <ins>and AI </ins>in Tokyo" in page
    response = review(client, revision, "_approve")
    assert response.status_code == 302

    revision.refresh_from_db()
    assert revision.status == Revision.Status.APPROVED
    assert revision.reviewer == staff_user
    own_lab.refresh_from_db()
    assert own_lab.name_en == "Robotics and AI in Tokyo"
    client.logout()
    assert "Robotics and AI in Tokyo" in public_page(client, own_lab)
    latest = own_lab.history.first()
    assert latest.history_user == staff_user
    assert latest.history_change_reason == f"revision:{revision.pk}"


def test_relations_and_both_languages_in_one_revision(client, referent_user, staff_user, own_lab):
    instrument = InstrumentFactory(code="IRP", min_partner_countries=1, max_partner_countries=2)
    client.force_login(referent_user)
    submit(
        client,
        own_lab,
        instrument=str(instrument.pk),
        countries=["JP", "SG"],
        summary_fr="Robots collaboratifs.",
        summary_en="Collaborative robots.",
    )
    revision = Revision.objects.get()
    assert revision.changes["countries"] == ["JP", "SG"]
    assert set(revision.changes) == {"instrument", "countries", "summary_fr", "summary_en"}
    assert list(own_lab.countries.values_list("code", flat=True)) == ["JP"]

    client.force_login(staff_user)
    page = client.get(revision.get_absolute_url()).content.decode()
    assert "Singapour" in page
    review(client, revision, "_approve")
    own_lab.refresh_from_db()
    assert own_lab.instrument == instrument
    assert own_lab.summary_en == "Collaborative robots."
    assert sorted(own_lab.countries.values_list("code", flat=True)) == ["JP", "SG"]


def test_rejection_with_a_message_the_referent_sees(client, referent_user, staff_user, own_lab):
    client.force_login(referent_user)
    submit(client, own_lab, name_en="Robots")
    revision = Revision.objects.get()

    client.force_login(staff_user)
    response = review(client, revision, "_reject", message="")
    assert response.status_code == 200  # a rejection says why
    revision.refresh_from_db()
    assert revision.is_pending
    review(client, revision, "_reject", message="Keep the full name, please.")
    revision.refresh_from_db()
    assert revision.status == Revision.Status.REJECTED
    own_lab.refresh_from_db()
    assert own_lab.name_en == "Robotics in Tokyo"

    client.force_login(referent_user)
    change_page = client.get(lab_url(own_lab)).content.decode()
    assert "Keep the full name, please." in change_page
    home = client.get("/admin/").content.decode()
    assert "Keep the full name, please." in home
    assert "Refusée" in home


def test_the_form_starts_from_the_pending_changes(client, referent_user, own_lab):
    client.force_login(referent_user)
    submit(client, own_lab, name_en="Robots")
    data = change_form(client, lab_url(own_lab), "lab")
    assert data["name_en"] == ["Robots"]
    # A second save keeps the first change and adds its own: one pending revision.
    submit(client, own_lab, city_en="Tokyo (Japan)")
    revision = Revision.objects.get()
    assert revision.changes == {"name_en": "Robots", "city_en": "Tokyo (Japan)"}
    # Putting everything back withdraws the revision.
    submit(client, own_lab, name_en="Robotics in Tokyo", city_en="Tokyo")
    assert not Revision.objects.exists()


def test_approval_validates_again_and_changes_nothing_when_invalid(
    client, referent_user, staff_user, own_lab
):
    client.force_login(referent_user)
    submit(client, own_lab, countries=["JP"], name_fr="Robotique à Tokyo et Osaka")
    revision = Revision.objects.get()
    # Meanwhile staff switch the lab to an instrument that needs several countries.
    network = InstrumentFactory(code="IRN", min_partner_countries=2, max_partner_countries=None)
    Lab.objects.filter(pk=own_lab.pk).update(instrument=network)

    client.force_login(staff_user)
    response = review(client, revision, "_approve")
    assert response.status_code == 200
    assert "IRN" in response.content.decode()
    revision.refresh_from_db()
    assert revision.is_pending
    own_lab.refresh_from_db()
    assert own_lab.name_fr == "Robotique à Tokyo"


def test_changes_since_submission_are_pointed_out(client, referent_user, staff_user, own_lab):
    client.force_login(referent_user)
    submit(client, own_lab, name_en="Robots in Tokyo")
    Lab.objects.filter(pk=own_lab.pk).update(name_en="Robotics in Tokyo (staff edit)")
    client.force_login(staff_user)
    page = client.get(Revision.objects.get().get_absolute_url()).content.decode()
    assert "(staff edit)" in page  # what is published now
    assert "Modifié depuis la proposition" in page


def test_a_referent_cannot_review(client, referent_user, own_lab):
    client.force_login(referent_user)
    submit(client, own_lab, name_en="Robots")
    revision = Revision.objects.get()
    url = f"/admin/backoffice/revision/{revision.pk}/change/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"_approve": "1"}).status_code == 403
    revision.refresh_from_db()
    assert revision.is_pending
    own_lab.refresh_from_db()
    assert own_lab.name_en == "Robotics in Tokyo"


def test_a_reviewed_revision_cannot_be_decided_again(client, referent_user, staff_user, own_lab):
    client.force_login(referent_user)
    submit(client, own_lab, name_en="Robots")
    revision = Revision.objects.get()
    client.force_login(staff_user)
    review(client, revision, "_reject", message="No.")
    response = client.post(revision.get_absolute_url(), {"_approve": "1"})
    assert response.status_code == 403
    own_lab.refresh_from_db()
    assert own_lab.name_en == "Robotics in Tokyo"


def test_staff_edits_are_published_at_once(staff_client, own_lab):
    response = submit(staff_client, own_lab, name_en="Robotics Lab Tokyo")
    assert response.status_code == 302
    own_lab.refresh_from_db()
    assert own_lab.name_en == "Robotics Lab Tokyo"
    assert not Revision.objects.exists()


def test_the_queue_shows_pending_first_and_answers_in_constant_queries(
    client, referent_user, staff_user, insis, django_assert_max_num_queries
):
    client.force_login(referent_user)
    labs = [LabFactory(lead_institute=insis) for _ in range(6)]
    for lab in labs[:2]:
        submit(client, lab, name_en=f"{lab.name_en} (new)")
    client.force_login(staff_user)
    with django_assert_max_num_queries(12) as few:
        client.get("/admin/backoffice/revision/")
    two_rows = len(few.captured_queries)
    for lab in labs[2:]:
        client.force_login(referent_user)
        submit(client, lab, name_en=f"{lab.name_en} (new)")
    client.force_login(staff_user)
    with django_assert_max_num_queries(two_rows):
        response = client.get("/admin/backoffice/revision/")
    assert len(response.context["cl"].result_list) == 6
    assert client.get("/admin/backoffice/revision/?status=approved").context["cl"].result_count == 0


def test_review_page_queries_do_not_grow_with_the_changes(
    client, referent_user, staff_user, own_lab, django_assert_max_num_queries
):
    client.force_login(referent_user)
    submit(client, own_lab, name_en="Robots")
    revision = Revision.objects.get()
    client.force_login(staff_user)
    with django_assert_max_num_queries(20) as small:
        client.get(revision.get_absolute_url())
    one_field = len(small.captured_queries)
    client.force_login(referent_user)
    submit(
        client,
        own_lab,
        countries=["JP"],
        summary_fr="Résumé",
        summary_en="Summary",
        description_fr="Texte",
        description_en="Text",
        director="A. Director",
        website="https://example.org/",
    )
    client.force_login(staff_user)
    # More fields, and a relation: one more query for the country names, no more.
    with django_assert_max_num_queries(one_field + 1):
        client.get(revision.get_absolute_url())


def test_a_bad_queue_filter_is_said_on_the_page(staff_client):
    response = staff_client.get("/admin/backoffice/revision/?status=nonsense")
    assert response.status_code == 200
    assert "nonsense" in response.content.decode()


def test_a_centre_revision_is_published_on_approval(client, referent_user, staff_user, own_center):
    url = f"/admin/laboratories/researchcenter/{own_center.pk}/change/"
    client.force_login(referent_user)
    data = change_form(client, url, "researchcenter")
    data["summary_en"] = ["A partnership built on robotics."]
    assert client.post(url, data).status_code == 302
    own_center.refresh_from_db()
    assert not own_center.summary_en
    revision = Revision.objects.get()
    client.force_login(staff_user)
    review(client, revision, "_approve")
    own_center.refresh_from_db()
    assert own_center.summary_en == "A partnership built on robotics."
    # The relations the referent could not edit are as they were.
    assert [institute.code for institute in own_center.institutes.all()] == ["INSIS"]


def test_save_as_new_is_refused_to_a_referent(client, referent_user, own_lab):
    client.force_login(referent_user)
    data = change_form(client, lab_url(own_lab), "lab")
    data["slug"] = ["a-copy"]
    data["_saveasnew"] = ["1"]
    assert client.post(lab_url(own_lab), data).status_code == 403
    assert not Lab.objects.filter(slug="a-copy").exists()
    assert not Revision.objects.exists()
