"""One log line per request with its id, user, path, status and duration; JSON in production."""

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_security_headers import PRODUCTION_ENV
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def request_lines(caplog):
    caplog.set_level(logging.INFO, logger="portal.request")

    def lines():
        return [r for r in caplog.records if r.name == "portal.request"]

    return lines


@pytest.mark.django_db
def test_each_request_logs_one_line_with_its_id_status_and_duration(client, request_lines):
    response = client.get("/en/no-such-page/")

    (line,) = request_lines()
    assert (line.method, line.path, line.status, line.user_id) == (
        "GET",
        "/en/no-such-page/",
        404,
        None,
    )
    assert line.duration_ms >= 0
    assert line.request_id == response["X-Request-ID"]
    assert len(line.request_id) == 32


@pytest.mark.django_db
def test_the_proxy_request_id_is_kept_and_a_malformed_one_replaced(client, request_lines):
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="3f2a9c0d1b7e4a56")
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="<script>\nforged line")

    assert kept["X-Request-ID"] == "3f2a9c0d1b7e4a56"
    assert replaced["X-Request-ID"] != "<script>\nforged line"
    assert [line.request_id for line in request_lines()] == [
        "3f2a9c0d1b7e4a56",
        replaced["X-Request-ID"],
    ]


@pytest.mark.django_db
def test_a_signed_in_users_id_is_logged(client, request_lines):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)

    client.get("/admin/")

    assert request_lines()[-1].user_id == user.pk


PRODUCTION_LOG = """
import django
django.setup()
from django.test import Client
Client(HTTP_HOST="intl.example.org").get("/healthz", secure=True, HTTP_X_REQUEST_ID="req-42")
"""


def test_production_logs_json_lines_on_stdout():
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_LOG],
        cwd=ROOT,
        env={
            **{k: v for k, v in __import__("os").environ.items() if not k.startswith("DJANGO_")},
            **env,
            "DJANGO_SETTINGS_MODULE": "cnrs_intl.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    (line,) = [json.loads(text) for text in result.stdout.splitlines()]
    assert line["logger"] == "portal.request"
    assert line["level"] == "INFO"
    assert (line["request_id"], line["path"], line["status"]) == ("req-42", "/healthz", 200)
    assert line["user_id"] is None and line["duration_ms"] >= 0
