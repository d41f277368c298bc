"""Security headers on every kind of response, and the production settings."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.http import HttpResponse
from django.template import engines

from core.middleware import ContentSecurityPolicyMiddleware
from tests.core.databases import database_url
from tests.factories import LabFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-production-like-secret-key-3f9a1c7e5b2d8046e1a9c3b7d5f20486a1e3c9b7",
    "DJANGO_ALLOWED_HOSTS": "intl.example.org",
}


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def lab(db):
    return LabFactory(slug="cintra")


PUBLIC_RESPONSES = [
    ("/fr/", 200),
    ("/en/labs/", 200),
    ("/fr/laboratoires/cintra/", 200),
    ("/fr/accessibilite/", 200),
    ("/en/no-such-page/", 404),
    ("/healthz", 200),
    ("/readyz", 200),
    ("/", 302),
]


@pytest.mark.parametrize(("path", "status"), PUBLIC_RESPONSES)
def test_every_public_response_carries_the_security_headers(client, lab, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    features = dict(part.strip().split("=") for part in response["Permissions-Policy"].split(","))
    for feature in ("camera", "geolocation", "microphone", "payment", "usb", "browsing-topics"):
        assert features[feature] == "()"


def test_public_pages_allow_no_inline_script_or_style_without_the_nonce(client, lab):
    policy = directives(client.get("/fr/"))
    assert policy["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]


def test_a_page_using_the_nonce_gets_it_in_its_header_fresh_each_time(rf):
    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}"></script>')
    middleware = ContentSecurityPolicyMiddleware(
        lambda request: HttpResponse(template.render({}, request))
    )
    nonces = []
    for _ in range(2):
        response = middleware(rf.get("/fr/"))
        nonce = response.content.decode().split('nonce="')[1].split('"')[0]
        assert directives(response)["script-src"] == ["'self'", f"'nonce-{nonce}'"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


@pytest.mark.django_db
def test_admin_has_its_own_policy_still_closed_to_other_hosts(client):
    client.force_login(UserFactory(is_superuser=True))
    for path in ("/admin/login/", "/admin/", "/admin/laboratories/lab/add/"):
        response = client.get(path, follow=True)
        policy = directives(response)
        assert "'unsafe-inline'" in policy["script-src"], path
        assert not [source for source in policy["script-src"] if "nonce" in source]
        assert policy["default-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert response["X-Frame-Options"] == "DENY"


def run_with_production_settings(code: str, database_url: str | None = None):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="cnrs_intl.settings")
    if database_url:
        environment["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    result = run_with_production_settings(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


PRODUCTION_RESPONSES = """
import json
import django
django.setup()
from django.test import Client

client = Client(HTTP_HOST="intl.example.org")
insecure = client.get("/healthz")
secure = client.get("/healthz", secure=True)
language = client.post("/i18n/setlang/", {"language": "en", "next": "/en/"}, secure=True)
cookie = language.cookies["django_language"]
from django.conf import settings
print(json.dumps({
    "insecure_status": insecure.status_code,
    "insecure_location": insecure.get("Location"),
    "hsts": secure.get("Strict-Transport-Security"),
    "csp": secure.get("Content-Security-Policy"),
    "language_cookie": {
        "secure": bool(cookie["secure"]),
        "httponly": bool(cookie["httponly"]),
        "samesite": cookie["samesite"],
    },
    "session_cookie": [settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY,
                       settings.SESSION_COOKIE_SAMESITE],
    "csrf_cookie": [settings.CSRF_COOKIE_SECURE, settings.CSRF_COOKIE_HTTPONLY,
                    settings.CSRF_COOKIE_SAMESITE],
}))
"""


@pytest.mark.django_db
def test_production_answers_over_https_only_with_hsts_and_secure_cookies():
    # The language switch opens a transaction (ATOMIC_REQUESTS): give it the test database.
    test_database = database_url(connection.settings_dict["NAME"])
    result = run_with_production_settings(PRODUCTION_RESPONSES, test_database)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["insecure_status"] == 301
    assert answer["insecure_location"] == "https://intl.example.org/healthz"
    assert answer["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'self'" in answer["csp"]
    assert answer["language_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert answer["session_cookie"] == [True, True, "Lax"]
    assert answer["csrf_cookie"] == [True, True, "Lax"]
