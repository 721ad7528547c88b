"""The sweep covers every named route: a new page cannot be left out by accident."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import URLPattern, URLResolver, path

from a11y.routes import SKIPPED, UncoveredRoutes, covered_routes, named_routes, skipped_routes
from config import urls as project_urls


def _page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><title>New</title>")


# The project's routes and one more that nobody added to the sweep.
urlpatterns: list[URLPattern | URLResolver] = [
    *project_urls.urlpatterns,
    path("new-page/", _page, name="brand_new_page"),
]


def test_covered_routes__project_urls__every_named_route_is_checked_or_skipped_with_a_reason() -> None:
    names = {route.name for route in named_routes()}
    covered = covered_routes()
    assert names == set(covered) | (names & set(skipped_routes()))
    assert {"web:home", "web:point_detail", "accounts:login", "admin:index", "api:docs"} <= set(covered)
    assert {"api:point_list", "api:me"} <= set(skipped_routes())
    assert all(reason for reason in SKIPPED.values())


@override_settings(ROOT_URLCONF="a11y.tests.test_routes")
def test_covered_routes__a_route_nobody_registered__fails_naming_it() -> None:
    with pytest.raises(UncoveredRoutes) as failure:
        covered_routes()
    assert failure.value.names == ["brand_new_page"]
    assert "brand_new_page" in str(failure.value)


def test_named_routes__an_api_operation_missing_from_the_matrix__is_found_and_unknown(
    monkeypatch: Any,
) -> None:
    """An operation added to a router of the API is found by the route discovery (each method of a
    path on its own), so the access matrix test fails on it until the table has its row."""
    from ninja import Router

    from asiointi.accounts.access import matrix
    from asiointi.api import main

    router = Router()

    @router.post("/planted", url_name="planted_operation")
    def planted(request: Any) -> None:
        """Not a real operation."""

    monkeypatch.setattr(main.api, "_routers", [*main.api._routers, ("/", router)])

    found = {route.name for route in named_routes()}

    assert "api:planted_operation" in found
    assert "api:planted_operation" not in matrix()
    assert {op.name: op.method for op in main.operations()}["api:planted_operation"] == "POST"
