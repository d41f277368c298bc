"""The public page cache: what it keeps, and that no worker ever serves a stale page.

The first half runs in this process with the test client. The second starts two separate
gunicorn processes on the test database, sharing the cache as production workers do, and
changes content from this (third) process.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest
import tablib
from django.conf.urls.i18n import i18n_patterns
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import path
from import_export.resources import modelresource_factory

from core.models import ContentChange
from demo.generation import generate_labs
from laboratories.models import Lab
from pages.cache import PRUNE_EVERY, STATUS_HEADER, PublicPageCacheMiddleware, public_page, store
from tests.core.databases import own_database_url
from tests.factories import LabFactory

# Cached pages are kept only under a settled content version: one no transaction running on
# the server may still change.
pytestmark = pytest.mark.serial

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def page_cache(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600


def status(response):
    return response.headers.get(STATUS_HEADER)


# In this process ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_visit_is_served_from_the_cache_without_rendering(
    client, page_cache, django_assert_max_num_queries
):
    LabFactory(name_fr="Laboratoire de robotique")
    first = client.get("/fr/laboratoires/")
    # One statement: the content version and the page kept under it.
    with django_assert_max_num_queries(1):
        second = client.get("/fr/laboratoires/")

    assert (status(first), status(second)) == ("miss", "hit")
    assert status(client.head("/fr/laboratoires/")) == "hit"
    assert second.content == first.content
    assert "Laboratoire de robotique" in second.content.decode()
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == "fr"


@pytest.mark.django_db
def test_a_page_from_the_cache_carries_the_headers_of_a_rendered_one(client, page_cache):
    LabFactory(name_fr="Laboratoire de robotique")
    rendered = client.get("/fr/laboratoires/")
    cached = client.get("/fr/laboratoires/")

    assert status(cached) == "hit"
    assert set(cached.headers) == set(rendered.headers)
    for name, value in rendered.headers.items():
        if name not in ("Content-Security-Policy", STATUS_HEADER, "X-Request-ID"):
            assert cached[name] == value, name
    policy = cached.headers.get("Content-Security-Policy", "")
    if "'nonce-" in policy:  # scripts by nonce: the page and its policy agree
        nonce = policy.split("'nonce-")[1].split("'")[0]
        assert f'nonce="{nonce}"' in cached.content.decode()
    assert cached["X-Request-ID"] != rendered["X-Request-ID"]  # each request its own


@pytest.mark.django_db
def test_each_language_and_query_string_has_its_own_entry(client, page_cache):
    LabFactory(name_fr="Laboratoire de robotique", name_en="Robotics laboratory")
    LabFactory(name_fr="Mathématiques à Rio", name_en="Mathematics in Rio", countries=["BR"])

    japan_fr = client.get("/fr/laboratoires/?country=JP")
    brazil_fr = client.get("/fr/laboratoires/?country=BR")
    japan_en = client.get("/en/labs/?country=JP")

    assert [status(r) for r in (japan_fr, brazil_fr, japan_en)] == ["miss"] * 3
    assert "Laboratoire de robotique" in japan_fr.content.decode()
    assert "Mathématiques à Rio" in brazil_fr.content.decode()
    assert "Mathématiques à Rio" not in japan_fr.content.decode()
    assert "Robotics laboratory" in japan_en.content.decode()
    assert status(client.get("/en/labs/?country=JP")) == "hit"


@pytest.mark.django_db
def test_a_signed_in_user_neither_reads_nor_fills_the_cache(client, page_cache, staff_user):
    LabFactory(name_fr="Laboratoire de robotique")
    anonymous = client.get("/fr/laboratoires/")
    client.force_login(staff_user)

    signed_in = client.get("/fr/laboratoires/")
    client.logout()

    assert status(anonymous) == "miss"
    assert status(signed_in) is None
    assert status(client.get("/fr/laboratoires/")) == "hit"


@pytest.mark.django_db
def test_missing_pages_posts_and_the_admin_are_not_cached(client, page_cache, staff_user):
    for _ in range(2):
        assert status(client.get("/fr/laboratoires/no-such-lab/")) is None
        assert status(client.head("/fr/laboratoires/no-such-lab/")) is None
        assert status(client.post("/fr/laboratoires/")) is None
        assert status(client.get("/healthz")) is None
    client.force_login(staff_user)
    assert status(client.get("/admin/laboratories/lab/")) is None


@public_page()
def sets_cookie(request):
    response = HttpResponse("mine")
    response.set_cookie("csrftoken", "secret")
    return response


@public_page()
def private(request):
    return HttpResponse("mine", headers={"Cache-Control": "private"})


@public_page()
def varies_on_cookie(request):
    return HttpResponse("mine", headers={"Vary": "Cookie"})


@public_page()
def with_a_script(request):
    request._csp_nonce = "c2FtZS1ub25jZS1ldmVyeS10aW1l"
    return HttpResponse(
        f'<script nonce="{request._csp_nonce}">go()</script>',
        headers={"Content-Security-Policy": f"script-src 'nonce-{request._csp_nonce}'"},
    )


@public_page("q")
def echo(request):
    return HttpResponse(f"q={request.GET.get('q', '')}")


def undeclared(request):
    return HttpResponse("a page that says nothing of its parameters")


urlpatterns = i18n_patterns(
    *(
        path(f"{view.__name__}/", view)
        for view in (sets_cookie, private, varies_on_cookie, with_a_script, echo, undeclared)
    ),
    prefix_default_language=True,
)


def through_the_middleware(view, url):
    request = RequestFactory().get(url)
    request.urlconf = __name__
    return PublicPageCacheMiddleware(view)(request)


@pytest.mark.django_db
def test_a_response_that_sets_a_cookie_or_is_private_is_not_kept(page_cache):
    for view in (sets_cookie, private, varies_on_cookie):
        for _ in range(2):
            response = through_the_middleware(view, f"/fr/{view.__name__}/")
            assert response.content == b"mine"
            assert status(response) is None
            assert "public" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_a_view_that_does_not_declare_its_parameters_is_never_kept(page_cache):
    for _ in range(2):
        assert status(through_the_middleware(undeclared, "/fr/undeclared/")) is None


def public_views(patterns, prefix=""):
    """(route, view) of every page under the language prefixes, admin and tools aside."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            if "admin" not in route and "i18n" not in route:
                yield from public_views(pattern.url_patterns, route)
        else:
            yield route, pattern.callback


