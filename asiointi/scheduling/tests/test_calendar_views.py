"""The staff's scheduling pages: the own calendar, availability, a point's day, the appointments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from asiointi.accounts.models import AuditAction, AuditEvent, Role, User
from asiointi.accounts.testing import login_staff
from asiointi.catalogue.models import Channel
from asiointi.factories import (
    MembershipFactory,
    UserFactory,
    expert_create,
    interpreter_create,
    remote_service_point,
)
from asiointi.network.models import Booth, ServicePoint
from asiointi.scheduling.models import (
    Absence,
    Appointment,
    AppointmentChange,
    AppointmentState,
    Expert,
    Interpreter,
    Reservation,
    WorkingHours,
)
from asiointi.scheduling.selectors import slot_request_build
from asiointi.scheduling.services import CustomerContact, appointment_book

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")
CUSTOMER = CustomerContact(name="Aino Asiakas", email="aino@example.fi", phone="0401234567")
#: A Monday in the past (the real clock is later): booked then, so it has begun now.
PAST_NOW = dt.datetime(2026, 11, 2, 8, 0, tzinfo=HELSINKI)
#: Monday 4 January 2027, far enough ahead that it has not begun.
FUTURE_NOW = dt.datetime(2027, 1, 4, 8, 0, tzinfo=HELSINKI)


@dataclass
class World:
    point: ServicePoint
    booth: Booth
    expert: Expert
    interpreter: Interpreter
    other_expert: Expert
    advisor: User
    other_advisor: User
    coordinator: User
    planner: User
    administrator: User
    past: Appointment
    future: Appointment


def _client(user: User) -> Client:
    client = Client()
    login_staff(client, user)
    return client


@pytest.fixture
def world() -> World:
    point, booths, services = remote_service_point(booths=1, agencies=1)
    agency = services[0].agency
    expert = expert_create(agency=agency, services=services, full_name="Tiina Korhonen")
    interpreter = interpreter_create(languages=["fi", "ar"], full_name="Aino Virtanen")
    other_point, _b, other_services = remote_service_point(booths=1, agencies=1)
    other_expert = expert_create(agency=other_services[0].agency, services=other_services)
    advisor = UserFactory.create()
    MembershipFactory.create(user=advisor, role=Role.ADVISOR, point=point)
    other_advisor = UserFactory.create()
    MembershipFactory.create(user=other_advisor, role=Role.ADVISOR, point=other_point)
    coordinator = UserFactory.create()
    MembershipFactory.create(user=coordinator, role=Role.AGENCY_COORDINATOR, agency=agency)
    planner = UserFactory.create()
    MembershipFactory.create(user=planner, role=Role.NETWORK_PLANNER)
    administrator = UserFactory.create(is_superuser=True)
    MembershipFactory.create(user=administrator, role=Role.ADMINISTRATOR)
    request = slot_request_build(
        point=point,
        service_ids=[services[0].pk],
        channel=Channel.REMOTE_MEETING,
        language="fi",
        interpreter_language="ar",
    )
    past = appointment_book(
        request=request,
        start=dt.datetime(2026, 11, 2, 10, 0, tzinfo=HELSINKI),
        customer=CUSTOMER,
        now=PAST_NOW,
    )
    future = appointment_book(
        request=request,
        start=dt.datetime(2027, 1, 4, 10, 0, tzinfo=HELSINKI),
        customer=CUSTOMER,
        now=FUTURE_NOW,
    )
    return World(
        point,
        booths[0],
        expert,
        interpreter,
        other_expert,
        advisor,
        other_advisor,
        coordinator,
        planner,
        administrator,
        past,
        future,
    )


def _detail(appointment: Appointment) -> str:
    return reverse("schedule:appointment_detail", kwargs={"pk": appointment.pk})


def _action(appointment: Appointment) -> str:
    return reverse("schedule:appointment_action", kwargs={"pk": appointment.pk})


# --- my calendar ---------------------------------------------------------------------------------


def test_my_calendar__expert__sees_own_appointment_with_interpreter_and_working_hours(world: World) -> None:
    client = _client(world.expert.user)
    with translation.override("en"):
        response = client.get(reverse("schedule:my_calendar"), {"date": "2027-01-04"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "10.00 at" in text and world.point.name in text
    assert "Aino Virtanen, interpreter" in text
    assert "Working hours: 08.00–16.00." in text
    assert "Aino Asiakas" not in text  # the customer's name is on the appointment's page only


def test_my_calendar__another_expert__does_not_see_the_appointment(world: World) -> None:
    response = _client(world.other_expert.user).get(reverse("schedule:my_calendar"), {"date": "2027-01-04"})
    assert response.status_code == 200
    assert _detail(world.future) not in response.content.decode()


@pytest.mark.parametrize("role", ["advisor", "coordinator", "planner"])
def test_my_calendar__roles_without_a_calendar__are_refused(world: World, role: str) -> None:
    response = _client(getattr(world, role)).get(reverse("schedule:my_calendar"))
    assert response.status_code == 403


def _appointment_at(world: World, starts: dt.datetime) -> Appointment:
    appointment = Appointment.objects.create(
        code="CCCCCCCC",
        point=world.point,
        channel=Channel.REMOTE_MEETING,
        language="fi",
        starts=starts,
        ends=starts + dt.timedelta(minutes=30),
        customer_name="Yökyöpeli",
        customer_phone="0401234567",
        booked_by_kind="staff",
    )
    Reservation.objects.create(
        appointment=appointment,
        resource=world.interpreter.resource,
        role="interpreter",
        starts=appointment.starts,
        ends=appointment.ends,
        holds_until=appointment.ends,
    )
    return appointment


@pytest.mark.parametrize(
    ("starts", "its_day", "day_before"),
    [
        # 00:30 on the Monday after spring's change (28 March 2027): 21:30 UTC on Sunday.
        (dt.datetime(2027, 3, 29, 0, 30, tzinfo=HELSINKI), "2027-03-29", "2027-03-28"),
        # 00:30 on the Monday after autumn's change (31 October 2027): 22:30 UTC on Sunday.
        (dt.datetime(2027, 11, 1, 0, 30, tzinfo=HELSINKI), "2027-11-01", "2027-10-31"),
    ],
)
def test_my_calendar__across_a_clock_change__shows_the_appointment_on_its_helsinki_day(
    world: World, starts: dt.datetime, its_day: str, day_before: str
) -> None:
    appointment = _appointment_at(world, starts)
    client = _client(world.interpreter.user)
    on_day = client.get(reverse("schedule:my_calendar"), {"date": its_day}).content.decode()
    before = client.get(reverse("schedule:my_calendar"), {"date": day_before}).content.decode()
    assert _detail(appointment) in on_day and "00.30" in on_day
    assert _detail(appointment) not in before
    week = client.get(reverse("schedule:my_calendar"), {"date": day_before, "view": "week"}).content.decode()
    assert _detail(appointment) not in week  # the week of the change ends on its Sunday


# --- availability --------------------------------------------------------------------------------


def _availability(resource_id: int) -> str:
    return f"{reverse('schedule:availability')}?person={resource_id}"


def _hours(**days: str) -> dict[str, str]:
    data = {"action": "hours", **{f"day_{n}": "" for n in range(7)}}
    data.update(days)
    return data


def test_availability__saves_several_ranges_a_day(world: World) -> None:
    client = _client(world.expert.user)
    response = client.post(
        _availability(world.expert.resource_id), _hours(day_0="8.00–11.30, 12.00-16.00", day_2="9:00-12:00")
    )
    assert response.status_code == 302
    rules = list(
        WorkingHours.objects.filter(resource=world.expert.resource).values_list("weekday", "starts", "ends")
    )
    assert rules == [
        (0, dt.time(8), dt.time(11, 30)),
        (0, dt.time(12), dt.time(16)),
        (2, dt.time(9), dt.time(12)),
    ]


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("16.00–8.00", "The working hours must end after they start."),
        ("8.00–12.00, 11.00–14.00", "Two working hours of the same day overlap."),
        ("kahdeksasta neljään", "Write the hours as ranges like 8.00–16.00, several separated by commas."),
        ("25.00–26.00", "A time of day is from 0.00 to 24.00."),
    ],
)
def test_availability__bad_hours__error_by_the_field_and_nothing_saved(
    world: World, value: str, error: str
) -> None:
    before = list(WorkingHours.objects.values_list("pk", "weekday", "starts", "ends"))
    with translation.override("en"):
        response = _client(world.expert.user).post(
            _availability(world.expert.resource_id), _hours(day_0="8.00–16.00", day_3=value)
        )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert 'id="id_day_3_error"' in response.content.decode()
    assert list(WorkingHours.objects.values_list("pk", "weekday", "starts", "ends")) == before


def test_availability__absence_over_a_booking__is_added_and_the_booking_reported(world: World) -> None:
    with translation.override("en"):
        response = _client(world.expert.user).post(
            _availability(world.expert.resource_id),
            {
                "action": "absence_add",
                "starts_date": "2027-01-04",
                "ends_date": "2027-01-04",
                "reason": "Sairas",
            },
        )
        text, link = response.content.decode(), _detail(world.future)
    assert response.status_code == 200
    assert "The absence overlaps booked appointments" in text
    assert link in text
    assert Absence.objects.filter(resource=world.expert.resource).count() == 1
    world.future.refresh_from_db()
    assert world.future.state == AppointmentState.BOOKED  # it stays booked; staff move it


def test_availability__absence_ending_before_it_starts__is_refused_and_nothing_added(world: World) -> None:
    with translation.override("en"):
        response = _client(world.expert.user).post(
            _availability(world.expert.resource_id),
            {"action": "absence_add", "starts_date": "2027-01-05", "ends_date": "2027-01-04"},
        )
    assert response.status_code == 400
    assert "The absence must end after it starts." in response.content.decode()
    assert not Absence.objects.exists()


def test_availability__delete_absence__removes_only_own(world: World) -> None:
    own = Absence.objects.create(
        resource=world.expert.resource, starts=FUTURE_NOW, ends=FUTURE_NOW + dt.timedelta(hours=2)
    )
    others = Absence.objects.create(
        resource=world.other_expert.resource, starts=FUTURE_NOW, ends=FUTURE_NOW + dt.timedelta(hours=2)
    )
    client = _client(world.expert.user)
    client.post(_availability(world.expert.resource_id), {"action": "absence_delete", "absence": others.pk})
    assert Absence.objects.filter(pk=others.pk).exists()
    client.post(_availability(world.expert.resource_id), {"action": "absence_delete", "absence": own.pk})
    assert not Absence.objects.filter(pk=own.pk).exists()


def test_availability__coordinator_edits_own_agency_expert_but_not_another_agency(world: World) -> None:
    client = _client(world.coordinator)
    assert client.get(_availability(world.expert.resource_id)).status_code == 200
    before = list(
        WorkingHours.objects.filter(resource=world.other_expert.resource).values_list("pk", flat=True)
    )
    response = client.post(_availability(world.other_expert.resource_id), _hours(day_0="8.00–9.00"))
    assert response.status_code == 404
    after = list(
        WorkingHours.objects.filter(resource=world.other_expert.resource).values_list("pk", flat=True)
    )
    assert after == before


def test_availability__another_expert_and_advisor__cannot_edit(world: World) -> None:
    assert _client(world.other_expert.user).get(_availability(world.expert.resource_id)).status_code == 404
    assert _client(world.advisor).get(reverse("schedule:availability")).status_code == 403


# --- a point's day -------------------------------------------------------------------------------


def test_point_day__advisor__sees_the_booth_held_by_the_appointment(world: World) -> None:
    response = _client(world.advisor).get(reverse("schedule:point_day"), {"date": "2027-01-04"})
    text = response.content.decode()
    assert response.status_code == 200
    assert world.booth.name in text and _detail(world.future) in text


def test_point_day__advisor_of_another_point__is_refused(world: World) -> None:
    response = _client(world.other_advisor).get(
        reverse("schedule:point_day"), {"point": world.point.slug, "date": "2027-01-04"}
    )
    assert response.status_code == 403


# --- appointments --------------------------------------------------------------------------------


def test_appointment_detail__advisor__sees_contact_and_the_view_is_audited(world: World) -> None:
    response = _client(world.advisor).get(_detail(world.future))
    assert response.status_code == 200
    assert "Aino Asiakas" in response.content.decode() and "aino@example.fi" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.PERSONAL_DATA_VIEWED)
    assert event.actor_id == world.advisor.pk and event.target_id == str(world.future.pk)


def test_appointment_detail__coordinator__sees_the_appointment_without_contact_and_nothing_audited(
    world: World,
) -> None:
    response = _client(world.coordinator).get(_detail(world.future))
    assert response.status_code == 200
    assert "Aino Asiakas" not in response.content.decode()
    assert "aino@example.fi" not in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_VIEWED).exists()


@pytest.mark.parametrize("role", ["other_advisor", "planner"])
def test_appointment_detail__outside_the_scope__is_404_and_actions_change_nothing(
    world: World, role: str
) -> None:
    user = getattr(world, role) if role != "other_expert" else world.other_expert.user
    client = _client(user)
    assert client.get(_detail(world.future)).status_code == 404
    assert client.post(_action(world.future), {"action": "cancel"}).status_code == 404
    world.future.refresh_from_db()
    assert world.future.state == AppointmentState.BOOKED


def test_appointment_detail__another_expert__is_404(world: World) -> None:
    assert _client(world.other_expert.user).get(_detail(world.future)).status_code == 404


def test_appointment_action__confirm_then_cancel__through_the_page(world: World) -> None:
    client = _client(world.expert.user)
    assert client.post(_action(world.future), {"action": "confirmed"}).status_code == 302
    world.future.refresh_from_db()
    assert world.future.state == AppointmentState.CONFIRMED
    client.post(_action(world.future), {"action": "cancel"})
    world.future.refresh_from_db()
    assert world.future.state == AppointmentState.CANCELLED
    assert not world.future.reservations.filter(active=True).exists()
    kinds = list(AppointmentChange.objects.filter(appointment=world.future).values_list("kind", flat=True))
    assert kinds == ["booked", "confirmed", "cancelled"]
    with translation.override("en"):
        page = client.get(_detail(world.future)).content.decode()
    assert "Cancel the appointment" not in page and "Confirmed" in page


def test_appointment_action__done_before_it_begins__is_refused(world: World) -> None:
    client = _client(world.advisor)
    with translation.override("en"):
        response = client.post(_action(world.future), {"action": "done"}, follow=True)
    assert "has not begun yet" in response.content.decode()
    world.future.refresh_from_db()
    assert world.future.state == AppointmentState.BOOKED


def test_appointment_action__done_after_start__is_recorded(world: World) -> None:
    _client(world.advisor).post(_action(world.past), {"action": "done"})
    world.past.refresh_from_db()
    assert world.past.state == AppointmentState.DONE


def test_appointment_action__move_with_a_bad_time__changes_nothing(world: World) -> None:
    client = _client(world.advisor)
    response = client.post(_action(world.future), {"action": "move", "start": "huomenna"})
    assert response.status_code == 302
    world.future.refresh_from_db()
    assert world.future.starts == dt.datetime(2027, 1, 4, 10, 0, tzinfo=HELSINKI)


def test_appointment_action__move_to_a_listed_free_time__moves_it(world: World) -> None:
    client = _client(world.advisor)
    page = client.get(_detail(world.future), {"move": "1"})
    slots = page.context["slots"]
    assert slots
    target = slots[0].start
    client.post(_action(world.future), {"action": "move", "start": target.isoformat()})
    world.future.refresh_from_db()
    assert world.future.starts == target
    assert AppointmentChange.objects.filter(appointment=world.future, kind="rescheduled").exists()


def test_appointment_list__filters_by_day_and_state_and_scopes_by_viewer(world: World) -> None:
    response = _client(world.coordinator).get(
        reverse("schedule:appointment_list"), {"date": "2027-01-04", "state": "booked"}
    )
    text = response.content.decode()
    assert _detail(world.future) in text and _detail(world.past) not in text
    other = _client(world.other_advisor).get(reverse("schedule:appointment_list")).content.decode()
    assert _detail(world.future) not in other
    assert _client(world.planner).get(reverse("schedule:appointment_list")).status_code == 403


def test_my_calendar__week_view__reads_in_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    """More appointments in the week do not mean more queries (a hot page: every expert's day)."""
    request = slot_request_build(
        point=world.point,
        service_ids=[s.pk for s in world.future.services.all()],
        channel=Channel.REMOTE_MEETING,
        language="fi",
        interpreter_language="ar",
    )
    for hour in (11, 12, 13):
        appointment_book(
            request=request,
            start=dt.datetime(2027, 1, 5, hour, tzinfo=HELSINKI),
            customer=CUSTOMER,
            now=FUTURE_NOW,
        )
    client = _client(world.expert.user)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("schedule:my_calendar"), {"date": "2027-01-04", "view": "week"})
    assert response.content.decode().count("calendar-item ") == 4
