"""The client's address is the connection's, unless the connection comes from a proxy named in
TRUSTED_PROXIES: then it is the right-most address of X-Forwarded-For that is no trusted proxy. A
client cannot choose its own address (for the audit log or the rate limits) with the header."""

from __future__ import annotations

import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.http import HttpResponse
from django.test import RequestFactory

from asiointi.accounts.models import AuditAction, AuditEvent
from asiointi.web.middleware import ForwardedHeadersMiddleware
from asiointi.web.models import AccessibilityFeedback

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


@pytest.fixture(autouse=True)
def _own_cache(settings) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"forwarded-{secrets.token_hex(8)}",
        }
    }


def _forged() -> str:
    return f"198.51.100.{secrets.randbelow(250) + 1}"


def _feedback(client, address: str, forwarded: str, n: int):
    return client.post(
        "/fi/accessibility/",
        {"message": f"Viesti {n}", "page": "/fi/", "name": "", "email": ""},
        REMOTE_ADDR=address,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def _failed_sign_in(client, address: str, forwarded: str):
    return client.post(
        "/fi/accounts/login/",
        {"username": "ei-ole@example.fi", "password": "väärä"},
        REMOTE_ADDR=address,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.parametrize("trusted", [[], ["10.9.0.0/16"]], ids=["no-proxies", "other-proxies"])
def test_feedback__forged_forwarded_for_from_an_untrusted_client__still_hits_the_hourly_limit(
    client, settings, trusted
) -> None:
    settings.TRUSTED_PROXIES = trusted
    limit = settings.FEEDBACK_LIMIT_PER_HOUR
    for n in range(limit):
        assert _feedback(client, "203.0.113.7", _forged(), n).status_code == 302

    refused = _feedback(client, "203.0.113.7", _forged(), limit)

    assert refused.status_code == 429
    assert AccessibilityFeedback.objects.count() == limit


def test_audit_log__forged_forwarded_for_from_an_untrusted_client__records_the_connections_address(
    client, settings
) -> None:
    settings.TRUSTED_PROXIES = []

    _failed_sign_in(client, "203.0.113.7", "192.0.2.66")

    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.ip_address == "203.0.113.7"
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_audit_log__behind_a_trusted_proxy__records_the_right_most_untrusted_forwarded_address(
    client, settings
) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]

    # The client wrote "192.0.2.66" itself; the outer proxy saw 198.51.100.20 and the inner one
    # (10.0.0.6, trusted) the outer proxy.
    _failed_sign_in(client, PROXY, "192.0.2.66, 198.51.100.20, 10.0.0.6")

    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.ip_address == "198.51.100.20"
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.20"}


def test_feedback__behind_a_trusted_proxy__counts_each_forwarded_client_on_its_own(client, settings) -> None:
    settings.TRUSTED_PROXIES = [PROXY]
    limit = settings.FEEDBACK_LIMIT_PER_HOUR
    for n in range(limit):
        assert _feedback(client, PROXY, "198.51.100.1", n).status_code == 302
    assert _feedback(client, PROXY, "198.51.100.1", limit).status_code == 429

    other_client = _feedback(client, PROXY, "198.51.100.2", limit + 1)

    assert other_client.status_code == 302


def test_forwarded_headers__from_an_untrusted_client__are_dropped_and_from_a_trusted_proxy_kept(
    settings,
) -> None:
    settings.TRUSTED_PROXIES = [PROXY]
    seen: dict[str, str] = {}

    def view(request):
        seen.clear()
        seen.update({k: v for k, v in request.META.items() if k.startswith("HTTP_X_FORWARDED")})
        return HttpResponse("ok")

    headers = {"HTTP_X_FORWARDED_FOR": "192.0.2.66", "HTTP_X_FORWARDED_PROTO": "https"}
    middleware = ForwardedHeadersMiddleware(view)

    middleware(RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", **headers))
    assert seen == {}
    middleware(RequestFactory().get("/", REMOTE_ADDR=PROXY, **headers))
    assert seen == headers


def _server_command(target: str, **variables: str) -> str:
    """The uvicorn line of ``make <target>`` (printed, not run)."""
    root = Path(__file__).resolve().parents[3]
    assignments = [f"{name}={value}" for name, value in variables.items()]
    printed = subprocess.run(  # noqa: S603 - fixed arguments
        ["make", "-s", "-n", "-C", str(root), target, "INSTALLED=", *assignments],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    [line] = [line for line in printed.splitlines() if "uvicorn config.asgi:application" in line]
    return line


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("target", ["demo", "serve"])
def test_server_command__without_trusted_proxies__believes_no_forwarded_headers_and_names_no_version(
    target,
) -> None:
    line = _server_command(target, TRUSTED_PROXIES="")

    assert "--no-proxy-headers" in line
    assert "--forwarded-allow-ips" not in line
    assert "--no-server-header" in line


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("target", ["demo", "serve"])
def test_server_command__with_trusted_proxies__believes_forwarded_headers_from_them_only(target) -> None:
    line = _server_command(target, TRUSTED_PROXIES="10.0.0.5,10.1.0.0/24")

    assert "--proxy-headers --forwarded-allow-ips '10.0.0.5,10.1.0.0/24'" in line
    assert "TRUSTED_PROXIES='10.0.0.5,10.1.0.0/24'" in line
