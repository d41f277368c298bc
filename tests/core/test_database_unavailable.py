"""/healthz, /readyz, and what visitors get while the database is unreachable.

The outage is real: the live server's database stops accepting connections
(``ALLOW_CONNECTIONS false``) and every session on it but the test's own is cut. Then it
accepts them again, and the portal must answer normally without being restarted.
"""

import urllib.error
import urllib.request
from contextlib import contextmanager

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from psycopg import sql

from tests.factories import LabFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def fetch(url: str):
    """(status, headers, body) of a GET, error statuses included."""
    request = urllib.request.Request(url, headers={"Accept-Language": "fr"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def maintenance_connection():
    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    return psycopg.connect(autocommit=True, **params)


@contextmanager
def database_unreachable():
    """The test database refuses new connections and loses its open ones (but ours)."""
    name = connection.settings_dict["NAME"]
    own_pid = connection.cursor().connection.info.backend_pid
    with maintenance_connection() as admin:
        admin.execute(
            sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS false").format(sql.Identifier(name))
        )
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> %s AND pid <> pg_backend_pid()",
            [name, own_pid],
        )
        try:
            yield
        finally:
            admin.execute(
                sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS true").format(
                    sql.Identifier(name)
                )
            )


def test_pages_answer_503_while_the_database_is_down_and_recover_by_themselves(live_server):
    lab = LabFactory(slug="cintra", name_fr="Cintra")
    pages = ["/fr/", "/en/labs/", f"/fr/laboratoires/{lab.slug}/", "/admin/login/"]
    for path in pages:
        assert fetch(live_server.url + path)[0] == 200, path

    with database_unreachable():
        for path in pages:
            status, headers, body = fetch(live_server.url + path)
            assert status == 503, path
            assert headers["Retry-After"] == "30"
            assert "no-store" in headers["Cache-Control"]
            assert "La base de données du portail ne répond pas" in body
            assert "The portal's database is not answering" in body
            assert "Traceback" not in body
        status, headers, _body = fetch(live_server.url + "/readyz")
        assert status == 503
        assert headers["Retry-After"] == "30"
        assert fetch(live_server.url + "/healthz")[0] == 200

    for path in pages:
        assert fetch(live_server.url + path)[0] == 200, path
    assert fetch(live_server.url + "/readyz")[0] == 200
    status, _headers, body = fetch(live_server.url + f"/fr/laboratoires/{lab.slug}/")
    assert "Cintra" in body


def test_a_persistent_connection_cut_by_the_server_is_replaced_before_the_next_page():
    """A worker keeps its connection between requests (CONN_MAX_AGE); when the server drops
    it (a restart, a failover), the next request gets a new one instead of an error."""
    LabFactory(slug="cintra")
    handler = WSGIHandler()
    factory = RequestFactory()

    def get(path):
        statuses = []
        handler(factory.get(path).environ, lambda status, headers: statuses.append(status))
        return statuses[0]

    assert get("/fr/laboratoires/cintra/") == "200 OK"
    pid = connection.connection.info.backend_pid
    with maintenance_connection() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])

    assert get("/fr/laboratoires/cintra/") == "200 OK"
    assert connection.connection.info.backend_pid != pid
