"""The sweep can fail: a deliberately broken page shows exactly its three faults."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import path

from a11y import sweep
from a11y.routes import ANONYMOUS, Page

pytestmark = [pytest.mark.a11y, pytest.mark.slow]

BROKEN_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Broken page</title><link rel="stylesheet" href="/broken.css"></head>
<body><main>
<h1>A deliberately broken page</h1>
<img src="/broken.svg">
<form><input type="text" name="q"></form>
<p class="faint">Grey text on white that is hard to read.</p>
</main></body></html>
"""
BROKEN_CSS = "body { background: #fff; } .faint { color: #c8c8c8; }\n"
PICTURE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
)


def _page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BROKEN_PAGE)


def _css(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BROKEN_CSS, content_type="text/css")


def _picture(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PICTURE, content_type="image/svg+xml")


urlpatterns = [
    path("broken/", _page, name="broken"),
    path("broken.css", _css),
    path("broken.svg", _picture),
]


@override_settings(ROOT_URLCONF="a11y.tests.test_broken_page")
def test_sweep__broken_page__reports_exactly_its_three_faults(live_server: Any) -> None:
    page = Page("broken", "en", ANONYMOUS, "/broken/", admin=False)

    [check] = sweep.sweep(live_server.url, [page], [{}], workers=1)

    assert check.status == 200
    assert not check.error
    assert sorted(v.rule for v in check.violations) == ["color-contrast", "image-alt", "label"]
    assert all(v.nodes == 1 for v in check.violations)
    assert check.csp == []
    assert not check.ok
