"""The scheduling app's WebSocket routes (served by ``config/asgi.py``), named like its pages."""

from __future__ import annotations

from django.urls import path

from .consumers import PointDayConsumer

websocket_urlpatterns = [
    path(
        "ws/scheduling/points/<int:point_id>/day/", PointDayConsumer.as_asgi(), name="schedule:point_day_live"
    ),
]


def point_day_live_path(point_id: int) -> str:
    """The path of a point's live day socket (without a language prefix)."""
    return f"/ws/scheduling/points/{int(point_id)}/day/"
