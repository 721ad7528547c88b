"""One request at a time on the sweep's live server.

pytest-django's live server shares the test database's single SQLite connection between its
request threads; two requests that write at once (sessions, the audit log, django-axes) would
interleave their transactions ("database table is locked"). The sweep's browsers still work in
parallel: while one request renders, the other browser runs axe-core.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

_LOCK = threading.Lock()


class SerialRequestsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with _LOCK:
            return self.get_response(request)
