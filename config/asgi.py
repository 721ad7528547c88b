"""The ASGI application: Django's pages over HTTP, and the WebSockets of Channels.

A socket passes, in order: the check that its Origin is one of ALLOWED_HOSTS (no other site's page may
open it with the visitor's cookies), the session, and the sign-in rules of the pages
(:class:`asiointi.accounts.sockets.WebSocketAuthMiddleware`); then the route's consumer decides by role.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django is set up before the consumers (and their models) are imported.
django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from channels.sessions import SessionMiddlewareStack  # noqa: E402

from asiointi.accounts.sockets import WebSocketAuthMiddleware  # noqa: E402
from asiointi.desk.routing import websocket_urlpatterns as desk_sockets  # noqa: E402
from asiointi.meetings.routing import websocket_urlpatterns as meeting_sockets  # noqa: E402
from asiointi.planning.routing import websocket_urlpatterns as planning_sockets  # noqa: E402
from asiointi.scheduling.routing import websocket_urlpatterns as scheduling_sockets  # noqa: E402

websocket_urlpatterns = [*planning_sockets, *desk_sockets, *scheduling_sockets, *meeting_sockets]

application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": AllowedHostsOriginValidator(
            SessionMiddlewareStack(
                WebSocketAuthMiddleware(URLRouter(websocket_urlpatterns), routes=websocket_urlpatterns)
            )
        ),
    }
)
