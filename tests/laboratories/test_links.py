"""Links to the labs list with filters: one helper writes them, the list understands them."""

import pytest

from laboratories.filters import LabFilterSet
from laboratories.links import PARAMETERS, lab_list_url
from tests.factories import InstituteFactory, InstrumentFactory, LabFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_the_helper_writes_the_parameters_as_the_list_does(client):
    url = lab_list_url(instrument="IRL", country=["JP", "kr"], q="Pékin")
    assert url == "/fr/laboratoires/?q=P%C3%A9kin&country=jp&country=kr&instrument=irl"
    assert lab_list_url() == "/fr/laboratoires/"
    assert lab_list_url(region="", theme=None) == "/fr/laboratoires/"
    # The same order as the list's own links (its filters, declared in that order).
    assert tuple(LabFilterSet({}).filters) == PARAMETERS
    with pytest.raises(TypeError):
        lab_list_url(colour="blue")


def test_the_pages_link_to_the_filtered_list(client):
    irl = InstrumentFactory(code="IRL")
    # Named to come first on the lists (ordered by name), whatever the others' numbers.
    lab = LabFactory(
        name_fr="Alpha",
        name_en="Alpha",
        instrument=irl,
        lead_institute=InstituteFactory(code="INSIS"),
        countries=["JP"],
    )
    ThemeFactory(slug="robotique").labs.add(lab)
    for _ in range(60):  # more than the instrument page shows
        LabFactory(instrument=irl, countries=["JP"])

    detail = client.get(f"/en/labs/{lab.slug}/").content.decode()
    assert 'href="/en/labs/?institute=insis"' in detail
    country = client.get("/en/countries/jp/").context
    assert country["labs_url"] == "/en/labs/?country=jp"
    assert country["groups"][0]["url"] == "/en/labs/?country=jp&instrument=irl"
    assert client.get("/en/instruments/irl/").context["labs_url"] == "/en/labs/?instrument=irl"
    home = client.get("/en/").content.decode()
    assert 'href="/en/labs/?region=asia"' in home
    regions = client.get("/en/countries/").context["regions"]
    assert [region["url"] for region in regions] == ["/en/labs/?region=asia"]

    # Each of them lists the lab.
    for url in [
        "/en/labs/?institute=insis",
        "/en/labs/?country=jp&instrument=irl",
        "/en/labs/?region=asia",
        "/en/labs/?theme=robotique",
    ]:
        response = client.get(url)
        assert response.context["problems"] == []
        assert lab.pk in {found.pk for found in response.context["labs"]}, url
