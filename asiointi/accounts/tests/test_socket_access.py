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


def _client(role: str, staff_user: Any, point: Any, agency: Any) -> tuple[Client, Any]:
    """A client signed in as ``role``, and who it is (the user, or the booth of a booth's screen)."""
    client = Client()
    who = None
    if role == BOOTH_DEVICE:
        who = BoothFactory.create(point=point)
        login_booth_device(client, who)
    elif role != ANONYMOUS:
        scope = (
            {"point": point} if role in POINT_ROLES else {"agency": agency} if role in AGENCY_ROLES else {}
        )
        who = staff_user(role, **scope)
        login_staff(client, who)
    return client, who


def _meeting_query(role: str, who: Any, point: Any, agency: Any) -> tuple[str, str]:
    """A room of now with the person (or booth) of ``role`` in it when the role takes part in
    meetings, and their own join link; for any other role, another participant's link."""
    import datetime as dt

    from django.utils import timezone

    from asiointi.meetings import services
    from asiointi.meetings.models import ParticipantKind
    from asiointi.meetings.tokens import join_token_issue

    now = timezone.now()
    room = services.room_create(
        point_id=point.pk,
        starts=now - dt.timedelta(minutes=1),
        ends=now + dt.timedelta(minutes=30),
        booth=who if role == BOOTH_DEVICE else BoothFactory.create(point=point),
    )
    kinds = {"expert": ParticipantKind.EXPERT, "interpreter": ParticipantKind.INTERPRETER}
    if role in ("expert", "interpreter", "advisor"):
        participant = services.participant_add(
            room=room, kind=kinds.get(role, ParticipantKind.ADVISOR), user=who, agency_id=agency.pk
        )
    else:
        participant = room.participants.get()
    return f"/ws/meetings/{room.pk}/", f"join={join_token_issue(participant=participant)}"


def _path(name: str, role: str, who: Any, point: Any, agency: Any) -> tuple[str, str]:
    if name == "desk:live":
        return f"/ws/desk/{point.pk}/", ""
    if name == "callbacks:live":
        return f"/ws/callbacks/{agency.pk}/", ""
    if name == "callnow:live":
        return f"/ws/callnow/{agency.pk}/", ""
    if name == "schedule:point_day_live":
        return f"/ws/scheduling/points/{point.pk}/day/", ""
    if name == "planning:scenario_progress":
        return f"/ws/planning/{ScenarioFactory.create(name='S', mode='evaluate').pk}/", ""
    if name == "meetings:signal":
        return _meeting_query(role, who, point, agency)
    raise AssertionError(f"no sample path for the socket route {name}: add one here")


#: Sockets whose consumer reads the database more than once per connection: their test commits (the
#: consumer's database calls close the connection, as in production).
COMMITTING = ("meetings:signal",)


def _check(name: str, role: str, staff_user: Any, point: Any, agency: Any) -> None:
    client, who = _client(role, staff_user, point, agency)
    path, query = _path(name, role, who, point, agency)

    outcome = async_to_sync(socket_outcome)(path, client=client, query=query)

    assert outcome == EXPECTED[SOCKETS[name].answer(role)], f"{name} as {role}"


@pytest.mark.parametrize("role", MATRIX_ROLES)
@pytest.mark.parametrize("name", [name for name in SOCKETS if name not in COMMITTING])
def test_socket_access__every_role__answered_as_the_table_says(
    name, role, staff_user, point_a, kela, channel_layer
):
    _check(name, role, staff_user, point_a, kela)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", MATRIX_ROLES)
@pytest.mark.parametrize("name", COMMITTING)
def test_socket_access__every_role_on_a_committing_socket__answered_as_the_table_says(
    name, role, staff_user, point_a, kela, channel_layer
):
    _check(name, role, staff_user, point_a, kela)
