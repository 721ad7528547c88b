"""Live updates: a point's desk and an agency's callback queue hear of changes over Channels after
commit; another agency's expert never receives the message, nor another point's advisor."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.test import Client

from asiointi.accounts.models import Role
from asiointi.core.events import EVENT_TYPE
from asiointi.core.sockets import CLOSE_FORBIDDEN
from asiointi.desk import services
from asiointi.desk.routing import callbacks_socket_path, desk_socket_path
from asiointi.desk.services import callback_group
from asiointi.websocket_testing import socket_communicator, socket_outcome

pytestmark = pytest.mark.django_db


def test_callback_file__publishes_to_the_agency_and_the_point_after_commit(
    callback_data, kela, point_a, django_capture_on_commit_callbacks, monkeypatch
):
    sent: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr("asiointi.core.events._send", lambda group, payload: sent.append((group, payload)))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        filed = services.callback_file(data=callback_data(), by=None)
    assert sent == []  # nothing before the commit
    for callback in callbacks:
        callback()

    assert (callback_group(kela.pk), {"kind": "callbacks", "id": filed.pk}) in sent
    assert (services.desk_group(point_a.pk), {"kind": "callbacks", "id": filed.pk}) in sent
    assert all("040" not in str(payload) for _group, payload in sent)  # no personal data


def test_callbacks_socket__expert_of_another_agency__refused(staff_client, kela, vero, channel_layer):
    tax_expert = staff_client(Role.EXPERT, agency=vero)

    assert async_to_sync(socket_outcome)(callbacks_socket_path(kela.pk), client=tax_expert) == (
        False,
        CLOSE_FORBIDDEN,
    )


def test_desk_socket__advisor_of_another_point__refused(staff_client, point_a, point_b, channel_layer):
    other = staff_client(Role.ADVISOR, point=point_b)

    assert async_to_sync(socket_outcome)(desk_socket_path(point_a.pk), client=other) == (
        False,
        CLOSE_FORBIDDEN,
    )


def test_callbacks_socket__kela_request__reaches_kela_expert_and_never_the_tax_expert(
    staff_client, kela, vero, channel_layer
):
    kela_expert: Client = staff_client(Role.EXPERT, agency=kela)
    tax_expert: Client = staff_client(Role.EXPERT, agency=vero)

    async def follow() -> tuple[dict[str, Any], bool]:
        kela_socket = socket_communicator(callbacks_socket_path(kela.pk), client=kela_expert)
        tax_socket = socket_communicator(callbacks_socket_path(vero.pk), client=tax_expert)
        assert (await kela_socket.connect(timeout=5))[0]
        assert (await tax_socket.connect(timeout=5))[0]
        # What event_publish sends after the commit of a Kela request.
        await channel_layer.group_send(
            callback_group(kela.pk), {"type": EVENT_TYPE, "payload": {"kind": "callbacks", "id": 7}}
        )
        heard = await kela_socket.receive_json_from(timeout=5)
        tax_heard = not await tax_socket.receive_nothing(timeout=0.5)
        await kela_socket.disconnect()
        await tax_socket.disconnect()
        return heard, tax_heard

    heard, tax_heard = async_to_sync(follow)()

    assert heard == {"kind": "callbacks", "id": 7}
    assert tax_heard is False
