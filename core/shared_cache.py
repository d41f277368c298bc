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


def count(key: str, timeout: int) -> int:
    """Add one to the counter under ``key`` (kept ``timeout`` seconds from its first count)
    and return it; 0 when the cache does not answer (nothing is counted then)."""
    cache = caches[ALIAS]
    try:
        cache.add(key, 0, timeout)
        try:
            return cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, timeout)
            return 1
    except Exception:
        logger.warning("Shared cache unavailable", exc_info=True)
        return 0
