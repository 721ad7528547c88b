"""The API's routes, mounted at /api/v1/ outside the language prefixes (config/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path

from . import views
from .main import NAMESPACE, api

app_name = NAMESPACE
urlpatterns: list[URLPattern | URLResolver] = [
    *api.urls[0],
    path("docs", views.docs, name="docs"),
    # Unnamed: not a route of the matrix, only the error body for an address that is none.
    re_path(r"^(?P<rest>.*)$", views.not_found),
]
