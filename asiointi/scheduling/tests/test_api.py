"""The scheduling operations of the API: free times, booking, a customer's own appointment by code and
contact, and the staff list scoped by role, with the error bodies in the request's language and the
limits per address."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from asiointi.accounts.models import AuditAction, AuditEvent, Role
from asiointi.accounts.testing import login_staff
from asiointi.catalogue.models import Channel
from asiointi.core import throttle
from asiointi.factories import (
    MembershipFactory,
    ServiceFactory,
    UserFactory,
    expert_create,
    interpreter_create,
    remote_service_point,
)
from asiointi.scheduling.models import Appointment, AppointmentState, Reservation
from asiointi.scheduling.selectors import slot_request_build
from asiointi.scheduling.services import CustomerContact, appointment_book

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")
#: Monday 4 January 2027, 08:00 in Helsinki; Wednesday 6 January is Epiphany, a public holiday.
NOW = dt.datetime(2027, 1, 4, 8, 0, tzinfo=HELSINKI)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2027, 1, day, hour, minute, tzinfo=HELSINKI)


@pytest.fixture(autouse=True)
def _now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(dt.UTC))


@pytest.fixture
def place() -> dict[str, Any]:
    """A point with one booth, a service of one agency and its expert, and an interpreter."""
    point, booths, services = remote_service_point(booths=1, agencies=1)
    expert = expert_create(agency=services[0].agency, services=services, full_name="Eero Asiantuntija")
    interpreter = interpreter_create(languages=["fi", "ar"])
    return {
        "point": point,
        "booth": booths[0],
        "service": services[0],
        "expert": expert,
        "interpreter": interpreter,
    }


def _booking(place: dict[str, Any], when: dt.datetime, **changes: Any) -> dict[str, Any]:
    body = {
        "start": when.isoformat(),
        "point": place["point"].pk,
        "services": [place["service"].pk],
        "channel": "remote_meeting",
        "language": "fi",
        "interpreter": None,
        "customer": {"name": "Aino Asiakas", "email": "aino@example.fi"},
    }
    body.update(changes)
    return body


def _post(client: Client, body: dict[str, Any], **extra: Any) -> Any:
    return client.post("/api/v1/appointments", json.dumps(body), content_type="application/json", **extra)


def _slots(client: Client, place: dict[str, Any], **params: Any) -> Any:
    query = {
        "point": place["point"].pk,
        "service": place["service"].pk,
        "channel": "remote_meeting",
        "language": "fi",
        "from": "2027-01-04",
        "to": "2027-01-08",
        **params,
    }
    return client.get("/api/v1/slots", query)


# -- free times ----------------------------------------------------------------------------------


def test_slot_list__public__first_free_times_with_agencies_not_names(place: dict[str, Any]) -> None:
    response = _slots(Client(), place, limit=3)
    assert response.status_code == 200
    slots = response.json()["slots"]
    # Two hours' notice from 08:00: the first start is 10:00 Helsinki time.
    assert [s["start"] for s in slots] == [
        "2027-01-04T10:00:00+02:00",
        "2027-01-04T10:15:00+02:00",
        "2027-01-04T10:30:00+02:00",
    ]
    assert slots[0]["end"] == "2027-01-04T10:30:00+02:00"
    assert slots[0]["experts"] == [{"agency": place["service"].agency.code, "name": None}]
    assert slots[0]["booth"] == {"id": place["booth"].pk, "name": place["booth"].name}
    assert slots[0]["interpreter"] is None


def test_slot_list__staff_session__sees_names_and_times_from_now(
    place: dict[str, Any], staff_client: Callable[..., Client]
) -> None:
    client = staff_client(Role.ADVISOR, point=place["point"])
    slots = _slots(client, place, limit=1, interpreter="ar").json()["slots"]
    assert slots[0]["start"] == "2027-01-04T09:00:00+02:00"  # the point opens at 9; staff need no notice
    assert slots[0]["experts"][0]["name"] == "Eero Asiantuntija"
    assert slots[0]["interpreter"]["name"] == place["interpreter"].user.full_name


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"to": "2027-01-03"}, "to", "range_order"),
        ({"to": "2027-03-31"}, "to", "range_too_long"),
        ({"interpreter": "xx"}, "interpreter", "unknown_interpreter_language"),
        ({"channel": "advisor_guidance"}, "channel", "unknown_channel"),
    ],
)
def test_slot_list__bad_input__422_with_the_field_and_its_code(
    place: dict[str, Any], params: dict[str, str], field: str, code: str
) -> None:
    response = _slots(Client(), place, **params)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_booking"
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in response.json()["errors"]
    ]


def test_slot_list__limit_over_100__422(place: dict[str, Any]) -> None:
    assert _slots(Client(), place, limit=101).status_code == 422


def test_slot_list__past_its_limit__429_with_retry_after(place: dict[str, Any], settings: Any) -> None:
    settings.SLOT_SEARCH_LIMIT_PER_MINUTE = 2
    client = Client()
    assert [_slots(client, place).status_code for _ in range(3)] == [200, 200, 429]
    refused = _slots(client, place)
    assert refused.json()["code"] == "rate_limited" and int(refused["Retry-After"]) >= 1
    settings.SLOT_SEARCH_LIMIT_PER_MINUTE = 0  # off
    assert _slots(Client(), place).status_code == 200


# -- booking -------------------------------------------------------------------------------------


def test_appointment_book__public__201_with_code_and_holds_booth_and_expert(place: dict[str, Any]) -> None:
    response = _post(Client(), _booking(place, at(4, 10)))
    assert response.status_code == 201
    body = response.json()
    appointment = Appointment.objects.get(code=body["code"])
    assert body["start"] == "2027-01-04T10:00:00+02:00" and body["state"] == "booked"
    assert body["customer"] == {"name": "Aino Asiakas", "email": "aino@example.fi", "phone": ""}
    assert appointment.booked_by is None and appointment.booked_by_kind == "resident"
    assert sorted(appointment.reservations.values_list("role", flat=True)) == ["booth", "expert"]


def test_appointment_book__taken_time__409_with_next_slots_and_nothing_written(place: dict[str, Any]) -> None:
    assert _post(Client(), _booking(place, at(4, 10))).status_code == 201
    response = _post(Client(), _booking(place, at(4, 10)), HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "slot_taken"
    assert body["message"].startswith("Någon annan")
    assert [s["start"] for s in body["next_slots"]][:2] == [
        "2027-01-04T10:45:00+02:00",
        "2027-01-04T11:00:00+02:00",
    ]
    assert Appointment.objects.count() == 1 and Reservation.objects.count() == 2


def test_appointment_book__staff_token__recorded_as_booker_and_may_book_without_notice(
    place: dict[str, Any],
) -> None:
    from asiointi.accounts.models import ApiToken
    from asiointi.accounts.services import api_token_issue

    advisor = UserFactory.create()
    MembershipFactory.create(user=advisor, role=Role.ADVISOR, point=place["point"])

    class _Request:
        META = {"REMOTE_ADDR": "192.0.2.10"}
        method = "POST"
        path = "/"
        user = advisor

    raw = api_token_issue(request=_Request(), token=ApiToken(user=advisor, name="Desk"))  # type: ignore[arg-type]
    response = _post(Client(), _booking(place, at(4, 9)), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 201
    appointment = Appointment.objects.get(code=response.json()["code"])
    assert appointment.booked_by == advisor and appointment.booked_by_kind == "staff"


def _other_channel_service(place: dict[str, Any]) -> int:
    service = ServiceFactory.create(agency=place["service"].agency, typical_duration_minutes=30)
    from asiointi.factories import ServiceOfferingFactory

    ServiceOfferingFactory.create(point=place["point"], service=service, channel=Channel.ADVISOR_GUIDANCE)
    return service.pk


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"start": at(3, 10).isoformat()}, "start", "past"),
        ({"start": at(4, 9).isoformat()}, "start", "too_soon"),
        ({"start": at(4, 16).isoformat()}, "start", "point_closed"),
        ({"start": at(6, 10).isoformat()}, "start", "holiday"),
        ({"start": at(4, 10, 5).isoformat()}, "start", "off_grid"),
        ({"services": "other_channel"}, "services", "service_not_offered"),
        ({"interpreter": "xx"}, "interpreter", "unknown_interpreter_language"),
        ({"customer": {"name": "Aino", "email": "", "phone": ""}}, "email", "no_contact"),
        ({"customer": {"name": "Aino", "email": "ei-osoite"}}, "email", "invalid_email"),
        ({"point": 999_999}, "point", "unknown_point"),
    ],
)
def test_appointment_book__bad_input__422_with_its_code_and_nothing_written(
    place: dict[str, Any], changes: dict[str, Any], field: str, code: str
) -> None:
    if changes.get("services") == "other_channel":
        changes = {"services": [_other_channel_service(place)]}
    response = _post(Client(), _booking(place, at(4, 10), **changes))
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid_booking"
    assert body["errors"][0]["field"] == field and body["errors"][0]["code"] == code
    assert body["message"] == body["errors"][0]["message"]
    assert not Appointment.objects.exists() and not Reservation.objects.exists()


def test_appointment_book__a_service_id_beyond_the_databases_integers__422_not_a_server_error(
    place: dict[str, Any],
) -> None:
    response = _post(Client(), _booking(place, at(4, 10), services=[2**70]))

    assert response.status_code == 422, response.content
    assert "services" in response.content.decode()
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("language", "past", "holiday"),
    [
        ("fi", "Aika on jo mennyt", "Loppiainen"),
        ("sv", "Den tiden har redan passerat", "Trettondag"),
    ],
)
def test_appointment_book__errors__in_the_language_of_accept_language_or_lang(
    place: dict[str, Any], language: str, past: str, holiday: str
) -> None:
    refused = _post(Client(), _booking(place, at(3, 10)), HTTP_ACCEPT_LANGUAGE=language)
    assert refused["Content-Language"] == language
    assert past.lower() in refused.json()["errors"][0]["message"].lower()
    on_holiday = Client().post(
        f"/api/v1/appointments?lang={language}",
        json.dumps(_booking(place, at(6, 10))),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert holiday.lower() in on_holiday.json()["message"].lower()


def test_appointment_book__past_its_limit__429_and_the_limit_can_be_off(
    place: dict[str, Any], settings: Any
) -> None:
    settings.BOOKING_LIMIT_PER_HOUR = 1
    client = Client()
    assert _post(client, _booking(place, at(4, 10))).status_code == 201
    refused = _post(client, _booking(place, at(4, 11)))
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert int(refused["Retry-After"]) >= 1
    assert Appointment.objects.count() == 1
    settings.BOOKING_LIMIT_PER_HOUR = 0
    assert _post(client, _booking(place, at(4, 11))).status_code == 201


# -- one's own appointment by code and contact ------------------------------------------------------


@pytest.fixture
def booked(place: dict[str, Any]) -> Appointment:
    request = slot_request_build(
        point=place["point"], service_ids=[place["service"].pk], channel=Channel.REMOTE_MEETING, language="fi"
    )
    return appointment_book(
        request=request,
        start=at(4, 10),
        customer=CustomerContact(name="Aino Asiakas", email="aino@example.fi", phone="040 123 4567"),
        now=NOW,
    )


def test_appointment_detail__code_with_email_or_phone__the_appointment(booked: Appointment) -> None:
    code = f"{booked.code[:4]}-{booked.code[4:]}".lower()
    by_email = Client().get(f"/api/v1/appointments/{code}", {"email": "AINO@example.fi"})
    by_phone = Client().get(f"/api/v1/appointments/{booked.code}", {"phone": "+358 40 1234567"})
    assert by_email.status_code == by_phone.status_code == 200
    assert by_email.json()["code"] == booked.code
    assert by_email.json()["services"][0]["id"] == booked.services.get().pk


def test_appointment_detail__wrong_contact__answers_exactly_as_an_unknown_code(booked: Appointment) -> None:
    wrong = Client().get(f"/api/v1/appointments/{booked.code}", {"email": "someone@example.fi"})
    other = "".join("A" if c != "A" else "C" for c in booked.code)
    unknown = Client(REMOTE_ADDR="192.0.2.99").get(
        f"/api/v1/appointments/{other}", {"email": "aino@example.fi"}
    )
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.content == unknown.content
    assert wrong.json()["code"] == "appointment_not_found"
    assert sorted(wrong.headers.keys()) == sorted(unknown.headers.keys())


def test_appointment_detail__wrong_contact_and_unknown_code__make_the_same_queries(
    booked: Appointment,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    other = "".join("A" if c != "A" else "C" for c in booked.code)
    with CaptureQueriesContext(connection) as wrong:
        Client().get(f"/api/v1/appointments/{booked.code}", {"email": "someone@example.fi"})
    with CaptureQueriesContext(connection) as unknown:
        Client(REMOTE_ADDR="192.0.2.99").get(f"/api/v1/appointments/{other}", {"email": "aino@example.fi"})
    assert len(wrong) == len(unknown)


def test_appointment_detail__malformed_code__422(booked: Appointment) -> None:
    response = Client().get(
        "/api/v1/appointments/OO11-XYZ", {"email": "aino@example.fi"}, HTTP_ACCEPT_LANGUAGE="sv"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "malformed_code"
    assert "åtta" in response.json()["message"]


def test_appointment_detail__guessing_codes__slows_the_address_down(booked: Appointment) -> None:
    client = Client()
    answers = [
        client.get(f"/api/v1/appointments/{booked.code}", {"email": "guess@example.fi"}).status_code
        for _ in range(4)
    ]
    assert answers == [404, 404, 404, 429]
    # Even the right contact waits now; another address does not.
    waiting = client.get(f"/api/v1/appointments/{booked.code}", {"email": "aino@example.fi"})
    assert waiting.status_code == 429 and int(waiting["Retry-After"]) >= 1
    assert (
        Client(REMOTE_ADDR="192.0.2.50")
        .get(f"/api/v1/appointments/{booked.code}", {"email": "aino@example.fi"})
        .status_code
        == 200
    )


def test_appointment_detail__wait_over__may_try_again(
    booked: Appointment, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    for _ in range(3):
        client.get(f"/api/v1/appointments/{booked.code}", {"email": "guess@example.fi"})
    later = throttle.clock() + 10
    monkeypatch.setattr(throttle, "clock", lambda: later)
    assert client.get(f"/api/v1/appointments/{booked.code}", {"email": "aino@example.fi"}).status_code == 200


def test_appointment_reschedule__by_code__moves_every_resource(booked: Appointment) -> None:
    response = Client().patch(
        f"/api/v1/appointments/{booked.code}?email=aino@example.fi",
        json.dumps({"start": at(4, 11).isoformat()}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["start"] == "2027-01-04T11:00:00+02:00"
    assert set(Reservation.objects.filter(active=True).values_list("starts", flat=True)) == {at(4, 11)}


def test_appointment_reschedule__to_a_holiday__422_and_the_appointment_stays(booked: Appointment) -> None:
    response = Client().patch(
        f"/api/v1/appointments/{booked.code}?email=aino@example.fi",
        json.dumps({"start": at(6, 11).isoformat()}),
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "holiday"
    booked.refresh_from_db()
    assert booked.starts == at(4, 10)


def test_appointment_reschedule__wrong_contact__404_and_nothing_moves(booked: Appointment) -> None:
    response = Client().patch(
        f"/api/v1/appointments/{booked.code}?email=other@example.fi",
        json.dumps({"start": at(4, 11).isoformat()}),
        content_type="application/json",
    )
    assert response.status_code == 404
    booked.refresh_from_db()
    assert booked.starts == at(4, 10)


def test_appointment_cancel__by_code__frees_every_resource_and_a_second_cancel_is_422(
    booked: Appointment,
) -> None:
    response = Client().delete(f"/api/v1/appointments/{booked.code}?phone=0401234567")
    assert response.status_code == 200 and response.json()["state"] == "cancelled"
    assert not Reservation.objects.filter(active=True).exists()
    again = Client().delete(f"/api/v1/appointments/{booked.code}?phone=0401234567")
    assert again.status_code == 422 and again.json()["errors"][0]["code"] == "not_active"


def test_appointment_cancel__wrong_contact__404_and_still_booked(booked: Appointment) -> None:
    assert Client().delete(f"/api/v1/appointments/{booked.code}?phone=0509999999").status_code == 404
    booked.refresh_from_db()
    assert booked.state == AppointmentState.BOOKED


# -- the staff list --------------------------------------------------------------------------------


@pytest.fixture
def two_points() -> dict[str, Any]:
    """Two points, each with a booth; agency A's service at both, agency B's at the second; an expert
    of each agency; one appointment at each point (A at the first, A+B at the second)."""
    first, _booths, (service_a,) = remote_service_point()
    second, _booths, (service_b,) = remote_service_point()
    from asiointi.factories import ServiceOfferingFactory

    ServiceOfferingFactory.create(point=second, service=service_a, channel=Channel.REMOTE_MEETING)
    expert_a = expert_create(agency=service_a.agency, services=[service_a])
    expert_b = expert_create(agency=service_b.agency, services=[service_b])
    customer = CustomerContact(name="Aino Asiakas", email="aino@example.fi")
    here = appointment_book(
        request=slot_request_build(
            point=first, service_ids=[service_a.pk], channel=Channel.REMOTE_MEETING, language="fi"
        ),
        start=at(4, 10),
        customer=customer,
        now=NOW,
    )
    there = appointment_book(
        request=slot_request_build(
            point=second, service_ids=[service_b.pk], channel=Channel.REMOTE_MEETING, language="fi"
        ),
        start=at(4, 12),
        customer=customer,
        now=NOW,
    )
    return {
        "first": first,
        "second": second,
        "agency_a": service_a.agency,
        "agency_b": service_b.agency,
        "expert_a": expert_a,
        "expert_b": expert_b,
        "here": here,
        "there": there,
    }


def _codes(client: Client) -> list[str]:
    response = client.get("/api/v1/appointments")
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


def test_appointment_list__scoped_per_role(
    two_points: dict[str, Any], staff_client: Callable[..., Client]
) -> None:
    here, there = two_points["here"].code, two_points["there"].code
    advisor = staff_client(Role.ADVISOR, point=two_points["first"])
    coordinator = staff_client(Role.AGENCY_COORDINATOR, agency=two_points["agency_b"])
    expert = Client()
    login_staff(expert, two_points["expert_a"].user)
    assert _codes(advisor) == [here]
    assert _codes(coordinator) == [there]
    assert _codes(expert) == [here]
    assert _codes(staff_client(Role.ADMINISTRATOR)) == [here, there]
    assert staff_client(Role.NETWORK_PLANNER).get("/api/v1/appointments").status_code == 403
    assert Client().get("/api/v1/appointments").status_code == 401


def test_appointment_list__contact_for_the_point_and_audited__not_for_the_coordinator(
    two_points: dict[str, Any], staff_client: Callable[..., Client]
) -> None:
    advisor = staff_client(Role.ADVISOR, point=two_points["first"])
    items = advisor.get("/api/v1/appointments").json()["items"]
    assert items[0]["customer"]["email"] == "aino@example.fi"
    event = AuditEvent.objects.get(action=AuditAction.PERSONAL_DATA_VIEWED)
    assert event.target_id == str(two_points["here"].pk) and event.target_type == "scheduling.Appointment"
    coordinator = staff_client(Role.AGENCY_COORDINATOR, agency=two_points["agency_b"])
    assert coordinator.get("/api/v1/appointments").json()["items"][0]["customer"] is None
    assert AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_VIEWED).count() == 1


def test_appointment_list__paginated_and_filtered_by_day(
    two_points: dict[str, Any], staff_client: Callable[..., Client]
) -> None:
    admin = staff_client(Role.ADMINISTRATOR)
    page = admin.get("/api/v1/appointments", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and [i["code"] for i in page["items"]] == [two_points["there"].code]
    assert admin.get("/api/v1/appointments", {"from": "2027-01-05"}).json()["count"] == 0


def test_appointment_list__query_count_does_not_grow_with_the_page(
    two_points: dict[str, Any], staff_client: Callable[..., Client], django_assert_max_num_queries: Any
) -> None:
    admin = staff_client(Role.ADMINISTRATOR)
    admin.get("/api/v1/appointments")  # the session and the scope
    with django_assert_max_num_queries(12):
        assert admin.get("/api/v1/appointments").status_code == 200
