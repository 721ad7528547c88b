"""The signalling socket of a video room (``/ws/meetings/<room_id>/?join=<token>``).

Who: the socket's person (the session's user) or booth screen (the device session) must be the
participant that the personal join token names, and the token must be of this room and usable now
(:mod:`asiointi.meetings.tokens`); otherwise the socket is refused before it is accepted, with
:data:`~asiointi.core.sockets.CLOSE_UNAUTHENTICATED` for a forged or changed token or one of another
room, :data:`~asiointi.core.sockets.CLOSE_FORBIDDEN` for a link that is not the viewer's, too early,
expired, of a removed participant or of an ended meeting.

What: every message is authorised against the room's state in the database when it arrives, never
against what this process remembers (the participants of one meeting may be connected to different
worker processes). Browser to server, as JSON:

* ``{"type": "signal", "to": <participant id>, "data": {...}}``: an offer, answer or ICE candidate
  for another participant of the same room; both must be in the meeting (admitted);
* ``{"type": "chat", "text": "..."}``: a chat message to everybody in the meeting;
* ``{"type": "admit" | "remove", "participant": <id>}`` and ``{"type": "end"}``: an expert only;
* ``{"type": "video_fallback", "reason": "..."}``: this browser cannot reach the room's Janus, so the
  whole room goes browser to browser (:func:`~asiointi.meetings.services.room_video_fallback`).

With ``&watch=1`` the socket only listens, for the page's documents panel: it authorises the same way
but does not join the meeting (nor leave it when it closes), takes no message, and passes on the room's
``document_added`` and ``phone_chosen`` events (:mod:`asiointi.meetings.documents`).

Server to browser: ``state`` (the room as :func:`~asiointi.meetings.selectors.room_state` gives it, at
connect and after every change: late joiners see the meeting as it is), ``signal``, ``chat``,
``error``, and ``removed`` or ``ended`` before the server closes the socket.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from asiointi.core.sockets import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED

from . import selectors, services
from .documents import panel_group
from .models import Participant, ParticipantKind, ParticipantState, RoomState
from .tokens import JoinRefused, join_token_participant

#: The largest signalling payload passed on (an SDP offer with several tracks is a few kilobytes).
MAX_SIGNAL_BYTES = 64 * 1024
MAX_CHAT_LENGTH = 1000
#: The close code after the participant was removed or the meeting ended.
CLOSE_DONE = 4000


class MeetingConsumer(AsyncJsonWebsocketConsumer):
    room_id: int
    participant_id: int | None = None
    groups_joined: list[str]
    #: A listening socket of the page's documents panel (``&watch=1``), not the meeting's own.
    watch: bool = False

    def _query(self, name: str) -> str:
        values = parse_qs(self.scope.get("query_string", b"").decode("latin-1")).get(name)
        return values[0] if values else ""

    def _authorise(self, token: str) -> int:
        try:
            participant = join_token_participant(token=token, room_id=self.room_id)
        except JoinRefused as refused:
            return CLOSE_UNAUTHENTICATED if refused.reason == "invalid" else CLOSE_FORBIDDEN
        user = self.scope.get("user")
        booth_device = self.scope.get("booth_device")
        if not selectors.participant_is_viewer(participant=participant, user=user, booth_device=booth_device):
            return CLOSE_FORBIDDEN
        if self.watch:
            self.participant_id = participant.pk
            return 0
        try:
            services.participant_join(participant=participant)
        except services.MeetingRefused:
            return CLOSE_FORBIDDEN
        self.participant_id = participant.pk
        return 0

    async def connect(self) -> None:
        self.groups_joined = []
        self.room_id = int(self.scope["url_route"]["kwargs"]["room_id"])
        self.watch = self._query("watch") == "1"
        refusal = await database_sync_to_async(self._authorise)(self._query("join"))
        if refusal or self.participant_id is None:
            await self.close(code=refusal or CLOSE_FORBIDDEN)
            return
        groups: tuple[str, ...]
        if self.watch:
            groups = (panel_group(self.room_id),)
        else:
            groups = (services.room_group(self.room_id), services.participant_group(self.participant_id))
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.append(group)
        await self.accept()
        if not self.watch:
            await self._send_state()

    async def disconnect(self, code: int) -> None:
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
        if self.participant_id is not None and not self.watch:
            await database_sync_to_async(self._leave)()

    def _leave(self) -> None:
        me = selectors.participant_current(participant_id=self.participant_id or 0)
        if me is not None:
            services.participant_leave(participant=me)

    def _me(self) -> Participant | None:
        """This socket's participant as the database has it now, while they are in this room."""
        me = selectors.participant_current(participant_id=self.participant_id or 0)
        if me is None or me.room_id != self.room_id:
            return None
        return me

    # --- from the browser --------------------------------------------------------------------------

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if self.watch or not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_json({"type": "error", "code": "bad_message"})
            return
        reply = await database_sync_to_async(self._handle)(content)
        if reply is not None:
            kind, payload = reply
            if kind == "send":
                await self.send_json(payload)
            else:
                await self.channel_layer.group_send(kind, payload)

    def _handle(self, content: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
        """What to do with one message: ("send", reply) to this browser, or (group, message) to a
        group of the channel layer, or None."""
        me = self._me()
        if me is None or me.state != ParticipantState.ADMITTED or me.room.state == RoomState.ENDED:
            return "send", {"type": "error", "code": "not_admitted"}
        kind = content["type"]
        if kind == "signal":
            return self._signal(me, content)
        if kind == "chat":
            text = content.get("text")
            if not isinstance(text, str) or not text.strip() or len(text) > MAX_CHAT_LENGTH:
                return "send", {"type": "error", "code": "bad_message"}
            return services.room_group(self.room_id), {
                "type": "meetings.chat",
                "room": self.room_id,
                "from": me.pk,
                "name": me.display_name,
                "text": text.strip(),
            }
        if kind in ("admit", "remove", "end"):
            return self._expert_action(me, kind, content)
        if kind == "video_fallback":
            reason = content.get("reason")
            services.room_video_fallback(participant=me, reason=reason if isinstance(reason, str) else "")
            return None
        return "send", {"type": "error", "code": "bad_message"}

    def _signal(self, me: Participant, content: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        to = content.get("to")
        data = content.get("data")
        if not isinstance(to, int) or not isinstance(data, dict) or len(json.dumps(data)) > MAX_SIGNAL_BYTES:
            return "send", {"type": "error", "code": "bad_message"}
        target = selectors.participant_in_room(room_id=self.room_id, participant_id=to)
        if target is None or target.pk == me.pk or target.state != ParticipantState.ADMITTED:
            return "send", {"type": "error", "code": "not_in_meeting"}
        return services.participant_group(target.pk), {
            "type": "meetings.signal",
            "room": self.room_id,
            "from": me.pk,
            "data": data,
        }

    def _expert_action(
        self, me: Participant, kind: str, content: dict[str, Any]
    ) -> tuple[str, dict[str, Any]] | None:
        if me.kind != ParticipantKind.EXPERT:
            return "send", {"type": "error", "code": "forbidden"}
        try:
            if kind == "end":
                services.meeting_end(room=me.room, by=me)
                return None
            target_id = content.get("participant")
            target = (
                selectors.participant_in_room(room_id=self.room_id, participant_id=target_id)
                if isinstance(target_id, int)
                else None
            )
            if target is None:
                return "send", {"type": "error", "code": "not_in_meeting"}
            if kind == "admit":
                services.participant_admit(participant=target, by=me)
            else:
                services.participant_remove(participant=target, by=me)
        except services.MeetingRefused:
            return "send", {"type": "error", "code": "forbidden"}
        return None

    # --- from the channel layer --------------------------------------------------------------------

    def _state_or_end(self) -> dict[str, Any]:
        me = self._me()
        if me is None or me.state == ParticipantState.REMOVED:
            return {"type": "removed"}
        if me.room.state == RoomState.ENDED:
            return {"type": "ended"}
        return selectors.room_state(participant=me)

    async def _send_state(self) -> None:
        message = await database_sync_to_async(self._state_or_end)()
        await self.send_json(message)
        if message["type"] in ("removed", "ended"):
            self.participant_id = None if message["type"] == "removed" else self.participant_id
            await self.close(code=CLOSE_DONE)

    async def core_event(self, message: dict[str, Any]) -> None:
        """A change of the room (:func:`asiointi.core.events.event_publish`): send the state again. On
        a listening socket, a new document or the customer's choice to call by phone."""
        if self.watch:
            payload = message.get("payload") or {}
            if payload.get("kind") in ("document_added", "phone_chosen"):
                await self.send_json({**payload, "type": payload["kind"]})
            return
        await self._send_state()

    def _admitted_here(self) -> bool:
        me = self._me()
        return me is not None and me.state == ParticipantState.ADMITTED and me.room.state != RoomState.ENDED

    async def meetings_signal(self, message: dict[str, Any]) -> None:
        """An offer, answer or ICE candidate for this participant; passed on only while they are in
        the meeting."""
        if message.get("room") == self.room_id and await database_sync_to_async(self._admitted_here)():
            await self.send_json({"type": "signal", "from": message["from"], "data": message["data"]})

    async def meetings_chat(self, message: dict[str, Any]) -> None:
        """A chat message of the room; passed on only to those in the meeting (not the waiting room)."""
        if message.get("room") == self.room_id and await database_sync_to_async(self._admitted_here)():
            await self.send_json(
                {"type": "chat", "from": message["from"], "name": message["name"], "text": message["text"]}
            )
