import datetime
import sys

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import TemplateView

from laboratories.models import KeyFigure, Lab

from .middleware import (
    DATABASE_UNAVAILABLE_ERRORS,
    RETRY_AFTER_SECONDS,
    database_unavailable_response,
)


def home(request):
    figures = KeyFigure.objects.latest_per_metric()
    labs = Lab.objects.published().with_list_relations().order_by("-start_date")[:6]
    return render(request, "home.html", {"figures": figures, "labs": labs})


@never_cache
@transaction.non_atomic_requests  # ATOMIC_REQUESTS would open a connection
def healthz(request):
    """The process answers; the database is not consulted."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@transaction.non_atomic_requests
def readyz(request):
    """The database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        response = HttpResponse("database unavailable", status=503, content_type="text/plain")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse("ok", content_type="text/plain")


class AccessibilityStatementView(TemplateView):
    """The accessibility statement (RGAA): status, what is checked, contact and recourse."""

    template_name = "accessibility.html"
    extra_context = {"statement_date": datetime.date(2026, 11, 21)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contact_email"] = settings.ACCESSIBILITY_CONTACT_EMAIL
        return context


# Error pages: the message in the page's language, never a detail of the code.


@requires_csrf_token
def bad_request(request, exception=None):
    return HttpResponse(loader.render_to_string("400.html"), status=400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    """500, rendered without the database and without the request's context.

    Django calls this handler while the exception is being handled: a database that stopped
    answering outside a view (in a middleware) gets the same 503 as inside one.
    """
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE_ERRORS):
        return database_unavailable_response()
    return HttpResponseServerError(loader.render_to_string("500.html"))


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: 429, the same whether the user exists or not."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    content = loader.render_to_string("axes/lockout.html", {"minutes": max(1, seconds // 60)})
    response = HttpResponse(content, status=429)
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response
