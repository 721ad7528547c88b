"""The planner's live progress: a WebSocket that follows one scenario's run.

Planners and administrators may follow any scenario (as they may open its page); anyone else is
refused with :data:`~asiointi.core.sockets.CLOSE_FORBIDDEN`, a scenario that does not exist with
:data:`~asiointi.core.sockets.CLOSE_NOT_FOUND`. The socket first sends the run's status as it is, then
each change that the worker publishes (:func:`asiointi.planning.services.scenario_group`), as the JSON
of the polling view (``planning:scenario_status``) in the language asked for (``?lang=``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation

from asiointi.core.sockets import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, EventConsumer

from . import selectors
from .models import Scenario
from .progress import scenario_status_data
from .services import scenario_group


class ScenarioProgressConsumer(EventConsumer):
    language: str
    first: dict[str, Any] | None = None

    def _language(self) -> str:
        asked = parse_qs(self.scope.get("query_string", b"").decode("latin-1")).get("lang", [""])[0]
        return asked if asked in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE

    def _authorise(self, scenario_id: int) -> list[str] | int:
        try:
            scenario = selectors.access_scenario(viewer=self.scope["user"], scenario_id=scenario_id)
        except PermissionDenied:
            return CLOSE_FORBIDDEN
        except Http404:
            return CLOSE_NOT_FOUND
        with translation.override(self.language):
            self.first = scenario_status_data(scenario)
        return [scenario_group(scenario_id)]

    async def authorise(self) -> list[str] | int:
        self.language = self._language()
        scenario_id = int(self.scope["url_route"]["kwargs"]["scenario_id"])
        return await database_sync_to_async(self._authorise)(scenario_id)

    async def welcome(self) -> dict[str, Any] | None:
        return self.first

    async def present(self, payload: dict[str, Any]) -> dict[str, Any] | None:
        scenario = Scenario(
            mode=payload.get("mode", ""),
            status=payload.get("status", ""),
            step=payload.get("step", ""),
            progress=payload.get("progress") or {},
        )
        with translation.override(self.language):
            return scenario_status_data(scenario)
