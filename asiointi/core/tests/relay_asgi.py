"""A small ASGI application for the test of events between processes (test_events_between_processes):
the product's settings, channel layer, event_publish and EventConsumer, with two routes of its own.

* HTTP ``POST /publish/<group>/``: publishes ``{"published_by": <pid>}`` to the group with
  :func:`asiointi.core.events.event_publish`; ``GET /`` answers with the process id once the process is up.
* WebSocket ``/ws/events/<group>/``: an :class:`asiointi.core.sockets.EventConsumer` that follows the
  group (no sign-in: these processes serve only the test).
"""

from __future__ import annotations

import os
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from asgiref.sync import sync_to_async  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from asiointi.core.events import event_publish  # noqa: E402
from asiointi.core.sockets import EventConsumer  # noqa: E402


class GroupListener(EventConsumer):
    async def authorise(self) -> list[str] | int:
        return [self.scope["url_route"]["kwargs"]["group"]]


async def http(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    while (await receive()).get("more_body"):
        pass
    body = str(os.getpid()).encode()
    parts = scope["path"].strip("/").split("/")
    if scope["method"] == "POST" and len(parts) == 2 and parts[0] == "publish":
        await sync_to_async(event_publish)(group=parts[1], payload={"published_by": os.getpid()})
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": body})


application = ProtocolTypeRouter(
    {
        "http": http,
        "lifespan": http,
        "websocket": URLRouter([path("ws/events/<str:group>/", GroupListener.as_asgi())]),
    }
)
