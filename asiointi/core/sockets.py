"""What every WebSocket of Asiointi shares: the close codes of a refused socket, and a consumer that
forwards the events of :func:`asiointi.core.events.event_publish` to its browser.

A socket is refused before it is accepted (the browser sees the handshake fail; Channels' test
communicator sees the code):

* :data:`CLOSE_UNAUTHENTICATED` (4401): no signed-in user, an invalid or expired token, or a user who
  has not passed the second factor;
* :data:`CLOSE_FORBIDDEN` (4403): a user or a booth's screen whose role may not use the socket;
* :data:`CLOSE_NOT_FOUND` (4404): the row the socket follows does not exist.
"""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404


class EventConsumer(AsyncJsonWebsocketConsumer):
    """A server-to-browser socket: :meth:`authorise` names the groups to join (or refuses with a close
    code), then every event published to them is sent on as JSON, through :meth:`present`."""

    event_groups: list[str]

    async def authorise(self) -> list[str] | int:
        """The groups this socket follows, or the close code to refuse it with."""
        raise NotImplementedError

    async def welcome(self) -> dict[str, Any] | None:
        """A first message sent right after accepting (the current state), or None."""
        return None

    async def present(self, payload: dict[str, Any]) -> dict[str, Any] | None:
        """What the browser gets for one event's payload (None: nothing)."""
        return payload

    async def connect(self) -> None:
        self.event_groups = []
        outcome = await self.authorise()
        if isinstance(outcome, int):
            await self.close(code=outcome)
            return
        for group in outcome:
            await self.channel_layer.group_add(group, self.channel_name)
        self.event_groups = outcome
        await self.accept()
        first = await self.welcome()
        if first is not None:
            await self.send_json(first)

    async def disconnect(self, code: int) -> None:
        for group in self.event_groups:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """The browser has nothing to say on these sockets; what it sends is ignored."""

    async def core_event(self, message: dict[str, Any]) -> None:
        """An event of :data:`asiointi.core.events.EVENT_TYPE` from one of the groups."""
        shown = await self.present(message["payload"])
        if shown is not None:
            await self.send_json(shown)
