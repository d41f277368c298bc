"""The pages shown when something goes wrong: in the page's language, never a detail of
the code. 500 (and 400, often caused by malformed input) render without the database and
without the request's context, so that nothing in them can fail in turn."""

import sys

from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import requires_csrf_token

from .middleware import DATABASE_UNAVAILABLE_ERRORS, database_unavailable_response


@requires_csrf_token
def bad_request(request, exception=None):
    return HttpResponse(loader.render_to_string("400.html"), status=400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """A form posted without its CSRF token: the 403 page, not Django's technical one."""
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    """Django calls this while the exception is being handled: a database that stopped
    answering outside a view (in a middleware) gets the same 503 as inside one."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE_ERRORS):
        return database_unavailable_response()
    return HttpResponseServerError(loader.render_to_string("500.html"))


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: 429, the same whether the user exists."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    content = loader.render_to_string("axes/lockout.html", {"minutes": max(1, seconds // 60)})
    response = HttpResponse(content, status=429)
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response
