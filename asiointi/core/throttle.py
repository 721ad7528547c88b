"""Limits on how often one client may use a public form, and growing waits after failures.

Counts live in Django's cache: per process in memory on the embedded defaults, shared by every web
process in Redis when ``REDIS_URL`` is set. Addresses and email addresses are kept only as keyed
hashes, and only for the length of the window.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def clock() -> float:
    """Seconds since the epoch: the one clock of the limits here (tests move it forward)."""
    return time.time()


def keyed_hash(value: str) -> str:
    """A keyed hash of ``value`` (an address or an email address), so the cache never holds it."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]


type _Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[_Network, ...]:
    return tuple(ipaddress.ip_network(proxy) for proxy in proxies)


def _trusted(address: str, networks: tuple[_Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in network for network in networks)


def from_trusted_proxy(request: HttpRequest) -> bool:
    """Whether the request came straight from a proxy named in ``TRUSTED_PROXIES``."""
    networks = _networks(tuple(str(proxy) for proxy in settings.TRUSTED_PROXIES))
    return bool(networks) and _trusted(str(request.META.get("REMOTE_ADDR", "") or ""), networks)


def client_address(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, unless that is a proxy named in ``TRUSTED_PROXIES``;
    then the right-most address of ``X-Forwarded-For`` that is not a trusted proxy (each proxy
    appends the address it got the request from, so the addresses left of it are the client's
    word only). A client that is no trusted proxy cannot choose its address with the header."""
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    if not from_trusted_proxy(request):
        return remote
    networks = _networks(tuple(str(proxy) for proxy in settings.TRUSTED_PROXIES))
    forwarded = [a.strip() for a in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    for address in reversed([a for a in forwarded if a]):
        if not _trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address.strip("[]")))
            except ValueError:
                return remote  # not an address: the proxy's own is the best that is known
    return remote


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the client's address (:func:`client_address`)."""
    return keyed_hash(client_address(request) or "unknown")


def email_key(email: str) -> str:
    """A keyed hash of an email address as its owner may type it (any letter case, spaces around)."""
    return keyed_hash("email:" + email.strip().lower())


def _count_up(key: str, timeout: int) -> int:
    """Add one to the count at ``key`` atomically (parallel requests cannot slip past it)."""
    cache.add(key, 0, timeout=timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def throttle_hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one use of ``scope`` by ``key`` in the current window; False when this use goes over
    ``limit``. The count is atomic in the cache, so parallel requests cannot slip past it."""
    window = int(clock() // window_seconds)
    return _count_up(f"throttle:{scope}:{key}:{window}", window_seconds + 1) <= limit


# -- growing waits after failures ----------------------------------------------------------------
#
# Each failure of ``key`` in ``scope`` is counted for ``window_seconds`` after the last one. After
# a failure, the next try must wait a time that grows with the count (the caller's rule); a try
# that comes sooner is refused. While a wait is in force, only one try at a time is let through
# (a claim in the cache), so parallel requests cannot all use the same opening.


def _backoff_keys(scope: str, key: str) -> tuple[str, str, str]:
    base = f"backoff:{scope}:{key}"
    return f"{base}:count", f"{base}:opens", f"{base}:claim"


def backoff_failures(*, scope: str, key: str) -> int:
    """How many failures of ``key`` are counted now."""
    count_key, _opens, _claim = _backoff_keys(scope, key)
    return int(cache.get(count_key) or 0)


def backoff_wait(*, scope: str, key: str) -> float:
    """Seconds until ``key`` may try again (0 when it may try now)."""
    _count, opens_key, _claim = _backoff_keys(scope, key)
    opens_at = cache.get(opens_key)
    return max(0.0, float(opens_at) - clock()) if opens_at is not None else 0.0


def backoff_claim(*, scope: str, key: str, seconds: int) -> bool:
    """Take the one try that ``key`` may have in flight (for at most ``seconds``); False when
    another request holds it. :func:`backoff_release` gives it back."""
    _count, _opens, claim_key = _backoff_keys(scope, key)
    return bool(cache.add(claim_key, 1, timeout=seconds))


def backoff_release(*, scope: str, key: str) -> None:
    _count, _opens, claim_key = _backoff_keys(scope, key)
    cache.delete(claim_key)


def backoff_failure(*, scope: str, key: str, window_seconds: int) -> int:
    """Count one failure of ``key``; returns the count. The caller then sets the wait with
    :func:`backoff_wait_until`."""
    count_key, _opens, _claim = _backoff_keys(scope, key)
    count = _count_up(count_key, window_seconds)
    cache.touch(count_key, window_seconds)  # the window runs from the last failure
    return count


def backoff_wait_until(*, scope: str, key: str, seconds: float, window_seconds: int) -> None:
    """Make ``key``'s next try wait ``seconds`` from now (nothing when 0)."""
    _count, opens_key, _claim = _backoff_keys(scope, key)
    if seconds > 0:
        cache.set(opens_key, clock() + seconds, timeout=window_seconds)
    else:
        cache.delete(opens_key)


def backoff_forgive(*, scope: str, key: str, failures: int) -> int:
    """Take ``failures`` off ``key``'s count (those of one account, after its success); returns
    what is left. The caller then sets the wait for what is left with :func:`backoff_wait_until`."""
    count_key, _opens, _claim = _backoff_keys(scope, key)
    if failures <= 0:
        return backoff_failures(scope=scope, key=key)
    try:
        left = int(cache.decr(count_key, failures))
    except ValueError:  # no count (expired)
        return 0
    if left <= 0:
        backoff_clear(scope=scope, key=key)
    return max(0, left)


def backoff_clear(*, scope: str, key: str) -> None:
    """Forget ``key``'s failures and wait (after a success)."""
    cache.delete_many(list(_backoff_keys(scope, key)))
