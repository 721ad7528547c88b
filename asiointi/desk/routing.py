"""The desk's WebSocket routes (served by ``config/asgi.py``): a point's desk, an agency's callback
queue and an agency's call-now queue, each telling its page to reload a panel when something changes."""

from __future__ import annotations

from django.urls import path

from .consumers import CallbackQueueConsumer, CallNowQueueConsumer, DeskConsumer

websocket_urlpatterns = [
    path("ws/desk/<int:point_id>/", DeskConsumer.as_asgi(), name="desk:live"),
    path("ws/callbacks/<int:agency_id>/", CallbackQueueConsumer.as_asgi(), name="callbacks:live"),
    path("ws/callnow/<int:agency_id>/", CallNowQueueConsumer.as_asgi(), name="callnow:live"),
]


def desk_socket_path(point_id: int) -> str:
    return f"/ws/desk/{int(point_id)}/"


def callbacks_socket_path(agency_id: int) -> str:
    return f"/ws/callbacks/{int(agency_id)}/"


def callnow_socket_path(agency_id: int) -> str:
    return f"/ws/callnow/{int(agency_id)}/"
