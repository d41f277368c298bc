"""Admin lists: completeness and lifecycle filters, the dashboard, speed, the language."""

import datetime
import html

import pytest
from django.contrib.contenttypes.models import ContentType

from backoffice.models import Revision
from laboratories.models import Lab
from tests.backoffice.forms import change_form
from tests.factories import InstituteFactory, LabFactory, OfficeFactory, ResearchCenterFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def days(number):
    return TODAY + datetime.timedelta(days=number)


@pytest.fixture
def labs(insis):
    """One lab per case; the slug says which."""
    return {
        lab.slug: lab
        for lab in [
            LabFactory(slug="complete", lead_institute=insis, end_date=days(800)),
            LabFactory(slug="no-english", lead_institute=insis, name_en="", end_date=days(800)),
            LabFactory(
                slug="no-french-summary",
                lead_institute=insis,
                summary_en="Only in English",
                end_date=days(800),
            ),
            LabFactory(slug="ending", lead_institute=insis, end_date=days(200)),
            LabFactory(
                slug="ended",
                lead_institute=insis,
                start_date=days(-3000),
                end_date=days(-1),
            ),
            LabFactory(slug="never-ends", lead_institute=insis),
        ]
    }


def shown(client, query):
    response = client.get(f"/admin/laboratories/lab/?{query}")
    assert response.status_code == 200
    return sorted(lab.slug for lab in response.context["cl"].result_list)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("missing=en", ["no-english"]),
        ("missing=fr", ["no-french-summary"]),
        ("lifecycle=ending", ["ending"]),
        ("lifecycle=ended", ["ended"]),
        ("missing=en&lifecycle=ending", []),
    ],
)
def test_completeness_and_lifecycle_filters(staff_client, labs, query, expected):
    assert shown(staff_client, query) == expected


def test_a_wrong_filter_value_is_said_on_the_page(staff_client, labs):
    response = staff_client.get("/admin/laboratories/lab/?missing=de")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "«\u202fde\u202f» n'est pas un choix du filtre «\u202fcomplétude\u202f»" in page
    assert len(response.context["cl"].result_list) == len(labs)


def test_the_staff_dashboard_counts_and_links_to_the_filtered_lists(
    staff_client, referent_user, labs
):
    OfficeFactory(name_en="")
    ResearchCenterFactory(summary_fr="Résumé seulement en français")
    revision_author = referent_user
    client = staff_client
    Revision.objects.create(
        content_type=ContentType.objects.get_for_model(Lab),
        object_id=labs["complete"].pk,
        object_repr=str(labs["complete"]),
        author=revision_author,
        submitted_at=datetime.datetime.now(datetime.UTC),
        changes={"name_en": "New"},
    )
    response = client.get("/admin/")
    tiles = {
        tile.url: tile.count
        for group in response.context["dashboard"]["tile_groups"]
        for tile in group.tiles
    }
    assert tiles["/admin/backoffice/revision/?status=pending"] == 1
    assert tiles["/admin/laboratories/lab/?missing=en"] == 1
    assert tiles["/admin/laboratories/lab/?missing=fr"] == 1
    assert tiles["/admin/laboratories/lab/?lifecycle=ending"] == 1
    assert tiles["/admin/laboratories/lab/?lifecycle=ended"] == 1
    assert tiles["/admin/offices/office/?missing=en"] == 1
    assert tiles["/admin/laboratories/researchcenter/?missing=en"] == 1
    page = response.content.decode()
    assert 'href="/admin/laboratories/lab/?lifecycle=ending"' in page
    assert "Modifications en attente de relecture" in page
    # Each link lists exactly what its tile counts.
    for url, count in tiles.items():
        assert client.get(url).context["cl"].result_count == count, url


def test_the_dashboard_answers_in_constant_queries(
    staff_client, insis, django_assert_max_num_queries
):
    LabFactory(lead_institute=insis)
    with django_assert_max_num_queries(30) as few:
        staff_client.get("/admin/")
    one_lab = len(few.captured_queries)
    for _ in range(15):
        LabFactory(lead_institute=insis, name_en="")
    with django_assert_max_num_queries(one_lab):
        staff_client.get("/admin/")


