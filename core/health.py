"""Probes for the process supervisor and the load balancer.

``/healthz``: the process answers (the database is not consulted, so a database outage does
not get the workers restarted). ``/readyz``: the database answers too. Neither runs in a
transaction (ATOMIC_REQUESTS would open a connection before the view).
"""

from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

from .middleware import RETRY_AFTER_SECONDS


@never_cache
@transaction.non_atomic_requests
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@transaction.non_atomic_requests
def readyz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        response = HttpResponse("database unavailable", status=503, content_type="text/plain")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse("ok", content_type="text/plain")
