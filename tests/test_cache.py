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

import pytest
import tablib
from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from import_export.resources import modelresource_factory

from cnrs_intl.cache import (
    STATUS_HEADER,
    PublicPageCacheMiddleware,
    _watch_writes,
    invalidate_public_pages,
    writes_content,
)
from laboratories.generation import generate_labs
from laboratories.models import Lab
from tests.factories import LabFactory

ROOT = Path(__file__).resolve().parent.parent


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
    # One query at most: the cache lookup itself when the cache is PostgreSQL's.
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
        if name not in ("Content-Security-Policy", STATUS_HEADER):
            assert cached[name] == value, name
    policy = cached.headers.get("Content-Security-Policy", "")
    if "'nonce-" in policy:  # scripts by nonce: the page and its policy agree
        nonce = policy.split("'nonce-")[1].split("'")[0]
        assert f'nonce="{nonce}"' in cached.content.decode()


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


@pytest.mark.django_db
def test_a_response_that_sets_a_cookie_or_is_private_is_not_kept(page_cache):
    def sets_cookie(request):
        response = HttpResponse("mine")
        response.set_cookie("csrftoken", "secret")
        return response

    def private(request):
        return HttpResponse("mine", headers={"Cache-Control": "private"})

    def varies_on_cookie(request):
        return HttpResponse("mine", headers={"Vary": "Cookie"})

    for view in (sets_cookie, private, varies_on_cookie):
        middleware = PublicPageCacheMiddleware(view)
        for _ in range(2):
            response = middleware(RequestFactory().get(f"/fr/{view.__name__}/"))
            assert status(response) is None


@pytest.mark.django_db
def test_a_csp_nonce_is_fresh_on_every_hit_in_the_page_and_its_header(page_cache):
    def view(request):
        request._csp_nonce = "c2FtZS1ub25jZS1ldmVyeS10aW1l"
        return HttpResponse(
            f'<script nonce="{request._csp_nonce}">go()</script>',
            headers={"Content-Security-Policy": f"script-src 'nonce-{request._csp_nonce}'"},
        )

    middleware = PublicPageCacheMiddleware(view)
    nonces = set()
    for _ in range(3):
        response = middleware(RequestFactory().get("/fr/with-a-script/"))
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


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ('UPDATE "laboratories_lab" SET "is_published" = true', True),
        ('INSERT INTO "laboratories_lab_countries" ("lab_id", "country_id") VALUES', True),
        ('DELETE FROM "offices_office" WHERE "id" IN (1)', True),
        ('INSERT INTO "instruments_historicalinstrument" ("id") VALUES (1)', True),
        ('TRUNCATE "auth_user", "laboratories_lab" CASCADE', True),
        ('WITH scope(id) AS (SELECT 1) UPDATE "laboratories_lab" AS t SET x = 1', True),
        ('WITH scope(id) AS (SELECT 1) SELECT * FROM "laboratories_lab"', False),
        ('SELECT "laboratories_lab"."id" FROM "laboratories_lab"', False),
        ('UPDATE "django_session" SET "expire_date" = now()', False),
        ('INSERT INTO "portal_cache" (cache_key, value, expires) VALUES', False),
    ],
)
def test_writes_to_content_tables_are_recognised(sql, writes):
    assert writes_content(sql) is writes


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


def make_generation(lab):
    generate_labs(count=3, seed=4)
    return Lab.objects.published().exclude(pk=lab.pk).order_by("pk").first().name_fr


# The page each change shows on: the Japanese labs, or the whole list for new entries.
make_generation.url = "/fr/laboratoires/"


CHANGES = [
    make_edit,
    make_bulk_edit,
    make_delete,
    make_country_change,
    make_import,
    make_bulk_import,
    make_generation,
]


def expected(outcome):
    """(a name the page must show, a name it must no longer show or None)."""
    return outcome if isinstance(outcome, tuple) else (outcome, None)


# Committed for real: the generation changes when the change's transaction commits.
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


@pytest.fixture
def signals_only():
    """Without the SQL watch, so that only the model signals can invalidate."""
    connection.ensure_connection()
    connection.execute_wrappers.remove(_watch_writes)
    yield
    connection.execute_wrappers.append(_watch_writes)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "change",
    [make_edit, make_delete, make_country_change, make_import],
    ids=lambda change: change.__name__,
)
def test_the_model_signals_alone_see_saves_deletes_and_relations(
    client, page_cache, signals_only, change
):
    lab = LabFactory(name_fr="Laboratoire initial")
    url = "/fr/laboratoires/?country=JP"
    client.get(url)
    assert status(client.get(url)) == "hit"

    shown, gone = expected(change(lab))

    page = client.get(url).content.decode()
    assert shown in page
    assert (gone or "Laboratoire initial") not in page


@pytest.mark.django_db
def test_one_transaction_writing_many_rows_starts_one_generation(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        labs = [LabFactory() for _ in range(3)]
        Lab.objects.filter(pk__in=[lab.pk for lab in labs]).update(headcount=4)
        invalidate_public_pages()
    assert len(callbacks) == 1


# Several workers ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The portal's database URL, naming the test database instead."""
    parts = urllib.parse.urlsplit(settings.DATABASE_URL)
    return parts._replace(path="/" + connection.settings_dict["NAME"]).geturl()


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

    PostgreSQL's cache table is transactional, Redis is not: the second case checks that
    the generation only changes once the change is committed.
    """
    with django_db_blocker.unblock():
        env = {"DATABASE_URL": database_url(), "REDIS_URL": ""}
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
    [make_edit, make_bulk_edit, make_delete, make_import, make_bulk_import],
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


# The labs index, in each worker (laboratories.index) --------------------------------------


@pytest.fixture(scope="module")
def uncached_workers(django_db_setup, django_db_blocker):
    """Two server processes with the page cache off: every list is counted, ordered and
    paged on each process's own labs index."""
    with django_db_blocker.unblock():
        env = {"DATABASE_URL": database_url(), "REDIS_URL": "", "PORTAL_PAGE_CACHE_SECONDS": "0"}
    with two_workers(env) as workers:
        yield workers


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "change",
    [make_bulk_edit, make_delete, make_country_change, make_bulk_import, make_generation],
    ids=lambda change: change.__name__,
)
def test_no_worker_answers_from_a_labs_index_older_than_the_data(uncached_workers, change):
    lab = LabFactory(name_fr="Laboratoire initial")
    url = getattr(change, "url", "/fr/laboratoires/?country=JP")
    for worker in uncached_workers:  # each builds its index of the data as it is
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
