"""The API at /api/v1/: its schema and docs, its public operations, pagination, the error body in
the request's language, the rate limit, and staff authentication by token and by session."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from asiointi.accounts import services
from asiointi.accounts.models import ApiToken, AuditAction, AuditEvent, Role, User
from asiointi.accounts.testing import login_booth_device
from asiointi.catalogue.models import Channel
from asiointi.core import throttle
from asiointi.factories import (
    BoothFactory,
    ServiceFactory,
    ServiceOfferingFactory,
    ServicePointFactory,
    UserFactory,
)
from asiointi.network.models import Agency, ServicePoint

pytestmark = pytest.mark.django_db


class _Request:
    """What the token services need of a request when a test issues a token directly."""

    META: dict[str, str] = {"REMOTE_ADDR": "192.0.2.10", "HTTP_USER_AGENT": "test"}
    method = "GET"
    path = "/"

    def __init__(self, user: Any) -> None:
        self.user = user


def _issue(user: User, *, expires_at: dt.datetime | None = None) -> tuple[ApiToken, str]:
    token = ApiToken(user=user, name="Raportti", expires_at=expires_at)
    raw = services.api_token_issue(request=_Request(user), token=token)  # type: ignore[arg-type]
    return token, raw


# -- the schema and the docs ---------------------------------------------------------------------


def test_openapi_json__answers__with_every_operation_and_the_error_body() -> None:
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) >= {
        "/api/v1/points",
        "/api/v1/points/{ref}",
        "/api/v1/points/{ref}/services",
        "/api/v1/agencies",
        "/api/v1/agencies/{code}",
        "/api/v1/me",
    }
    assert "ErrorBody" in schema["components"]["schemas"]
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "StaffSessionAuth"}


def test_docs__answers__with_own_scripts_and_no_inline_code() -> None:
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)
    assert "style=" not in html and "<style" not in html
    assert 'src="/static/api/docs.js"' in html
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-" not in policy


# -- public operations, pagination, languages ----------------------------------------------------


def test_point_list__limit_and_offset__pages_through_the_points_by_name() -> None:
    for letter in "CAB":
        ServicePointFactory.create(name_fi=f"{letter} yhteispalvelupiste", slug=f"piste-{letter.lower()}")

    first = Client().get("/api/v1/points", {"limit": 2}).json()
    second = Client().get("/api/v1/points", {"limit": 2, "offset": 2}).json()

    assert first["count"] == second["count"] == 3
    assert [p["slug"] for p in first["items"]] == ["piste-a", "piste-b"]
    assert [p["slug"] for p in second["items"]] == ["piste-c"]
    assert (first["limit"], second["offset"]) == (2, 2)


def test_point_list__limit_over_the_maximum__422_with_the_error_body() -> None:
    response = Client().get("/api/v1/points", {"limit": 101})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_request"
    assert "limit" in body["message"]
    assert set(body) == {"code", "message"}


def test_point_detail__by_slug_or_by_id__the_same_point(point_a: ServicePoint) -> None:
    by_slug = Client().get("/api/v1/points/karstula").json()
    by_id = Client().get(f"/api/v1/points/{point_a.pk}").json()

    assert by_slug == by_id
    assert by_slug["name"] == "Karstula yhteispalvelupiste"
    assert by_slug["municipality"]["code"] == "256"


def test_point_detail__content__in_the_language_of_lang(point_a: ServicePoint) -> None:
    body = Client().get("/api/v1/points/karstula", {"lang": "sv"}).json()

    assert body["name"] == "Karstula samservicekontor"


def test_point_detail__unknown_with_accept_language_sv__404_in_swedish() -> None:
    response = Client().get("/api/v1/points/atlantis", headers={"Accept-Language": "sv"})

    assert response.status_code == 404
    assert response.json() == {
        "code": "point_not_found",
        "message": "Inget serviceställe har det här adressnamnet eller numret.",
    }
    assert response.headers["Content-Language"] == "sv"


def test_error_body__without_a_language__in_finnish_and_lang_wins_over_accept_language() -> None:
    finnish = Client().get("/api/v1/agencies/atlantis").json()
    english = Client().get("/api/v1/agencies/atlantis?lang=en", headers={"Accept-Language": "sv"}).json()

    assert finnish["message"] == "Millään virastolla ei ole tätä tunnusta."
    assert english == {"code": "agency_not_found", "message": "No agency has this code."}


def test_agency_list_and_detail__the_agencies_by_name(kela: Agency, vero: Agency) -> None:
    listed = Client().get("/api/v1/agencies").json()
    one = Client().get("/api/v1/agencies/vero", {"lang": "en"}).json()

    assert [a["code"] for a in listed["items"]] == ["kela", "vero"]
    assert one["name"] == "Finnish Tax Administration"


def test_point_services__by_channel__only_the_services_of_that_channel(
    point_a: ServicePoint, kela: Agency
) -> None:
    remote = ServiceFactory.create(agency=kela, name_fi="Etäpalvelu")
    desk = ServiceFactory.create(agency=kela, name_fi="Neuvonta")
    ServiceOfferingFactory.create(point=point_a, service=remote, channel=Channel.REMOTE_MEETING)
    ServiceOfferingFactory.create(point=point_a, service=remote, channel=Channel.ADVISOR_GUIDANCE)
    ServiceOfferingFactory.create(point=point_a, service=desk, channel=Channel.ADVISOR_GUIDANCE)

    everything = Client().get("/api/v1/points/karstula/services").json()
    remote_only = Client().get("/api/v1/points/karstula/services", {"channel": "remote_meeting"}).json()

    assert [(s["name"], s["channels"]) for s in everything["items"]] == [
        ("Etäpalvelu", ["advisor_guidance", "remote_meeting"]),
        ("Neuvonta", ["advisor_guidance"]),
    ]
    assert [s["name"] for s in remote_only["items"]] == ["Etäpalvelu"]
    assert everything["items"][0]["agency"] == {"code": "kela", "name": "Kansaneläkelaitos"}


def test_point_services__unknown_channel__422() -> None:
    response = Client().get("/api/v1/points/karstula/services", {"channel": "telepathy"})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"


def test_public_operation__past_its_limit__429_with_retry_after_and_the_error_body(settings: Any) -> None:
    settings.API_PUBLIC_LIMIT_PER_MINUTE = 3
    client = Client()
    answers = [client.get("/api/v1/agencies").status_code for _ in range(3)]

    refused = client.get("/api/v1/agencies", headers={"Accept-Language": "sv"})
    other_address = Client(REMOTE_ADDR="192.0.2.99").get("/api/v1/agencies")

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["code"] == "rate_limited"
    assert refused.json()["message"].startswith("För många förfrågningar")
    assert other_address.status_code == 200


def test_unknown_address_and_wrong_method__404_and_405_with_the_error_body() -> None:
    missing = Client().get("/api/v1/nothing-here")
    posted = Client().post("/api/v1/points", {}, headers={"Accept-Language": "en"})

    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert posted.status_code == 405
    assert posted.json() == {
        "code": "method_not_allowed",
        "message": "This address does not accept the method POST.",
    }
    assert posted.headers["Allow"] == "GET"


# -- staff: tokens and sessions ------------------------------------------------------------------


def test_me__with_a_token__answers_as_its_holder_and_the_use_is_audited(
    staff_user: Callable[..., User], point_a: ServicePoint
) -> None:
    user = staff_user(Role.ADVISOR, point=point_a)
    token, raw = _issue(user)

    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 200
    assert response.json()["email"] == user.email
    assert response.json()["memberships"] == [{"role": "advisor", "point": "karstula", "agency": None}]
    used = AuditEvent.objects.get(action=AuditAction.API_TOKEN_USED)
    assert (used.actor_id, used.target_id, used.summary) == (user.pk, str(token.pk), "GET /api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at is not None


def _token_uses(token: ApiToken) -> list[tuple[str | None, str]]:
    events = AuditEvent.objects.filter(action=AuditAction.API_TOKEN_USED, target_id=str(token.pk))
    return list(events.order_by("pk").values_list("ip_address", "summary"))


def test_api_token_use__many_requests_from_one_address__recorded_once_a_minute(
    staff_user: Callable[..., User], point_a: ServicePoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    token, raw = _issue(staff_user(Role.ADVISOR, point=point_a))
    desk = Client(REMOTE_ADDR="192.0.2.20", headers={"Authorization": f"Bearer {raw}"})

    answers = [desk.get(path).status_code for path in ("/api/v1/me", "/api/v1/me", "/api/v1/callbacks")]
    token.refresh_from_db()
    first_use = token.last_used_at
    later = throttle.clock() + 61
    monkeypatch.setattr(throttle, "clock", lambda: later)
    after_a_minute = desk.get("/api/v1/callbacks")

    assert answers == [200, 200, 200] and after_a_minute.status_code == 200
    assert _token_uses(token) == [("192.0.2.20", "GET /api/v1/me"), ("192.0.2.20", "GET /api/v1/callbacks")]
    token.refresh_from_db()
    assert first_use is not None and token.last_used_at is not None and token.last_used_at > first_use


def test_api_token_use__first_use_from_a_new_address__recorded_at_once(
    staff_user: Callable[..., User], point_a: ServicePoint
) -> None:
    token, raw = _issue(staff_user(Role.ADVISOR, point=point_a))
    headers = {"Authorization": f"Bearer {raw}"}

    Client(REMOTE_ADDR="192.0.2.20").get("/api/v1/me", headers=headers)
    Client(REMOTE_ADDR="192.0.2.20").get("/api/v1/me", headers=headers)
    Client(REMOTE_ADDR="198.51.100.7").get("/api/v1/callbacks", headers=headers)

    assert _token_uses(token) == [("192.0.2.20", "GET /api/v1/me"), ("198.51.100.7", "GET /api/v1/callbacks")]


def test_api_token_use__setting_0__every_use_recorded(staff_user: Callable[..., User], settings: Any) -> None:
    settings.API_TOKEN_USE_RECORD_SECONDS = 0
    token, raw = _issue(staff_user(Role.NETWORK_PLANNER))

    for _ in range(3):
        Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    assert len(_token_uses(token)) == 3


def test_api_token_use__revoked_within_the_minute__refused_at_its_next_use(
    staff_user: Callable[..., User],
) -> None:
    user = staff_user(Role.NETWORK_PLANNER)
    token, raw = _issue(user)
    headers = {"Authorization": f"Bearer {raw}"}
    assert Client().get("/api/v1/me", headers=headers).status_code == 200

    assert services.api_token_revoke(request=_Request(user), token=token)  # type: ignore[arg-type]
    refused = Client().get("/api/v1/me", headers=headers)

    assert refused.status_code == 401
    assert len(_token_uses(token)) == 1


def test_api_token__stored_hashed__never_the_token_itself(staff_user: Callable[..., User]) -> None:
    token, raw = _issue(staff_user(Role.NETWORK_PLANNER))

    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw not in {str(v) for v in stored.values()}
    assert raw.startswith(stored["prefix"]) and len(stored["prefix"]) == 12
    assert AuditEvent.objects.filter(action=AuditAction.API_TOKEN_ISSUED, target_id=str(token.pk)).exists()


def test_me__revoked_or_expired_token__401_and_nothing_audited_as_use(
    staff_user: Callable[..., User],
) -> None:
    user = staff_user(Role.NETWORK_PLANNER)
    revoked, revoked_raw = _issue(user)
    assert services.api_token_revoke(request=_Request(user), token=revoked)  # type: ignore[arg-type]
    _expired, expired_raw = _issue(user, expires_at=timezone.now() - dt.timedelta(minutes=1))

    answers = [
        Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
        for raw in (revoked_raw, expired_raw, "asi_not-a-token")
    ]

    assert [a.status_code for a in answers] == [401, 401, 401]
    assert all(a.json()["code"] == "not_authenticated" for a in answers)
    assert answers[0].headers["WWW-Authenticate"].startswith("Bearer")
    assert not AuditEvent.objects.filter(action=AuditAction.API_TOKEN_USED).exists()
    assert AuditEvent.objects.filter(action=AuditAction.API_TOKEN_REVOKED, target_id=str(revoked.pk)).exists()


def test_me__token_of_an_inactive_user__401(staff_user: Callable[..., User]) -> None:
    user = staff_user(Role.NETWORK_PLANNER)
    _token, raw = _issue(user)
    User.objects.filter(pk=user.pk).update(is_active=False)

    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_me__staff_session_past_the_second_factor__answers(staff_client: Callable[..., Client]) -> None:
    response = staff_client(Role.NETWORK_PLANNER).get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["memberships"][0]["role"] == "network_planner"


def test_me__session_before_the_second_factor__401_not_a_redirect(db: None) -> None:
    client = Client()
    client.force_login(UserFactory.create(is_superuser=True))

    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_me__anonymous_or_a_booth_screen__401_and_public_operations_answer_both() -> None:
    booth_client = Client()
    login_booth_device(booth_client, BoothFactory.create())

    assert Client().get("/api/v1/me").status_code == 401
    assert booth_client.get("/api/v1/me").status_code == 401
    assert booth_client.get("/api/v1/agencies").status_code == 200


def test_session_unsafe_method__without_csrf_token__403_csrf_failed(
    staff_client: Callable[..., Client],
) -> None:
    from asiointi.api.auth import StaffSessionAuth
    from asiointi.core.api import ApiError

    client = staff_client(Role.ADMINISTRATOR)
    client.handler.enforce_csrf_checks = True
    request = client.get("/api/v1/me").wsgi_request
    request.method = "POST"
    request.META["REQUEST_METHOD"] = "POST"
    request._dont_enforce_csrf_checks = False  # type: ignore[attr-defined]

    with pytest.raises(ApiError) as refused:
        StaffSessionAuth()(request)
    assert refused.value.code == "csrf_failed"


# -- the administration --------------------------------------------------------------------------


def test_admin__issuing_a_token__shows_it_once_and_revoking_audits(
    superuser_client: Client, staff_user: Callable[..., User]
) -> None:
    holder = staff_user(Role.NETWORK_PLANNER)

    added = superuser_client.post(
        "/fi/admin/accounts/apitoken/add/", {"user": holder.pk, "name": "Raportti"}, follow=True
    )
    token = ApiToken.objects.get(user=holder)
    shown = re.search(r"asi_[-\w]{40,}", added.content.decode())
    page_again = superuser_client.get(f"/fi/admin/accounts/apitoken/{token.pk}/change/").content.decode()

    assert shown is not None
    assert services.api_token_hash(shown.group(0)) == token.token_hash
    assert shown.group(0) not in page_again
    superuser_client.post(
        "/fi/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    answer = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {shown.group(0)}"})
    assert answer.status_code == 401
