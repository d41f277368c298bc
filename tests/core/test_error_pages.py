"""400, 403, 404 and 500 in both languages, with nothing of the code on them."""

import pytest
from django.db import OperationalError
from django.test import Client

from tests.factories import LabFactory

# What a page must never show: a trace, a path, a setting or the framework's own words.
CODE_TRACES = [
    "Traceback",
    ".py",
    "django",
    "Django",
    "Exception",
    "Error:",
    "secret detail",
    "URLconf",
    "DEBUG",
    "csrf_failure",
    "CSRF",
]


def assert_no_trace_of_code(html: str):
    for trace in CODE_TRACES:
        assert trace not in html, trace


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "lang", "text"),
    [
        ("/fr/page-inexistante/", "fr", "Page introuvable"),
        ("/en/no-such-page/", "en", "Page not found"),
        ("/fr/laboratoires/inconnu/", "fr", "Page introuvable"),
        ("/en/labs/unknown/", "en", "Page not found"),
    ],
)
def test_not_found(client, path, lang, text):
    LabFactory()
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{lang}">' in html
    assert text in html
    assert_no_trace_of_code(html)


@pytest.mark.parametrize(
    ("path", "lang", "text"),
    [("/fr/", "fr", "Requête incomprise"), ("/en/", "en", "Request not understood")],
)
def test_bad_request(client, path, lang, text):
    # A Host header the portal does not serve is a bad request, answered without the database.
    response = client.get(path, HTTP_HOST="attacker.example")
    html = response.content.decode()
    assert response.status_code == 400
    assert f'<html lang="{lang}">' in html
    assert text in html
    assert_no_trace_of_code(html)


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "text"), [("fr", "Accès refusé"), ("en", "Access refused")])
def test_access_refused_in_the_admin(client, referent_user, language, text):
    client.force_login(referent_user)
    client.cookies["django_language"] = language
    response = client.get("/admin/instruments/instrument/")
    html = response.content.decode()
    assert response.status_code == 403
    assert f'<html lang="{language}">' in html
    assert text in html
    assert_no_trace_of_code(html)


@pytest.mark.django_db
def test_a_form_posted_without_its_csrf_token_gets_the_403_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Accès refusé" in html
    assert_no_trace_of_code(html)


@pytest.mark.urls("tests.core.urls_failing")
@pytest.mark.parametrize(
    ("path", "lang", "text"),
    [
        ("/fr/broken/", "fr", "Retour à la page d’accueil"),
        ("/en/broken/", "en", "Back to the home page"),
    ],
)
def test_server_error_renders_without_the_database(path, lang, text):
    # No database access is allowed in this test: the page must not need one.
    client = Client(raise_request_exception=False)
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{lang}">' in html
    assert text in html
    assert_no_trace_of_code(html)


@pytest.mark.django_db
@pytest.mark.urls("tests.core.urls_failing")
def test_a_database_error_in_a_view_is_a_503_not_a_500():
    client = Client(raise_request_exception=False)
    response = client.get("/en/database-gone/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert_no_trace_of_code(response.content.decode())


class DatabaseGoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("server closed the connection unexpectedly")


def test_a_database_error_outside_the_views_is_a_503_too(settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:-1],
        "tests.core.test_error_pages.DatabaseGoneMiddleware",
        settings.MIDDLEWARE[-1],
    ]
    client = Client(raise_request_exception=False)
    response = client.get("/fr/")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "La base de données du portail ne répond pas" in html
    assert "The portal's database is not answering" in html
    assert_no_trace_of_code(html)
