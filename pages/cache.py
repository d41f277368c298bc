"""Public pages for anonymous visitors, kept in the shared cache under the content version.

``PublicPageCacheMiddleware`` keeps the rendered answer to an anonymous ``GET`` of a page
under ``/fr/`` or ``/en/`` in a table of the portal's PostgreSQL (``CachedPage``, unlogged),
which every worker process and every host shares. A hit is one statement: the content
version and the page under it, read together.

The key is the canonical form of the request: the release (:mod:`core.release`: a deploy
never serves the pages of the one before), scheme, host, path, and only the query
parameters the page's view declares it understands (``page_cache_parameters`` on the view
class, or :func:`public_page` on a view function), sorted. ``?utm_source=x`` or a reordered
query string therefore finds the same entry. A view that declares nothing is never kept.

Freshness: an entry carries the content version it was rendered under (:mod:`core.content`,
which PostgreSQL keeps for every write, from the admin, an import or ``psql`` alike), and is
served only while the version is the same. The version is read before the page is rendered;
while a write older than the version is still in progress, pages are served but not kept.
``PORTAL_PAGE_CACHE_SECONDS`` bounds the life of any entry all the same, and
``PORTAL_PAGE_CACHE_MAX_ENTRIES`` their number: stores now and then remove the entries of
older versions, the expired ones and, beyond the bound, those closest to expiring.

Never kept: requests carrying a session or messages cookie (a signed-in user may see more),
responses that set a cookie, vary on it, are private or not 200, and large ones. A
Content-Security-Policy nonce in a kept page is replaced by a fresh one on every hit. Pages
are kept compressed (zlib, fastest level).

Public responses also tell shared proxies they may keep them for
``PORTAL_PROXY_CACHE_SECONDS`` (``Cache-Control: public, max-age=0, s-maxage=N``; browsers
ask again each time).

Place the middleware after SecurityMiddleware and WhiteNoise and before the session, locale
and CSP middlewares.
"""

import base64
import functools
import hashlib
import json
import logging
import os
import zlib
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import cc_delim_re, patch_cache_control
from django.utils.translation import get_language_from_path

from core import content
from core.release import release

logger = logging.getLogger(__name__)

STATUS_HEADER = "X-Page-Cache"
CSP_HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")
UNCACHEABLE_DIRECTIVES = {"private", "no-store", "no-cache"}


# The page under ``key`` rendered under the current version (joined to the version's query).
LOOKUP_SQL = """
SELECT status, headers, body, nonce FROM pages_cachedpage
WHERE key = %s AND version = latest.number AND expires > now()
"""
# A page rendered under an older version never replaces one of a newer version.
STORE_SQL = """
INSERT INTO pages_cachedpage (key, version, expires, status, headers, body, nonce)
VALUES (%s, %s, now() + make_interval(secs => %s), %s, %s::jsonb, %s, %s)
ON CONFLICT (key) DO UPDATE SET
    version = EXCLUDED.version, expires = EXCLUDED.expires, status = EXCLUDED.status,
    headers = EXCLUDED.headers, body = EXCLUDED.body, nonce = EXCLUDED.nonce
WHERE pages_cachedpage.version <= EXCLUDED.version
"""
# Entries no visitor will be served again, then the surplus beyond the bound.
PRUNE_SQL = """
DELETE FROM pages_cachedpage WHERE version < %s OR expires <= now();
DELETE FROM pages_cachedpage WHERE key IN (
    SELECT key FROM pages_cachedpage ORDER BY expires DESC OFFSET %s
);
"""
# One store in this many prunes (chosen by the key, so spread over all pages).
PRUNE_EVERY = 64


def public_page(*parameters: str):
    """Declare a view function a public page that uses the query ``parameters`` (maybe none)."""

    def declare(view):
        view.page_cache_parameters = tuple(parameters)
        return view

    return declare


def declared_parameters(view) -> tuple[str, ...] | None:
    """The query parameters a public page's view uses; None for a view that is not one."""
    found = getattr(view, "page_cache_parameters", None)
    if found is None:
        found = getattr(getattr(view, "view_class", None), "page_cache_parameters", None)
    return tuple(found) if found is not None else None


