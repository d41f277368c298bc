"""“Report an error” on the public entry pages: the form, its protections, the review queue."""

import pytest
from django.core.cache import cache

from backoffice.models import ErrorReport
from pages import reports
from tests.factories import LabFactory, OfficeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def lab(db):
    return LabFactory(name_fr="Robotique à Tokyo", name_en="Robotics in Tokyo", slug="robotics")


def test_every_entry_page_links_to_the_form(client, lab):
    office = OfficeFactory()
    page = client.get("/en/labs/robotics/").content.decode()
    assert f'href="/en/report-an-error/lab/{lab.pk}/"' in page
    assert "Report an error" in page
    page = client.get(office.get_absolute_url()).content.decode()
    assert "report-an-error/office/" in page or "signaler-une-erreur/office/" in page


def test_a_report_goes_to_the_review_queue(client, lab, django_assert_max_num_queries):
    url = f"/fr/signaler-une-erreur/lab/{lab.pk}/"
    with django_assert_max_num_queries(6):
        page = client.get(url)
    assert page.status_code == 200
    assert "Signaler une erreur" in page.content.decode()
    response = client.post(
        url, {"text": "Le directeur a changé en 2026.", "email": "a@example.org", "website": ""}
    )
    assert response.status_code == 302
    assert "Merci" in client.get(response["Location"]).content.decode()
    report = ErrorReport.objects.get()
    assert report.entry == lab
    assert report.text == "Le directeur a changé en 2026."
    assert report.language == "fr"
    assert report.page_url == "/fr/laboratoires/robotics/"
    assert report.status == ErrorReport.Status.OPEN


def test_a_refused_form_keeps_the_text(client, lab):
    url = f"/en/report-an-error/lab/{lab.pk}/"
    response = client.post(url, {"text": "The city is wrong.", "email": "not an address"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The city is wrong." in page
    assert "not an address" in page
    assert "Enter a valid email address." in page
    assert not ErrorReport.objects.exists()


def test_the_honeypot_keeps_nothing(client, lab):
    url = f"/en/report-an-error/lab/{lab.pk}/"
    response = client.post(url, {"text": "Buy now", "website": "http://spam.example"})
    assert response.status_code == 302
    assert not ErrorReport.objects.exists()


def test_the_rate_limit_per_address_keeps_the_text(client, lab):
    url = f"/en/report-an-error/lab/{lab.pk}/"
    for n in range(reports.REPORTS_PER_ADDRESS):
        assert client.post(url, {"text": f"Report number {n}"}).status_code == 302
    response = client.post(url, {"text": "One report too many"})
    assert response.status_code == 429
    assert "One report too many" in response.content.decode()
    assert "try again in an hour" in response.content.decode()
    assert ErrorReport.objects.count() == reports.REPORTS_PER_ADDRESS
    # Another address is not held back.
    other = client.post(url, {"text": "From elsewhere"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_csrf_is_required(lab):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/en/report-an-error/lab/{lab.pk}/", {"text": "No token here"})
    assert response.status_code == 403
    assert not ErrorReport.objects.exists()


def test_an_unpublished_or_unknown_entry_has_no_form(client):
    hidden = LabFactory(is_published=False)
    assert client.get(f"/en/report-an-error/lab/{hidden.pk}/").status_code == 404
    assert client.get(f"/en/report-an-error/user/{hidden.pk}/").status_code == 404
