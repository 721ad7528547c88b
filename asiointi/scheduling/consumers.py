"""The point's day view of its booths, live: a WebSocket that tells of each appointment booked, moved
or cancelled at one point (the events of :func:`asiointi.scheduling.services.appointment_group`, sent
after the change has committed), so that the page reads its day again.

Only those who may open that point's day view follow it (:func:`selectors.point_day_points`: the
point's advisors and point manager, administrators); other staff are refused with
:data:`~asiointi.core.sockets.CLOSE_FORBIDDEN`, a point that does not exist with
:data:`~asiointi.core.sockets.CLOSE_NOT_FOUND`. The page polls as well, so a lost event only delays.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from asiointi.core.sockets import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, EventConsumer
from asiointi.network.models import ServicePoint

from . import selectors
from .services import appointment_group


class PointDayConsumer(EventConsumer):
    def _authorise(self, point_id: int) -> list[str] | int:
        if not ServicePoint.objects.filter(pk=point_id).exists():
            return CLOSE_NOT_FOUND
        if not selectors.point_day_points(viewer=self.scope["user"]).filter(pk=point_id).exists():
            return CLOSE_FORBIDDEN
        return [appointment_group(point_id=point_id)]

    async def authorise(self) -> list[str] | int:
        point_id = int(self.scope["url_route"]["kwargs"]["point_id"])
        return await database_sync_to_async(self._authorise)(point_id)

    async def present(self, payload: dict[str, Any]) -> dict[str, Any] | None:
        # What changed, not who: the page reads the day again with the viewer's own rights.
        return {"type": "appointment.changed", "change": payload.get("change", "")}
