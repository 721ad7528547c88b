"""The HTTP API at /api/v1/ (docs/api.md): the NinjaAPI instance, its authentication and the mounting
of the apps' routers. The top layer: it may import every app; no app imports it."""
