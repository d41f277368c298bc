"""Active or ended: one rule for the labs list, its exports, the lab's page and the admin."""

import csv
import datetime
import io

import pytest

from tests.factories import LabFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def labs():
    day = datetime.timedelta(days=1)
    return {
        "ended": LabFactory(slug="ended", start_date=TODAY - 900 * day, end_date=TODAY - day),
        "last-day": LabFactory(slug="last-day", start_date=TODAY - 900 * day, end_date=TODAY),
        "no-end": LabFactory(slug="no-end"),
    }


def slugs(response):
    return {lab.slug for lab in response.context["labs"]}


def test_a_lab_ended_yesterday_is_ended_everywhere_and_one_ending_today_is_active(
    client, staff_user, labs
):
    assert slugs(client.get("/en/labs/?status=ended")) == {"ended"}
    assert slugs(client.get("/en/labs/?status=active")) == {"last-day", "no-end"}

    rows = csv.DictReader(io.StringIO(b"".join(client.get("/en/labs/?format=csv")).decode()))
    assert {row["slug"]: row["status"] for row in rows} == {
        "ended": "ended",
        "last-day": "active",
        "no-end": "active",
    }

    assert "badge--ended" in client.get("/en/labs/ended/").content.decode()
    assert "badge--ended" not in client.get("/en/labs/last-day/").content.decode()
    page = client.get("/en/labs/?sort=name").content.decode()
    assert page.count('class="badge badge--ended"') == 1

    client.force_login(staff_user)
    admin = client.get("/admin/laboratories/lab/?lifecycle=ended")
    assert {lab.slug for lab in admin.context["cl"].result_list} == {"ended"}
    ending = client.get("/admin/laboratories/lab/?lifecycle=ending")
    assert {lab.slug for lab in ending.context["cl"].result_list} == {"last-day"}
