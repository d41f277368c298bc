"""The institutes a call targets: chosen on each institute's page (the institutes sit above
the instruments in the layers), shown on the call's page."""

import pytest

from tests.backoffice.forms import change_form
from tests.factories import CallFactory, InstituteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_staff_choose_on_an_institutes_page_the_calls_aimed_at_it(staff_client):
    call = CallFactory(slug="iea")
    insis = InstituteFactory(code="INSIS")
    call_page = f"/admin/instruments/call/{call.pk}/change/"
    assert (
        "Les instituts se choisissent sur la page" in staff_client.get(call_page).content.decode()
    )

    url = f"/admin/laboratories/institute/{insis.pk}/change/"
    data = change_form(staff_client, url, "institute")
    data["calls"] = [str(call.pk)]
    assert staff_client.post(url, data).status_code == 302

    assert list(call.institutes.all()) == [insis]
    page = staff_client.get(call_page).content.decode()
    assert "INSIS – Institut des sciences de l&#x27;ingénierie" in page
