"""Schemathesis over the API's own schema (/api/v1/openapi.json), in process through the WSGI
application: for every operation, generated requests (valid and invalid parameters, as a token
holder) get no server error (5xx), and every answer has a status, a content type, headers and a
body that the schema documents. Runs in ``make test``."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from asiointi.accounts import services
from asiointi.accounts.models import ApiToken, Role, User
from asiointi.api.main import api
from asiointi.catalogue.models import Channel
from asiointi.factories import ServiceFactory, ServiceOfferingFactory
from asiointi.network.models import Agency, ServicePoint

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


#: The schema as the API serves it at /api/v1/openapi.json, its requests sent to the WSGI application
#: in this process.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """As Django's test client does: the test's database connection (and its transaction) stays
    open across the requests, which would otherwise close it when they end."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(settings: Any, point_a: ServicePoint, kela: Agency, staff_user: Any) -> str:
    """Data for the operations to find (a point, an agency, services by channel) and a token of a
    member of staff; the rate limit high enough not to hide the operations behind 429."""
    settings.API_PUBLIC_LIMIT_PER_MINUTE = 100_000
    for channel in (Channel.ADVISOR_GUIDANCE, Channel.REMOTE_MEETING):
        ServiceOfferingFactory.create(
            point=point_a, service=ServiceFactory.create(agency=kela), channel=channel
        )
    user: User = staff_user(Role.ADVISOR, point=point_a)

    class Request:
        META: dict[str, str] = {}
        method = "GET"
        path = "/"

    Request.user = user  # type: ignore[attr-defined]
    return services.api_token_issue(request=Request(), token=ApiToken(user=user, name="Schemathesis"))  # type: ignore[arg-type]


@schema.parametrize()
@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_schema__generated_requests__no_server_error_and_every_answer_as_documented(
    case: Any, token: str, point_a: ServicePoint
) -> None:
    # Most generated addresses name no point or agency (404); two cases in three ask for real ones
    # instead, so that the operations' answers with data are fuzzed too (their query parameters
    # stay generated).
    choice = zlib.crc32(repr(case.query).encode()) % 3
    if choice and case.path_parameters:
        if "ref" in case.path_parameters:
            case.path_parameters["ref"] = point_a.slug if choice == 1 else str(point_a.pk)
        if "code" in case.path_parameters:
            case.path_parameters["code"] = "kela"
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