def test_a_referent_dashboard_counts_only_their_entries(referent_client, labs, inc):
    LabFactory(slug="other-no-english", lead_institute=inc, name_en="")
    response = referent_client.get("/admin/")
    tiles = {
        tile.url: tile.count
        for group in response.context["dashboard"]["tile_groups"]
        for tile in group.tiles
    }
    assert tiles["/admin/laboratories/lab/?missing=en"] == 1
    assert "/admin/backoffice/revision/?status=pending" not in tiles


@pytest.mark.parametrize("who", ["staff_client", "referent_client"])
def test_the_lab_list_answers_in_constant_queries(
    request, who, insis, django_assert_max_num_queries
):
    client = request.getfixturevalue(who)
    other = InstituteFactory(code="INSU")
    LabFactory(lead_institute=insis)
    with django_assert_max_num_queries(30) as few:
        client.get("/admin/laboratories/lab/")
    one_lab = len(few.captured_queries)
    for number in range(40):
        LabFactory(lead_institute=insis if number % 2 else other)
    with django_assert_max_num_queries(one_lab):
        response = client.get("/admin/laboratories/lab/?missing=en")
    with django_assert_max_num_queries(one_lab):
        response = client.get("/admin/laboratories/lab/")
    assert len(response.context["cl"].result_list) > 1


@pytest.mark.parametrize(
    "path",
    [
        "/admin/laboratories/researchcenter/",
        "/admin/offices/office/",
        "/admin/backoffice/revision/",
    ],
)
def test_other_lists_answer_in_constant_queries(staff_client, path, django_assert_max_num_queries):
    ResearchCenterFactory()
    OfficeFactory()
    with django_assert_max_num_queries(30) as few:
        staff_client.get(path)
    one_row = len(few.captured_queries)
    for _ in range(10):
        ResearchCenterFactory()
        OfficeFactory()
    with django_assert_max_num_queries(one_row):
        assert staff_client.get(path).status_code == 200


def test_the_admin_speaks_the_language_the_user_picks(staff_client, own_lab):
    french = staff_client.get("/admin/")
    assert '<html lang="fr"' in french.content.decode()
    assert "Langue du back-office" in french.content.decode()
    response = staff_client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    english = staff_client.get("/admin/").content.decode()
    assert '<html lang="en"' in english
    assert "Language of the back-office" in english
    form = staff_client.get(f"/admin/laboratories/lab/{own_lab.pk}/change/").content.decode()
    assert "Institutes and partners" in form


def test_the_admin_has_bilingual_fields_in_tabs(staff_client, own_lab):
    response = staff_client.get(f"/admin/laboratories/lab/{own_lab.pk}/change/")
    page = response.content.decode()
    data = change_form(staff_client, f"/admin/laboratories/lab/{own_lab.pk}/change/", "lab")
    assert {"name_fr", "name_en", "summary_fr", "summary_en"} <= set(data)
    assert "name" not in data
    assert "modeltranslation/js/tabbed_translation_fields.js" in page
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in page  # served by the portal
    assert "://code.jquery.com" not in page


def test_a_large_unfiltered_list_is_counted_from_the_statistics(
    staff_client, insis, monkeypatch, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from backoffice.admin_mixins import LargeTablePaginator

    for _ in range(3):
        LabFactory(lead_institute=insis)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE laboratories_lab")
    monkeypatch.setattr(LargeTablePaginator, "EXACT_BELOW", 1)  # as if the table were large
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get("/admin/laboratories/lab/")
    assert response.context["cl"].result_count == 3
    assert not any("COUNT(" in query["sql"] for query in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get("/admin/laboratories/lab/?missing=en")
    assert any("COUNT(" in query["sql"] for query in queries.captured_queries)


def test_the_row_checkbox_selects_the_entry(staff_client, insis):
    lab = LabFactory(lead_institute=insis)
    page = staff_client.get("/admin/laboratories/lab/").content.decode()
    assert f'name="_selected_action" value="{lab.pk}" class="action-select"' in page
