"""Hostile input never makes a server error: every form of the product's pages, every admin
changelist's parameters and every admin add form, given over-long, non-numeric, out-of-range,
negative and huge values, control characters, line breaks, the right-to-left override and NUL,
answers below 500.

Nothing here lists the pages: the product's routes come from the URL configuration (through the
accessibility sweep's registry, a11y/routes.py, which fails on a route it does not cover), their
forms from the pages themselves, the admin's from ``admin.site._registry``, and the roles that
open each from the access matrix (asiointi/accounts/access.py). A new page or model admin is
fuzzed when it is born.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.admin.views.main import IGNORED_PARAMS
from django.test import Client
from django.urls import reverse

from a11y.routes import (
    ANONYMOUS,
    BOOTH_DEVICE,
    FORM_STATES,
    allowed_roles,
    covered_routes,
    demo_booth,
    make_samples,
    named_routes,
    role_user,
)
from asiointi.accounts.access import matrix
from asiointi.accounts.models import AuditAction, Role
from asiointi.accounts.testing import login_booth_device, login_staff
from asiointi.conftest import admin_form_data_from
from asiointi.factories import (
    AuditEventFactory,
    BoothFactory,
    MembershipFactory,
    ScenarioFactory,
    ServiceOfferingFactory,
    UserFactory,
)
from asiointi.planning.models import ScenarioStatus

pytestmark = pytest.mark.django_db

#: The values tried in every field and parameter.
HOSTILE: tuple[str, ...] = (
    "x" * 60_000,  # beyond SQLite's longest LIKE pattern (50,000 bytes)
    "abc",
    "-1",
    "0",
    "99999999999999999999",
    "-99999999999999999999",
    "1e26",
    "NaN",
    "99999-12-31",
    "2026-13-45 25:61",
    "\x00",
    "kello\x07\x1b[31m\x7f",
    "rivi\r\nSet-Cookie: x=1",
    "\u202eevil.exe",
    "１２３",
)
#: The values also tried one field or parameter at a time, the others as the page shows them.
#: FUZZ_ALL=1 in the environment tries every hostile value that way too (a few minutes).
SHARP: tuple[str, ...] = (
    HOSTILE if os.environ.get("FUZZ_ALL") else ("abc", "99999999999999999999", "-1", "\x00")
)

#: The fields of the routes that only take a POST (no page shows their form), by route name. A new
#: POST-only route must say here what it takes.
POST_ONLY_FIELDS: dict[str, tuple[str, ...]] = {
    "set_language": ("language", "next"),
    "accounts:logout": (),
    "admin:logout": (),
    "planning:scenario_delete": (),
    "ledger:statement_approve": (),
    "ledger:statement_send": (),
    "schedule:appointment_action": ("action", "start"),
    "desk:undo": (),
    "desk:receipt": (),
    "callbacks:action": ("action", "note", "outcome"),
    "desk:callnow_cancel": (),
    "callbacks:now_accept": (),
    "meetings:phone": (),
}

MANAGEMENT_SUFFIXES = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")


@dataclass
class Form:
    method: str
    action: str
    #: Each field's values as the page shows them (a select's chosen option, a checked box).
    fields: dict[str, list[str]] = field(default_factory=dict)


class _FormParser(HTMLParser):
    """The forms of a page with the names and values of their fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._select: str | None = None
        self._first_option: str | None = None
        self._selected = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("method", "get").lower(), a.get("action", "")))
            return
        if not self.forms or "name" not in a:
            if tag == "option" and self._select is not None:
                self._option(a)
            return
        current = self.forms[-1].fields
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                current.setdefault(name, [])
                return
            current.setdefault(name, []).append(a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            self._textarea = name
            current.setdefault(name, [""])
        elif tag == "select":
            self._select, self._first_option, self._selected = name, None, False
            current.setdefault(name, [])

    def _option(self, a: dict[str, str]) -> None:
        value = a.get("value", "")
        if self._first_option is None:
            self._first_option = value
        if "selected" in a:
            self._selected = True
            self.forms[-1].fields[self._select or ""].append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            if not self._selected and self._first_option is not None:
                self.forms[-1].fields[self._select].append(self._first_option)
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and self.forms:
            self.forms[-1].fields[self._textarea] = [data]


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def _forget_failures() -> None:
    """Sign-in failures would soon lock every try out before its form is read (the per-address
    slow-downs and rate limits are kept apart by giving each request an address of its own)."""
    AccessAttempt.objects.all().delete()


class Fuzzer:
    def __init__(self) -> None:
        self.clients: dict[str, Client] = {}
        self.requests = 0
        self.errors: list[str] = []

    def client(self, role: str) -> Client:
        if role not in self.clients:
            client = Client(raise_request_exception=False)
            if role == BOOTH_DEVICE:
                login_booth_device(client, demo_booth())
            elif role != ANONYMOUS:
                user = role_user(role)
                assert user is not None, f"no user for {role}"
                login_staff(client, user)
            self.clients[role] = client
        return self.clients[role]

    def send(self, role: str, method: str, path: str, data: dict[str, Any], what: str) -> Any:
        client = self.client(role)
        self.requests += 1
        call = client.post if method == "post" else client.get
        # 198.18.0.0/15 is for benchmarks: no one's address.
        address = f"198.18.{self.requests // 256 % 256}.{self.requests % 256}"
        response = call(path, data, REMOTE_ADDR=address)
        if response.status_code >= 500:
            shown = {k: (v[:40] + "…" if isinstance(v, str) and len(v) > 40 else v) for k, v in data.items()}
            self.errors.append(f"{response.status_code} {method.upper()} {path} as {role}: {what} {shown!r}")
        _forget_failures()
        return response

    def fuzz_form(self, role: str, page: str, form: Form, *, one_by_one: bool = True) -> None:
        """Every field with every hostile value at once, then each field alone with the sharp ones."""
        path = form.action or page
        names = [n for n in form.fields if n != "csrfmiddlewaretoken" and not n.endswith(MANAGEMENT_SUFFIXES)]
        base = {n: v[0] if len(v) == 1 else v for n, v in form.fields.items() if v}
        for value in HOSTILE:
            self.send(role, form.method, path, {**base, **dict.fromkeys(names, value)}, "every field")
        if not one_by_one:
            return
        for name in [*names, *(n for n in form.fields if n.endswith(MANAGEMENT_SUFFIXES))]:
            for value in SHARP:
                self.send(role, form.method, path, {**base, name: value}, name)


def _statement(point: Any, agency: Any) -> None:
    """An agreement and last month's drafted statement of the point to the agency."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from asiointi.ledger.services import agreement_create, statement_draft

    agreement_create(point=point, agency=agency, valid_from=dt.date(2020, 1, 1), agency_share=Decimal("0.25"))
    statement_draft(
        point=point, agency=agency, month=timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    )


def _staff_data() -> None:
    """The smallest data that every page and admin opens with: the demo point and Kela (as the
    sweep's registry looks them up), a user of every role, and a row of every admin's model."""
    from asiointi.network.models import Agency, ServicePoint

    point = ServicePoint.objects.get(slug="karstula")
    kela = Agency.objects.get(code="kela")
    ServiceOfferingFactory.create(point=point, service__agency=kela)
    BoothFactory.create(point=point)
    for role in Role.values:
        scope: dict[str, Any] = {}
        if role in (Role.ADVISOR, Role.POINT_MANAGER):
            scope["point"] = point
        elif role in (Role.EXPERT, Role.AGENCY_COORDINATOR):
            scope["agency"] = kela
        # As in the demo, the administrator is also a superuser (Django's own admins ask for that).
        user = UserFactory.create(is_superuser=role == Role.ADMINISTRATOR, is_demo_account=True)
        MembershipFactory.create(user=user, role=role, **scope)
    UserFactory.create()  # for a password reset link, someone not signed in as a role
    ScenarioFactory.create(name="Kattavuus", mode="evaluate", status=ScenarioStatus.DONE)
    _statement(point, kela)
    make_samples()
    AuditEventFactory.create(
        action=AuditAction.SIGN_IN, actor_email="yllapitaja@example.fi", summary="sample"
    )


def _product_pages() -> Iterator[tuple[str, str, str]]:
    """(route, role, path) of every product page, as the first role that may open it, and the
    pages of the forms' own states (a valid password reset link)."""
    table = matrix()
    for name, spec in covered_routes().items():
        if spec.admin:
            continue
        roles = allowed_roles(name, table)
        if not roles:
            continue
        kwargs = spec.kwargs() if spec.kwargs else None
        yield name, roles[0], reverse(name, kwargs=kwargs)
    for state in FORM_STATES:
        if state.kwargs is not None:
            yield state.route, state.role, reverse(state.route, kwargs=state.kwargs())


@pytest.fixture
def data(point_a: Any, kela: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _staff_data()
    # The admin's navigation lists every app the user may open, whatever the parameters: left out,
    # each of the thousand pages is drawn in half the time.
    monkeypatch.setattr(admin.site, "enable_nav_sidebar", False)


def test_fuzz__every_form_of_the_product_pages__no_server_error(data: None, settings: Any) -> None:
    settings.LANGUAGE_CODE = "fi"
    fuzzer = Fuzzer()
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    pages = 0
    for _name, role, path in _product_pages():
        response = fuzzer.client(role).get(path, follow=True)
        assert response.status_code < 500, path
        pages += 1
        here = response.request["PATH_INFO"]
        for form in forms_of(response.content.decode()):
            key = (form.method, form.action or here, tuple(sorted(form.fields)))
            if key in seen or not form.fields:
                continue
            seen.add(key)
            fuzzer.fuzz_form(role, here, form)

    table = matrix()
    for route in named_routes():
        entry = table.get(route.name)
        if entry is None or entry.method != "POST" or entry.admin:
            continue
        if route.name.startswith("api:"):
            continue  # the API's operations take JSON: the schema fuzz test (schemathesis) covers them
        assert route.name in POST_ONLY_FIELDS, f"say in POST_ONLY_FIELDS which fields {route.name} takes"
        roles = allowed_roles(route.name, table)
        if POST_ONLY_FIELDS[route.name] and roles and "<" not in route.pattern:
            form = Form("post", reverse(route.name), {n: [""] for n in POST_ONLY_FIELDS[route.name]})
            fuzzer.fuzz_form(roles[0], form.action, form)
            seen.add(("post", form.action, POST_ONLY_FIELDS[route.name]))

    assert pages > 10
    assert len(seen) >= 8, seen
    assert fuzzer.errors == [], f"{len(fuzzer.errors)} of {fuzzer.requests}:\n" + "\n".join(fuzzer.errors)


def _admin_roles(route: str) -> tuple[str, ...]:
    roles = allowed_roles(route)
    # The administrator, and the first other role (whose rows and choices are scoped).
    others = [r for r in roles if r != Role.ADMINISTRATOR]
    return tuple(r for r in roles if r == Role.ADMINISTRATOR)[:1] or tuple(others[:1])


def test_fuzz__every_admin_changelist_parameter__no_server_error(data: None) -> None:
    fuzzer = Fuzzer()
    lists = 0
    for model in admin.site._registry:
        opts = model._meta
        route = f"admin:{opts.app_label}_{opts.model_name}_changelist"
        path = reverse(route)
        for role in _admin_roles(route):
            response = fuzzer.client(role).get(path)
            assert response.status_code == 200, (path, role)
            lists += 1
            changelist = response.context["cl"]
            parameters = {p for spec in changelist.filter_specs for p in spec.expected_parameters() or ()}
            # Search, ordering and page on every list; the admin's other own parameters (popup,
            # to_field, facets, ...) do not depend on the model and are tried on the first list only.
            parameters |= {"q", "o", "p", "all"} | (set(IGNORED_PARAMS) if lists == 1 else set())
            combinations: list[dict[str, str]] = []
            if changelist.date_hierarchy:
                dh = changelist.date_hierarchy
                combinations += [
                    {f"{dh}__year": "{}"},
                    {f"{dh}__year": "2026", f"{dh}__month": "{}"},
                    {f"{dh}__year": "2026", f"{dh}__month": "1", f"{dh}__day": "{}"},
                    {f"{dh}__year": "9999", f"{dh}__month": "12", f"{dh}__day": "{}"},
                ]
            combinations += [{p: "{}"} for p in sorted(parameters)]
            for combination in combinations:
                for value in HOSTILE if "q" in combination else SHARP:
                    query = {k: (value if v == "{}" else v) for k, v in combination.items()}
                    fuzzer.send(role, "get", path, query, "changelist")

    assert lists >= len(admin.site._registry)
    assert fuzzer.errors == [], f"{len(fuzzer.errors)} of {fuzzer.requests}:\n" + "\n".join(fuzzer.errors)


def test_fuzz__every_admin_add_form_field__no_server_error(data: None) -> None:
    fuzzer = Fuzzer()
    forms = 0
    for model in admin.site._registry:
        opts = model._meta
        route = f"admin:{opts.app_label}_{opts.model_name}_add"
        if not allowed_roles(route):
            continue
        path = reverse(route)
        for role in _admin_roles(route):
            response = fuzzer.client(role).get(path)
            assert response.status_code == 200, (path, role)
            forms += 1
            form = Form("post", path, admin_form_data_from(response))
            # Each field alone only with FUZZ_ALL: the admin's add pages are the slowest to draw.
            fuzzer.fuzz_form(role, path, form, one_by_one=bool(os.environ.get("FUZZ_ALL")))

    assert forms >= 5
    assert fuzzer.errors == [], f"{len(fuzzer.errors)} of {fuzzer.requests}:\n" + "\n".join(fuzzer.errors)


def test_fuzz__the_form_parser__reads_names_and_shown_values() -> None:
    html = (
        '<form method="post" action="/a/"><input name="t" value="v"><input type="checkbox" name="c">'
        '<select name="s"><option value="1">a</option><option value="2" selected>b</option></select>'
        "<textarea name=m>hei</textarea><button type=submit>OK</button></form><form><input name=q></form>"
    )

    forms = forms_of(html)

    assert forms == [
        Form("post", "/a/", {"t": ["v"], "c": [], "s": ["2"], "m": ["hei"]}),
        Form("get", "", {"q": [""]}),
    ]


def test_fuzz__every_admin_autocomplete__no_server_error(data: None) -> None:
    """The admin's autocomplete, asked for every relation of every registered model (forward ones
    that a widget uses, and reverse ones that no widget uses), with hostile search terms."""
    fuzzer = Fuzzer()
    asked = 0
    path = reverse("admin:autocomplete")
    for model in admin.site._registry:
        opts = model._meta
        for relation in opts.get_fields():
            if not relation.is_relation:
                continue
            asked += 1
            query = {"app_label": opts.app_label, "model_name": opts.model_name, "field_name": relation.name}
            for value in SHARP:
                fuzzer.send(Role.ADMINISTRATOR, "get", path, {**query, "term": value}, "term")
            fuzzer.send(Role.ADMINISTRATOR, "get", path, {**query, "term": "a", "page": "abc"}, "page")

    assert asked > 20
    assert fuzzer.errors == [], f"{len(fuzzer.errors)} of {fuzzer.requests}:\n" + "\n".join(fuzzer.errors)
