"""event_publish sends to a Channels group only once the transaction commits, never when it rolls back."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.db import transaction

from asiointi.core.events import InvalidGroup, event_publish

pytestmark = pytest.mark.django_db(transaction=True)


def received(layer: Any, group: str, action: Any) -> list[dict[str, Any]]:
    """What a member of ``group`` receives while ``action()`` runs (sync, outside the event loop)."""

    async def join() -> str:
        name = await layer.new_channel()
        await layer.group_add(group, name)
        return name

    async def drain(name: str) -> list[dict[str, Any]]:
        messages = []
        while True:
            try:
                messages.append(await asyncio.wait_for(layer.receive(name), timeout=0.2))
            except TimeoutError:
                return messages

    name = async_to_sync(join)()
    action()
    return async_to_sync(drain)(name)


def test_event_publish__transaction_commits__sent_after_commit(channel_layer):

    def action() -> None:
        with transaction.atomic():
            event_publish(group="test.events", payload={"n": 1})

    messages = received(channel_layer, "test.events", action)

    assert [m["payload"] for m in messages] == [{"n": 1}]
    assert messages[0]["type"] == "core.event"


def test_event_publish__transaction_rolls_back__nothing_sent(channel_layer):
    def action() -> None:
        with pytest.raises(RuntimeError), transaction.atomic():
            event_publish(group="test.events", payload={"n": 1})
            raise RuntimeError("rolled back")

    assert received(channel_layer, "test.events", action) == []


def test_event_publish__outside_a_transaction__sent_at_once(channel_layer):
    messages = received(
        channel_layer, "test.events", lambda: event_publish(group="test.events", payload={"n": 2})
    )

    assert [m["payload"] for m in messages] == [{"n": 2}]


def test_event_publish__bad_group_name__refused_before_anything_is_sent(channel_layer):
    with pytest.raises(InvalidGroup):
        event_publish(group="no spaces allowed", payload={})


def test_event_publish__layer_unreachable__logged_not_raised(settings, caplog):
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    channel_layers.backends.clear()
    try:
        event_publish(group="test.events", payload={"n": 3})
    finally:
        channel_layers.backends.clear()

    assert "Could not send a live event to test.events" in caplog.text
