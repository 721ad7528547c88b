"""Limits on how often one client address may use a public form.

Counts live in Django's cache: per process in memory on the embedded defaults, shared by every web
process in Redis when ``REDIS_URL`` is set. The address is kept only as a keyed hash, and only for
the length of the window.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the client's address (REMOTE_ADDR, which the proxy sets)."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def throttle_hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one use of ``scope`` by ``key`` in the current window; False when this use goes over
    ``limit``. The count is atomic in the cache, so parallel requests cannot slip past it."""
    window = int(time.time() // window_seconds)
    bucket = f"throttle:{scope}:{key}:{window}"
    cache.add(bucket, 0, timeout=window_seconds + 1)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, timeout=window_seconds + 1)
        count = 1
    return count <= limit
