"""The access matrix holds: every route, asked as every role (a booth's screen included), gives the
answer the table promises (half of the roles here, the other half in test_access_matrix_other_roles.py),
and a refused write changes nothing (test_access_matrix_admin_writes.py).

The routes and their parameters come from the accessibility sweep's registry (a11y/routes.py) over
the demo data, so a new page is checked here as soon as it is swept.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from io import StringIO
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import models
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from a11y.routes import (
    DEMO_POINT,
    appointment_pk,
    callback_pk,
    callnow_pk,
    demo_meeting_document,
    desk_transaction_pk,
    make_samples,
    named_routes,
    registry,
    sample_object,
    scenario_id,
    statement_id,
)
from asiointi.accounts.access import (
    ANONYMOUS,
    BOOTH_DEVICE,
    MATRIX_ROLES,
    Access,
    Answer,
    Reach,
    UncoveredModelAdmin,
    matrix,
)
from asiointi.accounts.models import AuditAction, Membership, Role, User
from asiointi.accounts.testing import login_booth_device, login_staff
from asiointi.api.main import operations
from asiointi.catalogue.models import Channel, Service, ServiceOffering
from asiointi.core.admin_scope import ScopedAdminMixin
from asiointi.factories import AuditEventFactory, ScenarioFactory, ServiceOfferingFactory, expert_create
from asiointi.network.models import Agency, Booth, ServicePoint
from asiointi.scheduling.models import Expert
from asiointi.scheduling.selectors import slot_request_build, slot_search
from asiointi.scheduling.services import CustomerContact, appointment_book

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

#: Where a refused visitor is sent to sign in: staff sign-in, the admin's door, a booth's pairing.
SIGN_IN_PATHS = ("/fi/accounts/login/", "/fi/admin/login/", "/fi/accounts/booth/")
#: Where a booth's screen is sent back to from everything it may not open.
BOOTH_SCREEN_PATH = "/fi/accounts/booth/screen/"


def _demo_user(role: str) -> User | None:
    """The demo account of ``role``, at the demo point or at Kela where the role has a place."""
    if role in (ANONYMOUS, BOOTH_DEVICE):
        return None
    memberships = Membership.objects.filter(role=role, user__is_active=True).select_related("user")
    preferred = memberships.filter(point__slug=DEMO_POINT) | memberships.filter(agency__code="kela")
    found = preferred.order_by("pk").first() or memberships.order_by("pk").first()
    assert found is not None, f"the demo data has no {role}"
    return found.user


def _client(role: str) -> Client:
    client = Client()
    if role == BOOTH_DEVICE:
        booth = Booth.objects.filter(point__slug=DEMO_POINT, is_active=True).order_by("pk").first()
        assert booth is not None, f"the demo point {DEMO_POINT} has no booth"
        login_booth_device(client, booth)
        return client
    user = _demo_user(role)
    if user is not None:
        login_staff(client, user)
    return client


#: Routes that the sweep skips (not pages), with the parameters and data their use needs.
def _extra_kwargs() -> dict[str, Callable[[], dict[str, str]]]:
    def view_on_site() -> dict[str, str]:
        point = ServicePoint.objects.get(slug=DEMO_POINT)
        return {
            "content_type_id": str(ContentType.objects.get_for_model(ServicePoint).pk),
            "object_id": str(point.pk),
        }

    def new_scenario() -> dict[str, str]:
        # Deleting takes the scenario away: each role is asked about one of its own.
        made = ScenarioFactory.create(name="Poistettava", mode="evaluate")
        return {"scenario_id": str(made.pk)}

    def point_ref() -> dict[str, str]:
        return {"ref": DEMO_POINT}

    def point_ref_slug() -> dict[str, str]:
        return {"slug": DEMO_POINT}

    def demo_point_id() -> dict[str, str]:
        return {"point_id": str(ServicePoint.objects.get(slug=DEMO_POINT).pk)}

    def desk_transaction() -> dict[str, str]:
        return {"slug": DEMO_POINT, "pk": str(desk_transaction_pk())}

    def fresh_callback() -> dict[str, str]:
        return {"callback_id": str(callback_pk(fresh=True))}

    return {
        "desk:counts": point_ref_slug,
        "desk:undo": desk_transaction,
        "desk:receipt": desk_transaction,
        "callbacks:action": lambda: {"pk": str(callback_pk(fresh=True))},
        "api:desk_transaction_record": demo_point_id,
        "api:desk_transaction_undo": lambda: {
            **demo_point_id(),
            "transaction_id": str(desk_transaction_pk()),
        },
        "api:desk_counts": demo_point_id,
        "api:callback_claim": fresh_callback,
        "api:callback_attempt": fresh_callback,
        "api:callback_close": fresh_callback,
        # The call-now queue: a new waiting call for each ask (the first allowed one takes it).
        "desk:finder": point_ref_slug,
        "desk:callnow_panel": point_ref_slug,
        "desk:callnow_cancel": lambda: {"slug": DEMO_POINT, "pk": str(callnow_pk())},
        "callbacks:now_panel": dict,
        "callbacks:now_accept": lambda: {"pk": str(callnow_pk())},
        "api:callnow_create": demo_point_id,
        "api:callnow_accept": lambda: {"callnow_id": str(callnow_pk())},
        "api:callnow_cancel": lambda: {**demo_point_id(), "callnow_id": str(callnow_pk())},
        "api:appointment_detail": _demo_appointment,
        "api:appointment_reschedule": _demo_appointment,
        "api:appointment_cancel": _demo_appointment,
        "api:point_detail": point_ref,
        "api:point_services": point_ref,
        "api:point_gaps": point_ref,
        "api:agency_detail": lambda: {"code": "kela"},
        "admin:view_on_site": view_on_site,
        "planning:scenario_status": scenario_id,
        "planning:scenario_csv": scenario_id,
        "planning:scenario_png": scenario_id,
        "planning:scenario_html": scenario_id,
        "planning:scenario_delete": new_scenario,
        # An empty POST: answered with a message on the appointment's page, nothing changed.
        "schedule:appointment_action": appointment_pk,
        "calendar:feed": lambda: {"token": "revoked-or-unknown"},  # nosec B105 (no secret)
        "statistics:csv": lambda: {"figure": "remote-share"},
        "statistics:public_csv": lambda: {"figure": "remote-share"},
        "ledger:statement_approve": statement_id,
        "ledger:statement_send": statement_id,
        "ledger:statement_csv": statement_id,
        "ledger:statement_xlsx": statement_id,
        "meetings:document": demo_meeting_document,
        "meetings:phone": lambda: {"token": demo_meeting_document()["token"]},
    }


def _demo_service() -> tuple[ServicePoint, Service]:
    """A service of the demo point offered for remote meetings, with a bookable expert (the demo data
    has no experts yet: made here the first time)."""
    point = ServicePoint.objects.get(slug=DEMO_POINT)
    offering = (
        ServiceOffering.objects.filter(point=point, channel=Channel.REMOTE_MEETING)
        .select_related("service__agency")
        .order_by("pk")
        .first()
    )
    if offering is None:
        offering = ServiceOfferingFactory.create(point=point, channel=Channel.REMOTE_MEETING)
    service = offering.service
    if not Expert.objects.filter(services=service).exists():
        expert_create(agency=service.agency, services=[service])
    return point, service


def _demo_free_time() -> dt.datetime:
    point, service = _demo_service()
    request = slot_request_build(
        point=point, service_ids=[service.pk], channel=Channel.REMOTE_MEETING, language="fi"
    )
    now = timezone.now()
    return slot_search(viewer=None, request=request, start=now, end=now + dt.timedelta(days=30), limit=1)[
        0
    ].start


def _demo_booking(kwargs: dict[str, str] | None = None) -> dict[str, Any]:
    point, service = _demo_service()
    return {
        "start": _demo_free_time().isoformat(),
        "point": point.pk,
        "services": [service.pk],
        "channel": Channel.REMOTE_MEETING,
        "language": "fi",
        "customer": {"name": "Matriisi Asiakas", "email": "matriisi@example.fi"},
    }


def _demo_appointment() -> dict[str, str]:
    """A new appointment at the demo point for each role to open, move or cancel."""
    point, service = _demo_service()
    request = slot_request_build(
        point=point, service_ids=[service.pk], channel=Channel.REMOTE_MEETING, language="fi"
    )
    appointment = appointment_book(
        request=request,
        start=_demo_free_time(),
        customer=CustomerContact(name="Matriisi Asiakas", email="matriisi@example.fi"),
    )
    return {"code": appointment.code}


def _contact(kwargs: dict[str, str]) -> dict[str, str]:
    return {"email": "matriisi@example.fi"}


def _slot_query(kwargs: dict[str, str]) -> dict[str, Any]:
    point, service = _demo_service()
    today = timezone.localdate()
    return {
        "point": point.pk,
        "service": service.pk,
        "channel": Channel.REMOTE_MEETING,
        "language": "fi",
        "from": today.isoformat(),
        "to": (today + dt.timedelta(days=14)).isoformat(),
    }


#: Query parameters by route: fixed, or made from the route's parameters.
_QUERY: dict[str, dict[str, str] | Callable[[dict[str, str]], dict[str, Any]]] = {
    "api:slot_list": _slot_query,
    "api:service_search": {"q": "passi", "lang": "fi"},
    "api:appointment_detail": _contact,
    "api:appointment_reschedule": _contact,
    "api:appointment_cancel": _contact,
    "admin:autocomplete": {
        "app_label": "network",
        "model_name": "servicepoint",
        "field_name": "municipality",
        "term": "Kar",
    },
}
_POST_DATA: dict[str, dict[str, str] | Callable[[dict[str, str]], dict[str, Any]]] = {
    "set_language": {"language": "sv", "next": "/sv/"},
    # The API's bodies are JSON.
    "api:appointment_book": _demo_booking,
    "api:appointment_reschedule": lambda kwargs: {"start": _demo_free_time().isoformat()},
    "api:desk_transaction_record": lambda kwargs: {
        "agency": Agency.objects.get(code="kela").pk,
        "duration_seconds": 300,
    },
    "api:callback_create": lambda kwargs: {
        "point": ServicePoint.objects.get(slug=DEMO_POINT).pk,
        "agency": Agency.objects.get(code="kela").pk,
        "customer_name": "Matriisi Asiakas",
        "customer_phone": "040 000 0000",
        "topic": "Asumistuki",
        "consent": True,
    },
    "api:callback_close": lambda kwargs: {"outcome": "reached"},
    "api:callnow_create": lambda kwargs: _callnow_body(),
}


def _callnow_body() -> dict[str, Any]:
    """A call-now request for Kela in a new booth of the demo point (free whatever was asked before)."""
    from asiointi.network.models import Booth

    point = ServicePoint.objects.get(slug=DEMO_POINT)
    booth = Booth.objects.create(point=point, name=f"Matriisikoppi {Booth.objects.count() + 1}")
    return {"agency": Agency.objects.get(code="kela").pk, "booth": booth.pk, "language": "fi"}


#: The administration's views of one row, by route: the model admin and the row asked for (the
#: demo point's own row where the model has one, as the sweep opens it).
_ROWS: dict[str, tuple[Any, models.Model]] = {}


def _rows() -> dict[str, tuple[Any, models.Model]]:
    if not _ROWS:
        for model, model_admin in admin.site._registry.items():
            opts = model._meta
            obj = sample_object(model)
            for view in ("change", "history", "delete"):
                _ROWS[f"admin:{opts.app_label}_{opts.model_name}_{view}"] = (model_admin, obj)
    return _ROWS


def _sees(model_admin: Any, role: str, obj: models.Model) -> bool:
    """Whether the grants of the model admin let the demo user of ``role`` see ``obj``."""
    if role == Role.ADMINISTRATOR.value or not isinstance(model_admin, ScopedAdminMixin):
        return True
    user = _demo_user(role)
    for grant in model_admin.grants:
        if grant.role != role or not {"view", "change"} & grant.actions:
            continue
        if grant.reach == "all":
            return True
        path = model_admin.point_attr if grant.reach == "point" else model_admin.agency_attr
        if path is None:
            continue
        value = obj
        for part in path.split("."):
            value = getattr(value, part)
        held = Membership.objects.filter(user=user, role=role)
        ids = held.values_list("point_id" if grant.reach == "point" else "agency_id", flat=True)
        if value in set(ids):
            return True
    return False


def _expected(name: str, access: Access, role: str) -> Answer:
    """The table's answer, for a row of the administration also judged by the row's place: a row
    outside every reach of the role does not exist for it (404)."""
    answer = access.answer(role)
    if name in _rows() and answer in (Answer.ALLOWED, Answer.FORBIDDEN):
        model_admin, obj = _rows()[name]
        if not _sees(model_admin, role, obj):
            return Answer.NOT_FOUND
    return answer


def _path_and_kwargs(name: str) -> tuple[str, dict[str, str]]:
    specs = registry()
    provider = specs[name].kwargs if name in specs else _extra_kwargs().get(name)
    kwargs = provider() if provider else None
    if name in _rows():
        kwargs = {"object_id": str(_rows()[name][1].pk)}
    # An operation of the API is reversed by its path's URL name (two methods share one path).
    url_name = {op.name: op.path_name for op in operations()}.get(name, name)
    with translation.override("fi"):
        return reverse(url_name, kwargs=kwargs or None), kwargs or {}


def _ask(client: Client, name: str, access: Access) -> Any:
    """Use the route as ``access`` says: GET with its query, a page's POST with form data, and an
    operation of the API's other methods with a JSON body."""
    path, kwargs = _path_and_kwargs(name)
    query = _QUERY.get(name, {})
    query = query(kwargs) if callable(query) else query
    data = _POST_DATA.get(name, {})
    data = data(kwargs) if callable(data) else data
    if access.method == "GET":
        return client.get(path, query)
    if not name.startswith("api:"):
        return client.post(path, data)
    url = f"{path}?{urlencode(query)}" if query else path
    return client.generic(access.method, url, json.dumps(data), content_type="application/json")


