"""Settings shared by the tests of the accessibility sweep."""

from __future__ import annotations

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


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in SUMMARIES:
        terminalreporter.write_line(line)
