"""Middleware of the portal: its Content-Security-Policy, and a 503 when the database is down."""

import logging

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language

logger = logging.getLogger("core.database")

# What the database driver raises when the server cannot be reached or drops the connection.
DATABASE_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable_response() -> HttpResponse:
    """503 with Retry-After and a message in both languages, rendered without the database."""
    current = get_language()
    languages = [current] + [code for code, _name in settings.LANGUAGES if code != current]
    content = loader.render_to_string("503.html", {"languages": languages})
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Answers 503 instead of 500 when the database does not answer.

    Nothing is kept from the failure: Django closes a broken connection at the end of the
    request and checks a persistent one before reusing it (``CONN_HEALTH_CHECKS``), so the
    next request after the database returns is served normally.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE_ERRORS):
            logger.error("Database unavailable on %s: %s", request.path, exception)
            return database_unavailable_response()
        return None


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's own policy on the admin's paths.

    Public pages get ``CONTENT_SECURITY_POLICY`` (scripts by nonce only). The admin, with
    modeltranslation's tabs and import-export's pages, needs inline scripts and styles:
    ``ADMIN_CONTENT_SECURITY_POLICY`` allows them there and nowhere else.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and self._is_admin(request):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts

    @staticmethod
    def _is_admin(request) -> bool:
        return request.path_info.startswith(reverse("admin:index"))
