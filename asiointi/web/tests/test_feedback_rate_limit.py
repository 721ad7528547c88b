"""The public feedback form takes a limited number of messages from one address in an hour; the
message over the limit is kept in the form with a clear answer, and nothing is saved."""

from __future__ import annotations

import os
import secrets

import pytest
from django.core.cache import caches

from asiointi.web.models import AccessibilityFeedback

from .html import parse

BACKENDS = [pytest.param({"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, id="memory")]
if os.environ.get("REDIS_URL"):
    BACKENDS.append(
        pytest.param(
            {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": os.environ["REDIS_URL"],
                "KEY_PREFIX": "asiointi-tests",
            },
            id="redis",
        )
    )


@pytest.fixture(params=BACKENDS)
def cache_backend(request, settings):
    settings.CACHES = {"default": request.param}
    settings.FEEDBACK_LIMIT_PER_HOUR = 3
    caches._settings = settings.CACHES  # type: ignore[attr-defined]
    yield request.param["BACKEND"]
    caches._settings = None  # type: ignore[attr-defined]


def _address() -> str:
    """A fresh documentation address per test, so counts never carry over in a shared Redis."""
    return f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"


def _send(client, address, message="Kontrasti on liian heikko.", language="fi"):
    return client.post(
        f"/{language}/accessibility/",
        {"message": message, "page": "/fi/", "name": "", "email": ""},
        REMOTE_ADDR=address,
    )


def test_feedback__over_the_hourly_limit__is_refused_kept_in_the_form_and_not_saved(
    client, db, cache_backend
):
    address = _address()
    for n in range(3):
        assert _send(client, address, f"Viesti {n}").status_code == 302

    response = _send(client, address, "Neljäs viesti, jota ei saa hukata.")

    assert response.status_code == 429
    page = parse(response.content)
    summary = page.find_all("section", id="error-summary")
    assert summary and "Yritä uudelleen tunnin kuluttua" in summary[0].words
    assert page.find_all("textarea", id="id_message")[0].text.strip() == "Neljäs viesti, jota ei saa hukata."
    assert AccessibilityFeedback.objects.count() == 3


def test_feedback__limit_of_one_address__does_not_touch_another(client, db, cache_backend):
    busy, other = _address(), _address()
    for _n in range(4):
        _send(client, busy)

    assert _send(client, other, language="sv").status_code == 302
    assert AccessibilityFeedback.objects.count() == 4


def test_feedback__invalid_messages__do_not_use_up_the_limit(client, db, cache_backend):
    address = _address()
    for _n in range(5):
        assert _send(client, address, message="").status_code == 200

    assert _send(client, address).status_code == 302


def test_feedback__over_the_limit_in_swedish__says_so_in_swedish(client, db, cache_backend):
    address = _address()
    for _n in range(3):
        _send(client, address, language="sv")

    response = _send(client, address, language="sv")

    assert response.status_code == 429
    assert (
        "Försök igen om en timme" in parse(response.content).find_all("section", id="error-summary")[0].words
    )