def test_every_public_page_declares_what_it_reads_from_the_query_string():
    """A page that declares nothing is never cached: each public view says which query
    parameters it reads (maybe none)."""
    from django.urls import get_resolver

    from pages.cache import declared_parameters

    pages = [
        (route, view)
        for route, view in public_views(get_resolver().url_patterns)
        if route.startswith(("fr/", "en/"))
    ]
    assert len(pages) >= 10
    assert [route for route, view in pages if declared_parameters(view) is None] == []


@pytest.mark.django_db
def test_only_the_parameters_a_page_understands_make_its_key(page_cache):
    first = through_the_middleware(echo, "/fr/echo/?q=tokyo&utm_source=newsletter")
    reordered = through_the_middleware(echo, "/fr/echo/?utm_campaign=x&q=tokyo")
    other = through_the_middleware(echo, "/fr/echo/?q=kyoto")

    assert (status(first), status(reordered), status(other)) == ("miss", "hit", "miss")
    assert reordered.content == b"q=tokyo"
    assert other.content == b"q=kyoto"


@pytest.mark.django_db
def test_public_pages_may_be_kept_by_a_shared_proxy(client, settings):
    settings.PORTAL_PROXY_CACHE_SECONDS = 120
    LabFactory(name_fr="Laboratoire de robotique")

    for url in ("/fr/laboratoires/", "/en/labs/?country=jp"):
        directives = {d.strip() for d in client.get(url)["Cache-Control"].split(",") if d.strip()}
        assert directives == {"public", "max-age=0", "s-maxage=120"}


@pytest.mark.django_db
def test_a_csp_nonce_is_fresh_on_every_hit_in_the_page_and_its_header(page_cache):
    nonces = set()
    for _ in range(3):
        response = through_the_middleware(with_a_script, "/fr/with_a_script/")
        nonce = response["Content-Security-Policy"].split("'nonce-")[1].rstrip("'")
        assert f'<script nonce="{nonce}">' in response.content.decode()
        nonces.add(nonce)
    assert status(response) == "hit"
    assert len(nonces) == 3


