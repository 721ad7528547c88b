"""Live updates of the desk and of the callback queues. A socket follows one point's desk (its
advisors) or one agency's queue (its experts and coordinators); anyone else is refused before it is
accepted. The events carry no personal data: the page reloads its panel through the scoped views."""

from __future__ import annotations

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied

from asiointi.accounts.selectors import user_scope
from asiointi.core.sockets import CLOSE_FORBIDDEN, EventConsumer
from asiointi.network.models import ServicePoint

from . import selectors
from .services import callback_group, callnow_group, desk_group


class DeskConsumer(EventConsumer):
    def _authorise(self, point_id: int) -> list[str] | int:
        try:
            selectors.access_desk_point_id(viewer=self.scope["user"], point_id=point_id)
        except (PermissionDenied, ServicePoint.DoesNotExist):
            return CLOSE_FORBIDDEN
        return [desk_group(point_id)]

    async def authorise(self) -> list[str] | int:
        return await database_sync_to_async(self._authorise)(
            int(self.scope["url_route"]["kwargs"]["point_id"])
        )


class CallbackQueueConsumer(EventConsumer):
    def _authorise(self, agency_id: int) -> list[str] | int:
        scope = user_scope(user=self.scope["user"])
        if agency_id not in scope.agencies_for(*selectors.CALLBACK_AGENCY_READERS):
            return CLOSE_FORBIDDEN
        return [callback_group(agency_id)]

    async def authorise(self) -> list[str] | int:
        return await database_sync_to_async(self._authorise)(
            int(self.scope["url_route"]["kwargs"]["agency_id"])
        )


class CallNowQueueConsumer(EventConsumer):
    """An agency's call-now queue, for its experts: each new, taken, cancelled or expired call."""

    def _authorise(self, agency_id: int) -> list[str] | int:
        try:
            agencies = selectors.access_callnow_agencies(viewer=self.scope["user"])
        except PermissionDenied:
            return CLOSE_FORBIDDEN
        if agency_id not in agencies:
            return CLOSE_FORBIDDEN
        return [callnow_group(agency_id)]

    async def authorise(self) -> list[str] | int:
        return await database_sync_to_async(self._authorise)(
            int(self.scope["url_route"]["kwargs"]["agency_id"])
        )
