"""The NinjaAPI instance: the apps' routers mounted, staff authentication by default (a public
operation says ``auth=None`` itself), and every error answered with the error body of
:mod:`asiointi.core.api`."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from asiointi.accounts.api import router as accounts_router
from asiointi.catalogue.api import router as catalogue_router
from asiointi.core.api import STATUS_CODES, ApiError, error_body, retry_after_message
from asiointi.desk.api import router as desk_router
from asiointi.ledger.api import router as ledger_router
from asiointi.network.api import router as network_router
from asiointi.scheduling.api import router as scheduling_router

from .auth import StaffSessionAuth, TokenAuth

logger = logging.getLogger(__name__)

#: The Django URL namespace of the API's routes (``api:point_list``, ``api:docs``...).
NAMESPACE = "api"

api = NinjaAPI(
    title="Asiointi API",
    version="1",
    description=(
        "The API of Asiointi, the platform of Finland's joint public service points. Public operations "
        "need no sign-in; staff operations take a personal API token (Authorization: Bearer) or the "
        "staff session. Errors answer {code, message}, the message in the language of ?lang= or "
        "Accept-Language (Finnish by default). See docs/api.md."
    ),
    urls_namespace=NAMESPACE,
    docs_url=None,
    auth=[TokenAuth(), StaffSessionAuth()],
)

api.add_router("/", network_router)
api.add_router("/", catalogue_router)
api.add_router("/", accounts_router)
api.add_router("/", ledger_router)
api.add_router("/", scheduling_router)
api.add_router("/", desk_router)


def error_response(
    request: HttpRequest, status: int, code: str, *, params: dict[str, object] | None = None
) -> HttpResponse:
    return api.create_response(request, error_body(code, params), status=status)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    response = error_response(request, exc.status, exc.code, params=exc.params)
    if exc.code == "rate_limited" and "Retry-After" in exc.headers:
        body = {"code": exc.code, "message": retry_after_message(int(exc.headers["Retry-After"]))}
        response = api.create_response(request, body, status=exc.status)
    for header, value in exc.headers.items():
        response[header] = value
    return response


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = sorted({".".join(str(part) for part in error.get("loc", ())) for error in exc.errors})
    return error_response(request, 422, "invalid_request", params={"fields": ", ".join(fields) or "-"})


@api.exception_handler(AuthenticationError)
def _not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error_response(request, 401, "not_authenticated")
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = exc.status_code if exc.status_code in STATUS_CODES else 400
    return error_response(request, status, STATUS_CODES[status])


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found")


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error in %s %s", request.method, request.path)
    return error_response(request, 500, "server_error")


@dataclass(frozen=True)
class Operation:
    """One operation of the API as the access matrix and the route discovery know it."""

    #: ``api:<url_name>`` of the operation: its key in the access matrix. Give every operation its
    #: own ``url_name``.
    name: str
    method: str
    #: The URL name of its path, to reverse (two methods on one path share the first one's).
    path_name: str
    path: str


def operations() -> list[Operation]:
    """Every operation of the API, from the routers that :data:`api` mounts."""
    found: list[Operation] = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                url_name = getattr(operation, "url_name", None) or path_view.url_name
                for method in operation.methods:
                    found.append(
                        Operation(
                            f"{NAMESPACE}:{url_name}",
                            method,
                            f"{NAMESPACE}:{path_view.url_name}",
                            (prefix.rstrip("/") + path),
                        )
                    )
    return found
