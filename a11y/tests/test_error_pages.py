"""The error pages (403, the CSRF refusal, 404, 429, 500) join the sweep: each in fi, sv and en
with 0 axe-core violations, 0 CSP violations and the structure of every page. They are no named
routes, so this test opens them through routes of its own that answer with each error."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import path

from a11y import sweep
from a11y.routes import ANONYMOUS, LANGUAGES, Page
from asiointi.web.errors import csrf_failure, too_many_requests
from config.urls import handler403, handler500
from config.urls import urlpatterns as site_urlpatterns

pytestmark = [pytest.mark.a11y, pytest.mark.slow]


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _csrf(request: HttpRequest) -> HttpResponse:
    return csrf_failure(request)


def _busy(request: HttpRequest) -> HttpResponse:
    return too_many_requests(request, retry_after=30)


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a deliberate error for the sweep")


urlpatterns = [
    *i18n_patterns(
        path("a11y-errors/403/", _forbidden),
        path("a11y-errors/403-csrf/", _csrf),
        path("a11y-errors/429/", _busy),
        path("a11y-errors/500/", _broken),
    ),
    *site_urlpatterns,
]
__all__ = ["handler403", "handler500", "urlpatterns"]

#: Each error page: its path under a language and the status it answers with.
ERROR_PAGES = {
    "403": ("a11y-errors/403/", 403),
    "403 csrf": ("a11y-errors/403-csrf/", 403),
    "404": ("a11y-errors/no-such-page/", 404),
    "429": ("a11y-errors/429/", 429),
    "500": ("a11y-errors/500/", 500),
}


@override_settings(ROOT_URLCONF=__name__)
def test_sweep__error_pages_in_every_language__meet_the_goal(live_server: Any) -> None:
    pages = [
        Page(f"error {name}", language, ANONYMOUS, f"/{language}/{suffix}", admin=False)
        for name, (suffix, _status) in ERROR_PAGES.items()
        for language in LANGUAGES
    ]

    checks = sweep.sweep(live_server.url, pages, [{}], workers=1)

    assert len(checks) == len(ERROR_PAGES) * len(LANGUAGES)
    for check in checks:
        check.expected_status = ERROR_PAGES[check.route.removeprefix("error ")][1]
    failed = [
        (c.url, c.status, c.error, [(v.rule, v.nodes) for v in c.violations], c.csp, c.structure)
        for c in checks
        if not c.ok
    ]
    assert not failed, failed
    # Each page has a title of its own in each language.
    assert len({(c.language, c.title) for c in checks}) == len(checks)
