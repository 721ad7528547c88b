"""The sweep of every page: 0 violations on the product's pages, 0 serious or critical ones on
Django's admin pages, 0 CSP violations, every page opened with status 200."""

from __future__ import annotations

import time
from typing import Any

import pytest

from a11y import report, sweep
from a11y.conftest import SUMMARIES
from a11y.routes import ADMINISTRATOR, ROLES, named_routes

pytestmark = [pytest.mark.a11y, pytest.mark.slow]


def test_sweep__every_route_language_and_role__meets_the_goal(live_server: Any, settings: Any) -> None:
    started = time.monotonic()
    planned, checks = sweep.run(live_server.url)
    line = report.write(checks, seconds=time.monotonic() - started, refused=planned.refused)
    SUMMARIES.append(line)

    assert checks
    not_opened = [
        (c.url, c.role, c.state, c.status, c.error)
        for c in checks
        if c.status != c.expected_status or c.error
    ]
    assert not not_opened, not_opened
    product = [
        (c.url, c.role, c.state, [(v.rule, v.impact, v.nodes) for v in c.violations])
        for c in checks
        if not c.admin and c.violations
    ]
    assert not product, product
    admin = [
        (c.url, c.role, c.state, [(v.rule, v.impact, v.nodes) for v in c.failing])
        for c in checks
        if c.admin and c.failing
    ]
    assert not admin, admin
    csp = [(c.url, c.role, c.csp) for c in checks if c.csp]
    assert not csp, csp
    structure = [(c.url, c.role, c.state, c.structure) for c in checks if c.structure]
    assert not structure, structure
    assert not sweep.duplicate_titles(checks)
    checked = {c.route for c in checks}
    assert checked == {p.route for p in planned.pages}
    assert checked <= {r.name for r in named_routes()}

    # Every route as every role that the access matrix lets open it: the product's pages in every
    # language, the admin's in Finnish (and in every language as the administrator).
    expected = {(route, role) for route, roles in planned.roles.items() for role in roles}
    assert {(c.route, c.role) for c in checks if not c.state} == expected
    assert set(ROLES) <= {role for _route, role in expected}
    assert {(c.route, c.role) for c in checks if c.language == "fi" and not c.state} == expected
    product_routes = {c.route for c in checks if not c.admin}
    every_language = {
        (route, role) for route, role in expected if route in product_routes or role == ADMINISTRATOR
    }
    for language in ("sv", "en"):
        found = {(c.route, c.role) for c in checks if c.language == language and not c.state}
        assert every_language <= found, language
