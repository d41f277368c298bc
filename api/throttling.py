"""How often an anonymous client may call the API: per address, counted in the shared cache
(``CACHES["default"]``), so every worker counts alike; the state is told in headers."""

import math

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """``PORTAL_API_ANONYMOUS_RATE`` (read on each request, so tests and deployments can set
    it) per client address; ``rate_limit`` on the request for :func:`rate_limit_headers`."""

    def get_rate(self):
        return settings.PORTAL_API_ANONYMOUS_RATE or None

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        allowed = super().allow_request(request, view)
        if self.rate is not None:
            oldest = self.history[-1] if self.history else self.now
            request.rate_limit = (
                self.num_requests,
                max(0, self.num_requests - len(self.history)),
                max(0, math.ceil(self.duration - (self.now - oldest))),
            )
        return allowed


def rate_limit_headers(request) -> dict[str, str]:
    """RateLimit-Limit, -Remaining and -Reset (seconds) of the request's client."""
    limit = getattr(request, "rate_limit", None)
    if limit is None:
        return {}
    allowed, remaining, reset = limit
    return {
        "RateLimit-Limit": str(allowed),
        "RateLimit-Remaining": str(remaining),
        "RateLimit-Reset": str(reset),
    }
