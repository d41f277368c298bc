"""History: who changed which field, in which language, from what to what; staff revert."""

import pytest

from laboratories.models import Lab
from tests.backoffice.forms import change_form, read_form
from tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


def lab_url(lab, action="change"):
    return f"/admin/laboratories/lab/{lab.pk}/{action}/"


def save(client, lab, **changes):
    data = change_form(client, lab_url(lab), "lab")
    data.update(
        {name: value if isinstance(value, list) else [value] for name, value in changes.items()}
    )
    response = client.post(lab_url(lab), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def history_rows(client, lab):
    response = client.get(lab_url(lab, "history"))
    assert response.status_code == 200
    return response, list(response.context["page_obj"])


def test_a_change_shows_who_when_which_field_and_language_before_and_after(staff_client, own_lab):
    save(staff_client, own_lab, name_en="Robotics Lab", countries=["KR"])
    response, records = history_rows(staff_client, own_lab)
    page = response.content.decode()
    mine = [record for record in records if record.history_user_id is not None]
    assert len(mine) == 1  # one version per save, relations included
    changes = [change for record in mine for change in record.portal_changes]
    labels = {change.label: (change.before, change.after) for change in changes}
    assert labels["Nom (en anglais)"] == ("Robotics in Tokyo", "Robotics Lab")
    assert labels["Pays partenaires étrangers"] == ("Japon", "Corée du Sud")
    assert "Nom (en français)" not in labels  # unchanged
    assert "derci-staff" in page
    assert records[0].history_user.username == "derci-staff"
    assert 'lang="en"' in page  # the English values are marked as such


def test_history_page_queries_do_not_grow_with_the_versions(
    staff_client, own_lab, django_assert_max_num_queries
):
    save(staff_client, own_lab, name_en="Version 2")
    with django_assert_max_num_queries(30) as few:
        history_rows(staff_client, own_lab)
    few_versions = len(few.captured_queries)
    themes = [ThemeFactory() for _ in range(3)]
    for number in range(3, 9):
        save(
            staff_client, own_lab, name_en=f"Version {number}", themes=[str(themes[number % 3].pk)]
        )
    with django_assert_max_num_queries(few_versions + 1):  # one more related model: themes
        response, records = history_rows(staff_client, own_lab)
    assert len(records) == 8  # created, then seven saves


def test_staff_bring_back_an_earlier_version(staff_client, staff_user, own_lab):
    first = own_lab.history.first()  # the version as the factory left it
    save(
        staff_client,
        own_lab,
        name_en="Renamed",
        summary_fr="Un résumé",
        countries=["KR"],
    )
    url = f"/admin/laboratories/lab/{own_lab.pk}/history/{first.history_id}/"
    page = staff_client.get(url)
    assert page.status_code == 200
    shown = {change.label: (change.before, change.after) for change in page.context["changes"]}
    assert shown["Nom (en anglais)"] == ("Renamed", "Robotics in Tokyo")
    assert shown["Pays partenaires étrangers"] == ("Corée du Sud", "Japon")
    response = staff_client.post(url, read_form(page, method="post", action=None) or {})
    assert response.status_code == 302
    own_lab.refresh_from_db()
    assert own_lab.name_en == "Robotics in Tokyo"
    assert not own_lab.summary_fr
    assert list(own_lab.countries.values_list("code", flat=True)) == ["JP"]
    latest = own_lab.history.first()
    assert latest.history_user == staff_user
    assert latest.history_change_reason == f"revert:{first.history_id}"
    history_page = staff_client.get(lab_url(own_lab, "history")).content.decode()
    assert f"Version {first.history_id} rétablie" in history_page


def test_a_version_whose_slug_was_taken_is_not_brought_back(staff_client, own_lab, other_lab):
    first = own_lab.history.earliest()
    save(staff_client, own_lab, slug="robotics-tokyo-2")
    save(staff_client, other_lab, slug="robotics-tokyo")
    url = f"/admin/laboratories/lab/{own_lab.pk}/history/{first.history_id}/"
    response = staff_client.post(url)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    own_lab.refresh_from_db()
    assert own_lab.slug == "robotics-tokyo-2"


def test_a_referent_sees_their_history_but_cannot_revert(referent_client, own_lab):
    Lab.objects.filter(pk=own_lab.pk).update(name_en="Changed by a script")
    own_lab.refresh_from_db()
    own_lab.save()
    first = own_lab.history.earliest()
    _response, records = history_rows(referent_client, own_lab)
    assert records
    url = f"/admin/laboratories/lab/{own_lab.pk}/history/{first.history_id}/"
    page = referent_client.get(url)
    assert page.status_code == 200
    assert "Rétablir cette version" not in page.content.decode()
    before = own_lab.history.count()
    assert referent_client.post(url).status_code == 403
    own_lab.refresh_from_db()
    assert own_lab.name_en == "Changed by a script"
    assert own_lab.history.count() == before


def test_history_of_centres_and_offices_is_shown(staff_client, own_center):
    from tests.factories import OfficeFactory

    office = OfficeFactory()
    for url in [
        f"/admin/laboratories/researchcenter/{own_center.pk}/history/",
        f"/admin/offices/office/{office.pk}/history/",
    ]:
        assert staff_client.get(url).status_code == 200


def test_a_relation_changed_from_the_other_side_is_recorded(own_lab):
    from backoffice.history import historical_m2m_values
    from geography.models import Country

    versions = own_lab.history.count()
    Country.objects.get(code="KR").labs.add(own_lab)
    assert own_lab.history.count() == versions + 1
    assert sorted(historical_m2m_values(own_lab.history.first())["countries"]) == ["JP", "KR"]


def test_relations_set_in_one_block_are_one_version_holding_them(own_lab):
    from backoffice.history import historical_m2m_values, relations_recorded_once
    from tests.factories import PartnerFactory

    versions = own_lab.history.count()
    partner = PartnerFactory()
    with relations_recorded_once(own_lab):
        own_lab.name_en = "One version"
        own_lab.save()
        own_lab.countries.set(["KR"])
        own_lab.partners.set([partner])
    assert own_lab.history.count() == versions + 1
    latest = own_lab.history.first()
    assert latest.name_en == "One version"
    relations = historical_m2m_values(latest)
    assert relations["countries"] == ["KR"]
    assert relations["partners"] == [partner.pk]

    with relations_recorded_once(own_lab):  # relations alone: a version of their own
        own_lab.countries.set(["JP"])
    assert own_lab.history.count() == versions + 2
    assert historical_m2m_values(own_lab.history.first())["countries"] == ["JP"]

    with relations_recorded_once(own_lab):  # a save alone keeps the relations in its version
        own_lab.save()
    assert historical_m2m_values(own_lab.history.first())["partners"] == [partner.pk]
