"""One log line per request, and the request id on every line logged while it is served.

``RequestLogMiddleware`` takes the id the proxy gives in ``X-Request-ID`` (nginx's
``$request_id``; a well-formed one only) or makes one, returns it in the response's
``X-Request-ID`` header, and after the response logs on ``portal.request``: request id, user
id (none for a visitor), method, path, status and duration. ``RequestIdFilter`` adds the id
to every record logged meanwhile, so an error's traceback and the request's line share it.
In production the records are JSON lines on stdout (``LOGGING`` in settings).
"""

import contextvars
import logging
import re
import time
import uuid

logger = logging.getLogger("portal.request")

HEADER = "X-Request-ID"
WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{1,128}")
current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


class RequestLogMiddleware:
    """First in the chain, so that its line covers every other middleware's work."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request.request_id = given if WELL_FORMED.fullmatch(given) else uuid.uuid4().hex
        token = current_request_id.set(request.request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request.request_id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "user_id": _user_id(request),
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            current_request_id.reset(token)


def _user_id(request):
    """The signed-in user's id, if the request got as far as knowing it; never a query."""
    user = request.__dict__.get("user")
    wrapped = getattr(user, "_wrapped", user)  # AuthenticationMiddleware's lazy object
    if wrapped is None or not hasattr(wrapped, "is_authenticated"):
        return None  # not resolved during the request (a cached page, a static file)
    return wrapped.pk if wrapped.is_authenticated else None
