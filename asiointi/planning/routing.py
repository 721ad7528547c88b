"""The planning app's WebSocket routes (served by ``config/asgi.py``), named like its pages."""

from __future__ import annotations

from django.urls import path

from .consumers import ScenarioProgressConsumer

websocket_urlpatterns = [
    path(
        "ws/planning/<int:scenario_id>/",
        ScenarioProgressConsumer.as_asgi(),
        name="planning:scenario_progress",
    ),
]


def scenario_progress_path(scenario_id: int) -> str:
    """The path of a scenario's progress socket (without a language prefix)."""
    return f"/ws/planning/{int(scenario_id)}/"
