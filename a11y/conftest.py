"""Settings shared by the tests of the accessibility sweep."""

from __future__ import annotations

import secrets
from typing import Any

import pytest

#: The summary line of the sweep, printed at the end of the pytest run.
SUMMARIES: list[str] = []


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: Any) -> None:
    """The live server serves static files from the finders, so {% static %} must not need the
    manifest of collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_sign_in_slowdown(settings: Any) -> None:
    """No growing wait between sign-ins, and cache keys of each test's own (on Redis too), so no
    counts of failures carry over from another test: the sweep and the browser tests send the
    sign-in form with a wrong password in several languages from one address, and check the pages,
    not the slowdown (asiointi/accounts/tests tests that)."""
    settings.LOGIN_SLOWDOWN_SECONDS = 0
    test_prefix = f"a11y-{secrets.token_hex(8)}"
    settings.CACHES = {
        alias: {**conf, "KEY_PREFIX": f"{conf.get('KEY_PREFIX', '')}-{test_prefix}"}
        for alias, conf in settings.CACHES.items()
    }


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in SUMMARIES:
        terminalreporter.write_line(line)
