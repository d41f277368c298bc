"""The shared cache (Redis, or a PostgreSQL table without it), read and written so that an
unreachable cache costs a recomputation, never a failed request."""

import logging

from django.core.cache import caches

logger = logging.getLogger(__name__)

ALIAS = "default"


def get(key: str):
    """The value under ``key``; None when absent or when the cache does not answer."""
    try:
        return caches[ALIAS].get(key)
    except Exception:  # an unreachable cache must not take the site down
        logger.warning("Shared cache unavailable", exc_info=True)
        return None


def set(key: str, value, timeout: int) -> None:  # noqa: A001 (the cache's own verb)
    """Keep ``value`` under ``key``; a cache that does not answer keeps nothing."""
    try:
        caches[ALIAS].set(key, value, timeout)
    except Exception:
        logger.warning("Shared cache unavailable", exc_info=True)
