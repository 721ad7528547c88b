"""Fixtures of the accounts tests: a cache of each test's own (sign-in failures and limits never
carry over from another test), and a clock that tests move forward instead of waiting."""

from __future__ import annotations

import os
import secrets
import time
from typing import Any

import pytest

from asiointi.core import throttle


@pytest.fixture(autouse=True)
def _own_cache(settings: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"accounts-test-{secrets.token_hex(8)}",
        }
    }


class Clock:
    """The limits' clock, standing still until a test moves it."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moved = Clock()
    monkeypatch.setattr(throttle, "clock", moved)
    return moved


SHARED_CACHES = [pytest.param({"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, id="memory")]
if os.environ.get("REDIS_URL"):
    SHARED_CACHES.append(
        pytest.param(
            {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": os.environ["REDIS_URL"],
                "KEY_PREFIX": "asiointi-tests",
            },
            id="redis",
        )
    )


@pytest.fixture(params=SHARED_CACHES)
def shared_cache(request: pytest.FixtureRequest, settings: Any) -> str:
    """The cache as every web process shares it: Redis too when REDIS_URL is set. Tests that use
    it take fresh addresses and accounts, so counts never carry over in a shared Redis."""
    backend = dict(request.param)
    if "LOCATION" not in backend:
        backend["LOCATION"] = f"accounts-test-{secrets.token_hex(8)}"
    settings.CACHES = {"default": backend}
    return str(backend["BACKEND"])


def fresh_address() -> str:
    return f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"
