"""The meetings app's WebSocket routes (served by ``config/asgi.py``), named like its pages."""

from __future__ import annotations

from django.urls import path

from .consumers import MeetingConsumer

websocket_urlpatterns = [
    path("ws/meetings/<int:room_id>/", MeetingConsumer.as_asgi(), name="meetings:signal"),
]


def meeting_socket_path(room_id: int) -> str:
    """The path of a room's signalling socket (without a language prefix or the join token)."""
    return f"/ws/meetings/{int(room_id)}/"