@pytest.mark.django_db
def test_an_unreachable_cache_leaves_the_pages_served(client, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    LabFactory(name_fr="Laboratoire de robotique")

    response = client.get("/fr/laboratoires/")

    assert response.status_code == 200
    assert "Laboratoire de robotique" in response.content.decode()


def served_by_a_worker(path: str) -> tuple[str, dict]:
    """A request as a worker serves it (its persistent connection checked at the start of
    each request, as in production): the status line and the headers."""
    answer = {}

    def start_response(status_line, headers):
        answer.update(status=status_line, headers=dict(headers))

    WSGIHandler()(RequestFactory().get(path).environ, start_response)
    return answer["status"], answer["headers"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_hit_on_a_kept_connection_is_one_round_trip(page_cache, monkeypatch):
    """No separate health check (``SELECT 1``) before the lookup: the lookup is the check."""
    LabFactory(name_fr="Laboratoire de robotique")
    served_by_a_worker("/fr/laboratoires/")
    served_by_a_worker("/fr/laboratoires/")  # the connection is now kept between requests
    checks = []
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or True)

    with CaptureQueriesContext(connection) as statements:
        status_line, headers = served_by_a_worker("/fr/laboratoires/")

    assert (status_line, headers[STATUS_HEADER]) == ("200 OK", "hit")
    assert [query["sql"].split()[:2] for query in statements] == [["SELECT", "latest.number,"]]
    assert checks == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_dropped_by_the_server_is_replaced_by_the_lookup(page_cache):
    LabFactory(name_fr="Laboratoire de robotique")
    served_by_a_worker("/fr/laboratoires/")
    pid = connection.connection.info.backend_pid
    with psycopg.connect(own_database_url(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])

    status_line, headers = served_by_a_worker("/fr/laboratoires/")

    assert status_line == "200 OK"
    assert headers[STATUS_HEADER] == "hit"
    assert connection.connection.info.backend_pid != pid


@pytest.mark.django_db
def test_a_new_release_never_serves_the_pages_of_the_one_before(client, page_cache, settings):
    from core.release import release

    LabFactory(name_fr="Laboratoire de robotique")
    try:
        settings.PORTAL_RELEASE = "2026.12.1"
        release.cache_clear()
        client.get("/fr/laboratoires/")
        assert status(client.get("/fr/laboratoires/")) == "hit"
        settings.PORTAL_RELEASE = "2026.12.2"
        release.cache_clear()
        assert status(client.get("/fr/laboratoires/")) == "miss"
    finally:
        release.cache_clear()


def test_without_a_named_release_the_code_names_it():
    from core.release import release

    release.cache_clear()
    assert len(release()) == 16 and release() == release()


def kept_pages():
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, version FROM pages_cachedpage ORDER BY key")
        return dict(cursor.fetchall())


def key_ending(suffix: str, n: int) -> str:
    return f"{n:062x}"[-(64 - len(suffix)) :] + suffix


@pytest.mark.django_db
def test_an_expired_page_is_rendered_again(page_cache):
    through_the_middleware(echo, "/fr/echo/?q=tokyo")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE pages_cachedpage SET expires = now() - interval '1 second'")

    assert status(through_the_middleware(echo, "/fr/echo/?q=tokyo")) == "miss"


@pytest.mark.django_db
def test_a_page_of_an_older_version_never_replaces_a_newer_one(page_cache):
    response = HttpResponse("new")
    store("a" * 64, 20, RequestFactory().get("/fr/"), response)
    store("a" * 64, 10, RequestFactory().get("/fr/"), HttpResponse("old"))

    assert kept_pages() == {"a" * 64: 20}


@pytest.mark.django_db
def test_the_cache_keeps_a_bounded_number_of_pages_of_the_current_version(page_cache, settings):
    settings.PORTAL_PAGE_CACHE_MAX_ENTRIES = 3
    request = RequestFactory().get("/fr/")
    stale = [key_ending("01", n) for n in range(2)]
    current = [key_ending("02", n) for n in range(5)]
    for key in stale:
        store(key, 7, request, HttpResponse("stale"))
    for key in current:
        store(key, 8, request, HttpResponse("current"))
    assert len(kept_pages()) == 7  # no store so far was one that prunes

    # One store in PRUNE_EVERY (by its key) prunes: pages of older versions, then the
    # surplus, the pages closest to expiring first.
    pruning = key_ending("00", 1)
    assert int(pruning[-2:], 16) % PRUNE_EVERY == 0
    store(pruning, 8, request, HttpResponse("current"))

    kept = kept_pages()
    assert len(kept) == 3
    assert set(kept.values()) == {8}


def make_edit(lab):
    lab.name_fr = "Nouveau nom du laboratoire"
    lab.save()
    return "Nouveau nom du laboratoire"


def make_bulk_edit(lab):
    Lab.objects.filter(pk=lab.pk).update(name_fr="Nom changé en masse")
    return "Nom changé en masse"


def make_delete(lab):
    name = lab.name_fr
    LabFactory(name_fr="Laboratoire qui reste")
    lab.delete()
    return ("Laboratoire qui reste", name)


def make_country_change(lab):
    name = lab.name_fr
    LabFactory(name_fr="Laboratoire voisin")
    lab.countries.set(["BR"])
    return ("Laboratoire voisin", name)


def make_import(lab, bulk=False):
    resource_class = modelresource_factory(Lab, meta_options={"fields": ("id", "name_fr")})
    resource_class._meta.use_bulk = bulk
    dataset = tablib.Dataset(headers=["id", "name_fr"])
    dataset.append([lab.pk, "Nom importé"])
    result = resource_class().import_data(dataset, raise_errors=True)
    assert not result.has_errors()
    return "Nom importé"


def make_bulk_import(lab):
    return make_import(lab, bulk=True)


def make_psql_update(lab):
    """A write from outside the portal's code, as an operator's psql session would."""
    with psycopg.connect(own_database_url(), autocommit=True) as other:
        other.execute(
            "UPDATE laboratories_lab SET name_fr = %s WHERE id = %s",
            ["Nom changé par psql", lab.pk],
        )
    return "Nom changé par psql"


def make_generation(lab):
    generate_labs(count=3, seed=4)
    return Lab.objects.published().exclude(pk=lab.pk).order_by("pk").first().name_fr


# The page each change shows on: the Japanese labs, or the whole list for new entries.
make_generation.url = "/fr/laboratoires/"


CHANGES = [
    make_edit,
    make_bulk_edit,
    make_psql_update,
    make_delete,
    make_country_change,
    make_import,
    make_bulk_import,
    make_generation,
]


def expected(outcome):
    """(a name the page must show, a name it must no longer show or None)."""
    return outcome if isinstance(outcome, tuple) else (outcome, None)


# Committed for real: the content version changes when the change's transaction commits.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_a_change_shows_at_once_on_a_cached_page(client, page_cache, change):
    lab = LabFactory(name_fr="Laboratoire initial")
    url = getattr(change, "url", "/fr/laboratoires/?country=JP")
    client.get(url)
    assert status(client.get(url)) == "hit"

    shown, gone = expected(change(lab))

    page = client.get(url)
    assert status(page) == "miss"
    assert shown in page.content.decode()
    if gone:
        assert gone not in page.content.decode()


@pytest.mark.django_db
def test_one_transaction_writing_many_rows_records_one_change():
    before = ContentChange.objects.count()
    labs = [LabFactory() for _ in range(3)]
    Lab.objects.filter(pk__in=[lab.pk for lab in labs]).update(headcount=4)
    assert ContentChange.objects.count() == before + 1


# Several workers ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_url() -> str | None:
    """A Redis server to test with, or None when none answers."""
    import redis

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return None
    return url


class Worker:
    """A gunicorn process serving the portal on the test database."""

    def __init__(self, env: dict[str, str]):
        self.port = free_port()
        env = {**os.environ, "PORTAL_PAGE_CACHE_SECONDS": "600", **env}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "cnrs_intl.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def get(self, path: str):
        # One host name for all workers, as behind the production proxy.
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", headers={"Host": "localhost"}
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.headers.get(STATUS_HEADER), answer.read().decode()

    def wait(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.process.stderr.read().decode())
            try:
                self.get("/healthz")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within a minute")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@contextlib.contextmanager
def two_workers(env: dict[str, str]):
    """Two gunicorn processes started with ``env``, answering, stopped afterwards."""
    workers = [Worker(env), Worker(env)]
    try:
        for worker in workers:
            worker.wait()
        yield workers
    finally:
        for worker in workers:
            worker.stop()


@pytest.fixture(scope="module", params=["postgresql", "redis"])
def shared_cache(request, django_db_setup, django_db_blocker):
    """Two separate server processes and the cache they share with this process.

    PostgreSQL's cache table is transactional, Redis is not: both must serve only pages of
    the committed content.
    """
    with django_db_blocker.unblock():
        env = {"DATABASE_URL": own_database_url(), "REDIS_URL": ""}
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        }
    }
    if request.param == "redis":
        url = redis_url()
        if url is None:
            pytest.skip("no Redis server answers")
        # A prefix of its own, so that other users of the same Redis do not interfere.
        prefix = f"test-{os.getpid()}-{time.monotonic_ns()}"
        env.update(REDIS_URL=url, PORTAL_CACHE_PREFIX=prefix)
        caches = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": prefix,
            }
        }
    with two_workers(env) as workers:
        yield caches, workers