def _view_of(request):
    return _view_at(request.path_info, getattr(request, "urlconf", None) or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=8192)
def _view_at(path: str, urlconf):
    """The view of ``path``, or None (the URLs are code: a memo of them never goes stale)."""
    language = get_language_from_path(path)
    if not language:
        return None
    try:
        with translation.override(language):
            return resolve(path, urlconf).func
    except Resolver404:
        return None


def page_key(request) -> str | None:
    """The cache key of a request that may be answered from the cache, else None."""
    if request.method not in ("GET", "HEAD"):
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return None
    view = _view_of(request)
    parameters = declared_parameters(view) if view is not None else None
    if parameters is None:
        return None
    try:
        host = request.get_host()
    except DisallowedHost:  # answered 400 further in, in the page's language
        return None
    pairs = sorted((name, value) for name in set(parameters) for value in request.GET.getlist(name))
    url = f"{release()} {request.scheme}://{host}{request.path}?{urlencode(pairs)}"
    return hashlib.sha256(url.encode()).hexdigest()


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
    status, headers, compressed, nonce = entry
    headers = json.loads(headers)  # Django reads jsonb as text, for JSONField to parse
    body = zlib.decompress(compressed)
    if nonce:
        fresh = base64.b64encode(os.urandom(16)).decode("ascii")
        request._csp_nonce = fresh
        body = body.replace(nonce.encode(), fresh.encode())
        headers = [
            (name, value.replace(nonce, fresh) if name in CSP_HEADERS else value)
            for name, value in headers
        ]
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response[name] = value
    response[STATUS_HEADER] = "hit"
    return response


def lookup(key: str):
    """The content version and the entry under ``key`` (a tuple of None when there is none).

    The lookup is the request's first statement, so it also stands for Django's health check
    of a persistent connection (``CONN_HEALTH_CHECKS``), a ``SELECT 1`` round trip that
    would double the cost of a hit. When the server has dropped the connection (a restart, a
    failover), the lookup fails instead: the connection is closed and the lookup made once
    more on a new one, as the health check would have done. Whatever fails then (the
    server is down) reaches the error handler, which answers 503."""
    checked = connection.connection is None or connection.health_check_done
    if not checked and connection.health_check_enabled:
        connection.health_check_done = True  # this statement is the check
        try:
            return content.read_with(LOOKUP_SQL, [key])
        except (OperationalError, InterfaceError):
            if connection.is_usable():
                raise
            connection.close()  # dropped by the server: the next statement reconnects
    return content.read_with(LOOKUP_SQL, [key])


def store(key: str, version: int, request, response) -> None:
    """Keep ``response`` under ``key``; a table that refuses the write keeps nothing."""
    row = [
        key,
        version,
        settings.PORTAL_PAGE_CACHE_SECONDS,
        response.status_code,
        json.dumps(list(response.items())),
        zlib.compress(response.content, 1),
        _csp_nonce(request) or "",
    ]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(STORE_SQL, row)
            if int(key[-2:], 16) % PRUNE_EVERY == 0:
                cursor.execute(PRUNE_SQL, [version, settings.PORTAL_PAGE_CACHE_MAX_ENTRIES])
    except DatabaseError:  # a page not kept costs a rendering, never a failed request
        logger.warning("Page cache not written", exc_info=True)


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = page_key(request)
        if key is None:
            return self.get_response(request)
        if settings.PORTAL_PAGE_CACHE_SECONDS <= 0:
            return self._public(request, self.get_response(request))
        version, entry = lookup(key)
        if entry[0] is not None:
            return _from_entry(request, entry)
        response = self._public(request, self.get_response(request))
        if version.settled and _is_storable(request, response):
            store(key, version.number, request, response)
            response[STATUS_HEADER] = "miss"
        return response

    @staticmethod
    def _public(request, response):
        """A page anyone may be shown: shared proxies may keep it a little while."""
        if _is_storable(request, response) or (
            request.method == "HEAD" and response.status_code == 200
        ):
            patch_cache_control(
                response, public=True, max_age=0, s_maxage=settings.PORTAL_PROXY_CACHE_SECONDS
            )
        return response
