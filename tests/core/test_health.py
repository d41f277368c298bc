"""/healthz says the process answers, /readyz that the database does too.

What they answer while the database is down is in test_database_unavailable.py.
"""

import pytest
from django.test import Client


def test_healthz_answers_without_any_database_access():
    # No database access is allowed here: a query, or even a connection, would fail the test.
    response = Client(raise_request_exception=True).get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_answers_when_the_database_does(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]