def _answer(response: HttpResponse, access: Access) -> str:
    status = response.status_code
    location = response.headers.get("Location", "")
    if status == 302 and location == BOOTH_SCREEN_PATH:
        return Answer.BOOTH_SCREEN
    if status in (301, 302) and location.split("?")[0].endswith(SIGN_IN_PATHS):
        return Answer.SIGN_IN
    if status == 401 and access.api and response.json()["code"] == "not_authenticated":
        return Answer.SIGN_IN
    if status == access.status:
        return Answer.ALLOWED
    if status == 403:
        return Answer.FORBIDDEN
    if status == 404:
        return Answer.NOT_FOUND
    return f"unexpected status {status} {location}"


def load_matrix_demo(settings: Any) -> None:
    """The demo data that every role is asked over (the modules walking the matrix share it)."""
    # Every role asks from one address: the limits per address must not answer for the table.
    settings.API_PUBLIC_LIMIT_PER_MINUTE = 10_000
    settings.BOOKING_LIMIT_PER_HOUR = 0
    call_command("load_demo", months=1, stdout=StringIO())
    make_samples()
    AuditEventFactory.create(
        action=AuditAction.SIGN_IN, actor_email="yllapitaja@demo.asiointi.fi", summary="sample"
    )
    _ROWS.clear()


