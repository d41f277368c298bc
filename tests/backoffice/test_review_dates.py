"""Review dates: who last checked each entry and when; stale entries on the dashboard and lists."""

import datetime

import pytest
from django.utils import timezone

from backoffice.models import Revision
from backoffice.review_dates import stale_q
from backoffice.services import revision_approve
from laboratories.models import Lab
from offices.models import Office
from tests.backoffice.forms import change_form
from tests.factories import LabFactory, OfficeFactory

pytestmark = pytest.mark.django_db

YEAR_AND_A_DAY = datetime.timedelta(days=366)


def lab_url(lab):
    return f"/admin/laboratories/lab/{lab.pk}/change/"


def save(client, url, model_name, **changes):
    data = change_form(client, url, model_name)
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url, data)


def test_a_staff_edit_records_the_review(staff_client, staff_user, own_lab):
    assert own_lab.last_reviewed_at is None
    response = save(staff_client, lab_url(own_lab), "lab", name_en="Robotics and AI")
    assert response.status_code == 302
    own_lab.refresh_from_db()
    assert own_lab.last_reviewed_by == staff_user
    assert timezone.now() - own_lab.last_reviewed_at < datetime.timedelta(minutes=1)
    page = staff_client.get(lab_url(own_lab)).content.decode()
    assert "derci-staff" in page  # last reviewed by, shown on the form


def test_an_unchanged_save_counts_only_when_confirmed_as_current(staff_client, own_lab):
    save(staff_client, lab_url(own_lab), "lab")
    own_lab.refresh_from_db()
    assert own_lab.last_reviewed_at is None
    save(staff_client, lab_url(own_lab), "lab", confirmed_current="on")
    own_lab.refresh_from_db()
    assert own_lab.last_reviewed_at is not None


def test_a_referent_confirms_as_current_and_their_changes_count_once_approved(
    referent_client, referent_user, staff_user, own_lab
):
    response = save(referent_client, lab_url(own_lab), "lab", confirmed_current="on")
    own_lab.refresh_from_db()
    assert own_lab.last_reviewed_by == referent_user
    assert "confirmé" in str(list(referent_client.get(lab_url(own_lab)).context["messages"])[0])
    assert response.status_code == 302

    Lab.objects.filter(pk=own_lab.pk).update(last_reviewed_at=None, last_reviewed_by=None)
    save(referent_client, lab_url(own_lab), "lab", name_en="Robots", confirmed_current="on")
    own_lab.refresh_from_db()
    assert own_lab.last_reviewed_at is None  # changes wait for review: not reviewed yet
    revision_approve(revision=Revision.objects.get(), reviewer=staff_user)
    own_lab.refresh_from_db()
    assert own_lab.last_reviewed_by == staff_user


def test_stale_entries_on_the_dashboard_and_the_filter_are_the_same(staff_client, insis):
    now = timezone.now()
    fresh = LabFactory(lead_institute=insis, last_reviewed_at=now - datetime.timedelta(days=30))
    old = LabFactory(lead_institute=insis, last_reviewed_at=now - YEAR_AND_A_DAY)
    never = LabFactory(lead_institute=insis)
    OfficeFactory(last_reviewed_at=now)
    assert set(Lab.objects.stale()) == {old, never}
    assert set(Lab.objects.filter(stale_q())) == {old, never}
    assert fresh not in Lab.objects.stale()

    response = staff_client.get("/admin/")
    tiles = {
        tile.url: tile.count
        for group in response.context["dashboard"]["tile_groups"]
        for tile in group.tiles
    }
    assert tiles["/admin/laboratories/lab/?reviewed=stale"] == 2
    assert tiles["/admin/offices/office/?reviewed=stale"] == 0
    assert "Non relues depuis plus d’un an" in response.content.decode()
    listed = staff_client.get("/admin/laboratories/lab/?reviewed=stale").context["cl"]
    assert set(listed.result_list) == {old, never}
    assert Office.objects.stale().count() == 0
