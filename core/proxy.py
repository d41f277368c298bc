"""The visitor's address behind the reverse proxies the operator declares.

``PORTAL_TRUSTED_PROXIES`` is the number of proxies in front of the app servers that each
append the address they were reached from to ``X-Forwarded-For`` (nginx alone: 1; a load
balancer and nginx: 2). The visitor is then that many entries from the right of the header;
anything further left was written by the client and is never believed. With 0 (the default,
no proxy) or a header shorter than announced, the address is the connecting peer's.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The address the request came from, as far as the declared proxies vouch for it."""
    peer = request.META.get("REMOTE_ADDR")
    trusted = settings.PORTAL_TRUSTED_PROXIES
    if not trusted:
        return peer
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    if len(hops) < trusted:
        return peer
    candidate = hops[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return peer