@pytest.fixture
def demo(db: Any, settings: Any) -> None:
    load_matrix_demo(settings)


#: The walk over every route is the longest test of the suite: it asks the first half of the roles
#: here and the other half in test_access_matrix_other_roles.py, so that parallel workers (pytest-xdist,
#: which keeps a module on one worker) share it. Together the halves are every role of the matrix.
FIRST_ROLES = MATRIX_ROLES[: len(MATRIX_ROLES) // 2]
OTHER_ROLES = MATRIX_ROLES[len(MATRIX_ROLES) // 2 :]


def test_access_matrix__the_halves_of_the_roles__are_every_role_once() -> None:
    assert FIRST_ROLES and OTHER_ROLES
    assert FIRST_ROLES + OTHER_ROLES == MATRIX_ROLES


def assert_every_route_answers_as_the_table_says(roles: tuple[str, ...]) -> None:
    """Every route asked as each of ``roles`` gives the table's answer, with the strict CSP."""
    table = matrix()
    routes = [route.name for route in named_routes()]
    missing = sorted(name for name in routes if name not in table)

    wrong: list[tuple[str, str, str, str]] = []
    without_csp: list[tuple[str, str]] = []
    asked = 0
    for name in routes:
        if name not in table:
            continue
        access = table[name]
        for role in roles:
            client = _client(role)
            response = _ask(client, name, access)
            asked += 1
            # Every answer carries the strict Content-Security-Policy: pages, redirects and refusals.
            policy = response.headers.get("Content-Security-Policy", "")
            if "script-src 'self'" not in policy or "unsafe-" in policy:
                without_csp.append((name, role))
            expected, found = _expected(name, access, role), _answer(response, access)
            if found != expected:
                wrong.append((name, role, f"expected {expected}", f"got {found}"))
    assert not wrong, "\n".join(map(str, wrong))
    assert not without_csp, without_csp
    assert not missing, f"routes missing from the access matrix (asiointi/accounts/access.py): {missing}"
    assert asked == len(routes) * len(roles)


def test_access_matrix__every_route_and_role__answers_as_the_table_says(demo: None) -> None:
    """The first half of the roles (the other half: test_access_matrix_other_roles.py)."""
    assert_every_route_answers_as_the_table_says(FIRST_ROLES)


def test_access_matrix__booth_device__reaches_only_public_information_and_its_own_booth_screen() -> None:
    """A booth's screen stands in a public place: no staff page, no administration, no personal
    data. Everything else sends it back to its booth screen."""
    table = matrix()
    allowed = {
        name: access.roles[BOOTH_DEVICE] for name, access in table.items() if BOOTH_DEVICE in access.roles
    }

    assert set(allowed.values()) <= {Reach.PUBLIC, Reach.OWN_BOOTH}
    assert {name for name, reach in allowed.items() if reach == Reach.OWN_BOOTH} == {
        "accounts:booth_screen",
        "meetings:kiosk",
        "meetings:kiosk_feedback",
    }
    assert not any(
        name.startswith(("admin:", "accounts:")) for name, reach in allowed.items() if reach == Reach.PUBLIC
    )
    refused = {access.answer(BOOTH_DEVICE) for name, access in table.items() if name not in allowed}
    assert refused == {Answer.BOOTH_SCREEN, Answer.SIGN_IN}
    # A refused operation of the API answers 401 (the table's sign-in); every page, the booth screen.
    assert all(
        access.api == (access.answer(BOOTH_DEVICE) == Answer.SIGN_IN)
        for name, access in table.items()
        if name not in allowed
    )


def test_access_matrix__model_admin_without_grants_or_listing__fails_naming_it(monkeypatch: Any) -> None:
    from django.contrib.sessions.models import Session

    from asiointi.accounts import access

    site = admin.AdminSite()
    site.register(Session)
    monkeypatch.setattr(access.admin, "site", site)

    with pytest.raises(UncoveredModelAdmin, match=r"sessions\.Session"):
        access.matrix()


def test_access_matrix_document__is_the_table_as_it_stands() -> None:
    from pathlib import Path

    from django.conf import settings

    from asiointi.accounts.management.commands.access_matrix import render

    document = Path(settings.BASE_DIR) / "docs" / "access-matrix.md"
    assert document.read_text(encoding="utf-8") == render(), (
        "docs/access-matrix.md is out of date: run `manage.py access_matrix > docs/access-matrix.md`"
    )
