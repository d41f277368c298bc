"""Public pages cached per language and full URL, and dropped as soon as any content changes.

``PublicPageCacheMiddleware`` keeps the rendered answer to an anonymous ``GET`` of a page
under ``/fr/`` or ``/en/`` in the default cache, which every worker process shares (Redis,
or PostgreSQL without it: see ``CACHES`` in settings). The key is the scheme, host, path and
query string as sent, so each language, filter and page number has its own entry.

Invalidation is global and cheap: every entry carries the *generation* it was rendered in,
and a change to any content model (the apps of ``cnrs_intl.roles.CONTENT_APPS``) replaces
the generation once its transaction commits. Entries of an older generation are never
served again and age out. Changes are seen two ways:

* the ``post_save``, ``post_delete`` and ``m2m_changed`` signals of the content models;
* the SQL of every database connection (``execute_wrapper``), for the writes that send no
  signal: ``QuerySet.update()``, ``bulk_create()``, ``bulk_update()``, fast deletes, raw SQL
  and imports done in bulk.

Writes that bypass both (psql, ``COPY``) call ``invalidate_public_pages()`` themselves, as
``laboratories.generation`` does; ``PORTAL_PAGE_CACHE_SECONDS`` bounds the life of any entry
all the same.

Never cached: requests carrying a session or messages cookie (a signed-in user may see
more), responses that set a cookie, vary on it, are private or not 200, and large ones.
A Content-Security-Policy nonce in a cached page is replaced by a fresh one on every hit.
Pages are kept compressed (zlib, fastest level): a hit then moves a seventh of the bytes
out of the cache, which matters most when the cache is PostgreSQL.

Place the middleware after SecurityMiddleware and WhiteNoise and before the session, locale
and CSP middlewares.
"""

import base64
import hashlib
import logging
import os
import re
import uuid
import zlib

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.management import call_command
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_migrate,
)
from django.http import HttpResponse
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language_from_path

from .roles import CONTENT_APPS

logger = logging.getLogger(__name__)

CACHE_ALIAS = "default"
GENERATION_KEY = "public-pages:generation"
# The entry format is part of the key: a change of format never reads older entries.
PAGE_KEY_PREFIX = "public-pages:v1:page:"
STATUS_HEADER = "X-Page-Cache"
CSP_HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")
UNCACHEABLE_DIRECTIVES = {"private", "no-store", "no-cache"}

_migrating = False


def page_cache():
    return caches[CACHE_ALIAS]


# Invalidation ---------------------------------------------------------------------------


def invalidate_public_pages(using: str = "default") -> None:
    """Start a new generation of cached pages once the current transaction commits.

    Bumping only after the commit matters: a page rendered between the write and the
    commit still shows the old content, and must not be stored under the new generation.
    One bump per transaction, however many rows it writes.
    """
    if _migrating:
        return
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(
        callback is _new_generation for _sids, callback, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_new_generation, using=using, robust=True)


def _new_generation() -> str:
    generation = uuid.uuid4().hex
    page_cache().set(GENERATION_KEY, generation, None)
    return generation


def _current_generation(cache, found) -> str:
    generation = found.get(GENERATION_KEY)
    if generation is None:
        # First request after a flush or an eviction: agree on one value between workers.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    return generation


def _is_content_model(model) -> bool:
    return model._meta.app_label in CONTENT_APPS


def _on_model_change(sender, using="default", **kwargs):
    if _is_content_model(sender):
        invalidate_public_pages(using)