@pytest.fixture
def workers(shared_cache, settings):
    caches, workers = shared_cache
    settings.CACHES = caches
    return workers


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "change",
    [make_edit, make_bulk_edit, make_psql_update, make_delete, make_import, make_bulk_import],
    ids=lambda change: change.__name__,
)
def test_no_worker_serves_a_stale_page_after_a_change(workers, change):
    first, second = workers
    lab = LabFactory(name_fr="Laboratoire initial")
    url = "/fr/laboratoires/?country=JP"
    first.get(url)
    # The page the first process stored is what the second one serves.
    cache_status, page = second.get(url)
    assert cache_status == "hit"
    assert "Laboratoire initial" in page

    shown, gone = expected(change(lab))

    for worker in (second, first):
        cache_status, page = worker.get(url)
        assert shown in page
        assert (gone or "Laboratoire initial") not in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_page_rendered_before_the_commit_is_not_kept_after_it(workers):
    first, second = workers
    lab = LabFactory(name_fr="Laboratoire initial")
    url = f"/fr/laboratoires/{lab.slug}/"

    with transaction.atomic():
        lab.name_fr = "Nom validé"
        lab.save()
        # Another worker renders the page meanwhile: it cannot see the change yet.
        _status, page = first.get(url)
        assert "Laboratoire initial" in page

    for worker in (second, first):
        _status, page = worker.get(url)
        assert "Nom validé" in page
        assert "Laboratoire initial" not in page


