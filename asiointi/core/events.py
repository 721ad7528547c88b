"""Live events to browsers: the one way every feature sends them.

:func:`event_publish` sends a payload to a Channels group (every WebSocket consumer that joined the
group forwards it to its browser) once the current transaction has committed, so a browser never hears
of a change that was rolled back, nor before it can read it. Outside a transaction it sends at once.
Across processes (web workers, task workers) the events travel through the channel layer, Redis when
``REDIS_URL`` is set; a lost event is not an error (pages keep a slower poll as a fallback), so a
failure to send is logged, never raised into the work that published it.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

#: The message type that consumers receive (a handler method named ``core_event``).
EVENT_TYPE = "core.event"

_GROUP_NAME = re.compile(r"^[a-zA-Z0-9_.-]{1,99}$")


class InvalidGroup(ValueError):
    """A group name that the channel layers do not accept (ASCII letters, digits, ``_.-``, < 100)."""


def _check_group(group: str) -> None:
    if not _GROUP_NAME.match(group):
        raise InvalidGroup(group)


def _send(group: str, payload: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": EVENT_TYPE, "payload": payload})
    except Exception:
        logger.exception("Could not send a live event to %s", group)


def event_publish(*, group: str, payload: dict[str, Any]) -> None:
    """Send ``payload`` (JSON-serialisable) to the WebSocket consumers of ``group`` after the current
    transaction commits; nothing is sent if it rolls back."""
    _check_group(group)
    data = dict(payload)
    transaction.on_commit(lambda: _send(group, data), robust=True)


def events_shared_between_processes() -> bool:
    """Whether published events reach every process (a shared channel layer such as Redis), not only
    the one that published them (the in-memory layer)."""
    return not isinstance(get_channel_layer(), InMemoryChannelLayer)
