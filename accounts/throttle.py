"""Counting attempts in the cache, for the forms anyone may post without logging in.

A fixed window per key: the first attempt starts it, and the count is forgotten when it ends.
With CACHE_URL shared between instances, the limit holds across them.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def throttle_key(scope: str, value: str) -> str:
    """A cache key that never holds the address or email itself."""
    digest = hashlib.sha256(value.strip().casefold().encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def throttle_allows(key: str, limit: int, window_seconds: int) -> bool:
    """Counts one attempt under `key`; False once more than `limit` fell in the window."""
    cache.add(key, 0, window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        count = 1
    return count <= limit
