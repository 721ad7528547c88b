"""The access matrix's WebSocket section holds: every socket route of config/asgi.py is listed, and
each, opened as every role (a booth's screen included), is accepted or refused as the table says."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.test import Client

from asiointi.accounts.access import ANONYMOUS, BOOTH_DEVICE, MATRIX_ROLES, SOCKETS, SocketAnswer
from asiointi.accounts.models import AGENCY_ROLES, POINT_ROLES
from asiointi.accounts.testing import login_booth_device, login_staff
from asiointi.core.sockets import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED
from asiointi.factories import BoothFactory, ScenarioFactory
from asiointi.websocket_testing import socket_outcome

pytestmark = pytest.mark.django_db

EXPECTED = {
    SocketAnswer.ALLOWED: (True, None),
    SocketAnswer.UNAUTHENTICATED: (False, CLOSE_UNAUTHENTICATED),
    SocketAnswer.FORBIDDEN: (False, CLOSE_FORBIDDEN),
}


def test_socket_access__every_socket_route__listed_in_the_matrix():
    from config.asgi import websocket_urlpatterns

    names = {pattern.name for pattern in websocket_urlpatterns}

    assert names == set(SOCKETS), "list every socket route in SOCKETS (asiointi/accounts/access.py)"


def _client(role: str, staff_user: Any, point: Any, agency: Any) -> Client:
    client = Client()
    if role == BOOTH_DEVICE:
        login_booth_device(client, BoothFactory.create(point=point))
    elif role != ANONYMOUS:
        scope = (
            {"point": point} if role in POINT_ROLES else {"agency": agency} if role in AGENCY_ROLES else {}
        )
        login_staff(client, staff_user(role, **scope))
    return client


def _path(name: str, point: Any, agency: Any) -> str:
    if name == "desk:live":
        return f"/ws/desk/{point.pk}/"
    if name == "callbacks:live":
        return f"/ws/callbacks/{agency.pk}/"
    if name == "schedule:point_day_live":
        return f"/ws/scheduling/points/{point.pk}/day/"
    if name == "planning:scenario_progress":
        return f"/ws/planning/{ScenarioFactory.create(name='S', mode='evaluate').pk}/"
    raise AssertionError(f"no sample path for the socket route {name}: add one here")


@pytest.mark.parametrize("role", MATRIX_ROLES)
@pytest.mark.parametrize("name", list(SOCKETS))
def test_socket_access__every_role__answered_as_the_table_says(
    name, role, staff_user, point_a, kela, channel_layer
):
    client = _client(role, staff_user, point_a, kela)

    outcome = async_to_sync(socket_outcome)(_path(name, point_a, kela), client=client)

    assert outcome == EXPECTED[SOCKETS[name].answer(role)], f"{name} as {role}"