_WRITE_TARGET = re.compile(
    r'(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO)\s+(?:ONLY\s+)?"?([\w.]+)"?',
    re.IGNORECASE,
)
_WRITE_KEYWORDS = ("INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "WITH")
_content_tables: frozenset[str] | None = None


def content_tables() -> frozenset[str]:
    """The tables of the content apps, many-to-many and history tables included."""
    global _content_tables
    if _content_tables is None:
        _content_tables = frozenset(
            model._meta.db_table
            for label in CONTENT_APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
        )
    return _content_tables


def writes_content(sql: str) -> bool:
    """Whether a SQL statement writes to a content table."""
    head = sql[:16].lstrip().upper()
    if not head.startswith(_WRITE_KEYWORDS):
        return False
    tables = content_tables()
    if head.startswith("TRUNCATE"):
        return any(f'"{table}"' in sql for table in tables)
    if head.startswith("WITH"):  # a write may follow the common table expressions
        return any(match.group(1) in tables for match in _WRITE_TARGET.finditer(sql))
    match = _WRITE_TARGET.match(sql.lstrip())
    return bool(match) and match.group(1) in tables


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and writes_content(sql):
        invalidate_public_pages(context["connection"].alias)
    return result


def _watch_connection(sender, connection, **kwargs):
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def _before_migrate(sender, **kwargs):
    # Migrations run before the cache table exists; one bump follows them all.
    global _migrating
    _migrating = True


def _after_migrate(sender, app_config=None, using="default", **kwargs):
    global _migrating
    if app_config is None or app_config.label != "cnrs_intl":
        return
    _migrating = False
    call_command("createcachetable", database=using, verbosity=0)
    invalidate_public_pages(using)


def connect_signals() -> None:
    """Called once from the project's AppConfig.ready()."""
    post_save.connect(_on_model_change, dispatch_uid="public-pages-save")
    post_delete.connect(_on_model_change, dispatch_uid="public-pages-delete")
    m2m_changed.connect(_on_model_change, dispatch_uid="public-pages-m2m")
    connection_created.connect(_watch_connection, dispatch_uid="public-pages-sql")
    pre_migrate.connect(_before_migrate, dispatch_uid="public-pages-pre-migrate")
    post_migrate.connect(_after_migrate, dispatch_uid="public-pages-post-migrate")
    for connection in connections.all(initialized_only=True):
        _watch_connection(None, connection)


# Serving --------------------------------------------------------------------------------


def page_key(request) -> str | None:
    """The cache key of a request that may be answered from the cache, else None."""
    if request.method not in ("GET", "HEAD") or settings.PORTAL_PAGE_CACHE_SECONDS <= 0:
        return None
    if not get_language_from_path(request.path_info):
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return None
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return PAGE_KEY_PREFIX + hashlib.sha256(url.encode()).hexdigest()


def _is_storable(request, response) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or len(response.content) > settings.PORTAL_PAGE_CACHE_MAX_BYTES:
        return False
    vary = {h.strip().lower() for h in cc_delim_re.split(response.get("Vary", "")) if h}
    # The language comes from the path, so Accept-Language does not change the page.
    if vary - {"accept-language"}:
        return False
    directives = {
        d.split("=")[0].strip().lower() for d in response.get("Cache-Control", "").split(",")
    }
    return not directives & UNCACHEABLE_DIRECTIVES


def _csp_nonce(request) -> str | None:
    nonce = getattr(request, "_csp_nonce", None)
    return nonce if isinstance(nonce, str) else None


def _from_entry(request, entry) -> HttpResponse:
    _generation, status, headers, compressed, nonce = entry
    content = zlib.decompress(compressed)
    if nonce:
        fresh = base64.b64encode(os.urandom(16)).decode("ascii")
        request._csp_nonce = fresh
        content = content.replace(nonce.encode(), fresh.encode())
        headers = [
            (name, value.replace(nonce, fresh) if name in CSP_HEADERS else value)
            for name, value in headers
        ]
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response[STATUS_HEADER] = "hit"
    return response


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = page_key(request)
        if key is None:
            return self.get_response(request)
        cache = page_cache()
        try:
            found = cache.get_many([GENERATION_KEY, key])
            generation = _current_generation(cache, found)
        except Exception:  # an unreachable cache must not take the site down
            logger.warning("Page cache unavailable", exc_info=True)
            return self.get_response(request)
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            return _from_entry(request, entry)
        response = self.get_response(request)
        if _is_storable(request, response):
            entry = (
                generation,
                response.status_code,
                list(response.items()),
                zlib.compress(response.content, 1),
                _csp_nonce(request),
            )
            try:
                cache.set(key, entry, settings.PORTAL_PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("Page cache unavailable", exc_info=True)
            response[STATUS_HEADER] = "miss"
        return response