# Counts kept in the shared cache, page cache off -------------------------------------------


@pytest.fixture(scope="module")
def uncached_workers(django_db_setup, django_db_blocker):
    """Two server processes with the page cache off: the lists are counted in PostgreSQL
    and the unfiltered counts kept in the shared cache under the content version."""
    with django_db_blocker.unblock():
        env = {
            "DATABASE_URL": own_database_url(),
            "REDIS_URL": "",
            "PORTAL_PAGE_CACHE_SECONDS": "0",
        }
    with two_workers(env) as workers:
        yield workers


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "change",
    [make_bulk_edit, make_delete, make_country_change, make_bulk_import, make_generation],
    ids=lambda change: change.__name__,
)
def test_no_worker_answers_from_counts_older_than_the_data(uncached_workers, change):
    lab = LabFactory(name_fr="Laboratoire initial")
    url = getattr(change, "url", "/fr/laboratoires/?country=JP")
    for worker in uncached_workers:
        cache_status, page = worker.get(url)
        assert cache_status is None
        assert "Laboratoire initial" in page

    shown, gone = expected(change(lab))
    # What the page must no longer show: the lab gone, or its former name (new entries
    # leave it on the page).
    stale = gone or (None if change is make_generation else "Laboratoire initial")

    for worker in uncached_workers:
        _status, page = worker.get(url)
        assert shown in page
        assert stale is None or stale not in page
