"""Slot search and booking: the core of scheduling, on the embedded database and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from asiointi.catalogue.models import Channel
from asiointi.factories import (
    UserFactory,
    expert_create,
    interpreter_create,
    remote_meeting_request,
    remote_service_point,
)
from asiointi.scheduling.models import Appointment, AppointmentState, Reservation
from asiointi.scheduling.selectors import appointment_get_by_code, slot_request_build, slot_search
from asiointi.scheduling.services import (
    CustomerContact,
    SlotTaken,
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
)

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")
#: Monday 4 January 2027, 08:00 in Helsinki; Wednesday 6 January is Epiphany, a public holiday.
NOW = dt.datetime(2027, 1, 4, 8, 0, tzinfo=HELSINKI)
CUSTOMER = CustomerContact(name="Aino Asiakas", email="aino@example.fi")


def at(day: int, hour: int, minute: int = 0, month: int = 1) -> dt.datetime:
    return dt.datetime(2027, month, day, hour, minute, tzinfo=HELSINKI)


@pytest.fixture
def one_agency():
    point, _booths, services = remote_service_point(booths=1, agencies=1)
    expert = expert_create(agency=services[0].agency, services=services)
    request = slot_request_build(
        point=point, service_ids=[services[0].pk], channel=Channel.REMOTE_MEETING, language="fi"
    )
    return request, expert


def test_slot_search__first_slots__start_after_notice_within_opening_hours(one_agency):
    request, expert = one_agency
    slots = slot_search(
        viewer=None, request=request, start=NOW, end=NOW + dt.timedelta(days=7), limit=30, now=NOW
    )
    # Two hours' notice from 08:00: the first start is 10:00; the point closes at 15:00, so a 30-minute
    # meeting starts at 14:30 at the latest.
    assert slots[0].start == at(4, 10)
    day = [s.start.astimezone(HELSINKI).time() for s in slots if s.start.astimezone(HELSINKI).day == 4]
    assert day[-1] == dt.time(14, 30)
    assert slots[0].experts[0].expert_id == expert.pk
    assert slots[0].experts[0].name == ""  # the public sees the agency, not the person
    assert all(s.start.astimezone(HELSINKI).date() != dt.date(2027, 1, 6) for s in slots)  # Epiphany


def test_appointment_book__holds_booth_and_expert__and_the_time_is_no_longer_offered(one_agency):
    request, _expert = one_agency
    appointment = appointment_book(request=request, start=at(4, 10), customer=CUSTOMER, now=NOW)
    assert appointment.state == AppointmentState.BOOKED
    assert sorted(appointment.reservations.values_list("role", flat=True)) == ["booth", "expert"]
    slots = slot_search(viewer=None, request=request, start=NOW, end=at(5, 0), limit=3, now=NOW)
    # 10:00–10:30 and the 10-minute buffer: the next start on the 15-minute grid is 10:45.
    assert [s.start for s in slots] == [at(4, 10, 45), at(4, 11), at(4, 11, 15)]


def test_appointment_book__taken_time__answers_slot_taken_with_next_slots(one_agency):
    request, _expert = one_agency
    appointment_book(request=request, start=at(4, 10), customer=CUSTOMER, now=NOW)
    with pytest.raises(SlotTaken) as taken:
        appointment_book(request=request, start=at(4, 10), customer=CUSTOMER, now=NOW)
    assert [s.start for s in taken.value.next_slots][:2] == [at(4, 10, 45), at(4, 11)]
    assert Appointment.objects.count() == 1


def test_appointment_book__on_a_public_holiday__is_refused_with_the_holiday_named(one_agency):
    request, _expert = one_agency
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        appointment_book(request=request, start=at(6, 10), customer=CUSTOMER, now=NOW)
    assert refused.value.error_dict["start"][0].code == "holiday"
    assert Appointment.objects.count() == 0


@pytest.mark.parametrize(
    ("start", "code"),
    [(at(3, 10), "past"), (at(4, 9), "too_soon"), (at(4, 10, 5), "off_grid"), (at(4, 16), "point_closed")],
)
def test_appointment_book__impossible_time__is_refused_and_changes_nothing(one_agency, start, code):
    request, _expert = one_agency
    with pytest.raises(ValidationError) as refused:
        appointment_book(request=request, start=start, customer=CUSTOMER, now=NOW)
    assert refused.value.error_dict["start"][0].code == code
    assert not Appointment.objects.exists() and not Reservation.objects.exists()


def test_appointment_book__two_agencies_and_an_interpreter__hold_all_or_none():
    point, _booths, services = remote_service_point(booths=1, agencies=2)
    kela = expert_create(agency=services[0].agency, services=[services[0]])
    tax = expert_create(agency=services[1].agency, services=[services[1]])
    interpreter = interpreter_create(languages=["fi", "ar"])
    request = remote_meeting_request(point, services, interpreter_language="ar")
    # The interpreter is taken at 10:00 by another appointment: the two-agency meeting cannot have it.
    other = slot_request_build(
        point=point,
        service_ids=[services[0].pk],
        channel=Channel.REMOTE_MEETING,
        language="fi",
        interpreter_language="ar",
    )
    appointment_book(request=other, start=at(4, 10), customer=CUSTOMER, now=NOW)
    with pytest.raises(SlotTaken):
        appointment_book(request=request, start=at(4, 10), customer=CUSTOMER, now=NOW)
    assert Appointment.objects.count() == 1
    appointment = appointment_book(request=request, start=at(4, 11), customer=CUSTOMER, now=NOW)
    held = set(appointment.reservations.values_list("resource_id", flat=True))
    assert {kela.resource_id, tax.resource_id, interpreter.resource_id} <= held
    assert len(held) == 4  # and the booth


def test_appointment_cancel__by_code_and_contact__frees_every_resource(one_agency):
    request, _expert = one_agency
    appointment = appointment_book(request=request, start=at(4, 10), customer=CUSTOMER, now=NOW)
    found = appointment_get_by_code(code=appointment.code.lower(), email="AINO@example.fi")
    assert found == appointment
    assert appointment_get_by_code(code=appointment.code, email="someone@example.fi") is None
    appointment_cancel(appointment=found, now=NOW)
    assert not Reservation.objects.filter(active=True).exists()
    again = appointment_book(request=request, start=at(4, 10), customer=CUSTOMER, now=NOW)
    assert again.pk != appointment.pk


def test_appointment_reschedule__moves_every_resource_and_keeps_history(one_agency):
    request, _expert = one_agency
    appointment = appointment_book(request=request, start=at(4, 10), customer=CUSTOMER, now=NOW)
    moved = appointment_reschedule(appointment=appointment, start=at(4, 10, 15), now=NOW)
    assert moved.starts == at(4, 10, 15) and moved.sequence == 1
    assert (
        list(moved.reservations.filter(active=True).values_list("starts", flat=True)) == [at(4, 10, 15)] * 2
    )
    assert moved.reservations.filter(active=False).count() == 2
    assert list(moved.changes.values_list("kind", flat=True)) == ["booked", "rescheduled"]


def test_appointment_book__across_the_spring_clock_change__keeps_local_hours():
    point, _booths, services = remote_service_point()
    expert_create(agency=services[0].agency, services=services)
    request = slot_request_build(
        point=point, service_ids=[services[0].pk], channel=Channel.REMOTE_MEETING, language="fi"
    )
    # Thursday 25 March 2027; the clocks go forward on Sunday 28 March (Easter: Friday 26 and Monday 29
    # are public holidays), so Tuesday 30 March is the first open day in summer time.
    now = dt.datetime(2027, 3, 25, 8, tzinfo=HELSINKI)
    slots = slot_search(
        viewer=None, request=request, start=now, end=now + dt.timedelta(days=6), limit=200, now=now
    )
    days = sorted({s.start.astimezone(HELSINKI).date() for s in slots})
    assert days == [dt.date(2027, 3, 25), dt.date(2027, 3, 30)]
    tuesday = [s.start.astimezone(HELSINKI) for s in slots if s.start.astimezone(HELSINKI).day == 30]
    assert tuesday[0].hour == 9 and tuesday[0].utcoffset() == dt.timedelta(hours=3)
    assert tuesday[0].astimezone(dt.UTC).hour == 6
    assert tuesday[-1].time() == dt.time(14, 30)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_reservation_no_overlap__database_refuses_a_second_active_reservation(one_agency):
    request, expert = one_agency
    appointment = appointment_book(request=request, start=at(4, 10), customer=CUSTOMER, now=NOW)
    other = Appointment.objects.create(
        code="ACDEFHJK",
        point=request.point,
        channel=Channel.REMOTE_MEETING,
        language="fi",
        starts=at(4, 10, 15),
        ends=at(4, 10, 45),
        customer_name="B",
        customer_email="b@example.fi",
        booked_by_kind="resident",
    )
    with pytest.raises(IntegrityError, match="reservation_no_overlap"), transaction.atomic():
        Reservation.objects.create(
            appointment=other,
            resource_id=expert.resource_id,
            role="expert",
            starts=at(4, 10, 15),
            ends=at(4, 10, 45),
            holds_until=at(4, 10, 55),
        )
    assert appointment.reservations.filter(active=True).count() == 2


def test_slot_search__staff_viewer__sees_names_and_may_book_without_notice(one_agency):
    request, expert = one_agency
    from asiointi.core.scope import Role
    from asiointi.factories import MembershipFactory

    advisor = UserFactory.create()
    MembershipFactory.create(user=advisor, role=Role.ADVISOR, point=request.point)
    slots = slot_search(viewer=advisor, request=request, start=NOW, end=at(5, 0), limit=1, now=at(4, 9, 5))
    assert slots[0].start == at(4, 9, 15)
    assert slots[0].experts[0].name == expert.user.full_name


def test_retention__removes_the_customers_contact_after_the_period_and_keeps_the_appointment(
    one_agency, settings
):
    from asiointi.accounts.retention import retention_apply

    request, _expert = one_agency
    appointment = appointment_book(request=request, start=at(4, 10), customer=CUSTOMER, now=NOW)
    recent = appointment_book(request=request, start=at(7, 10), customer=CUSTOMER, now=NOW)
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "appointment_contact": 2}
    retention_apply(now=at(6, 11))  # two days after the first one's end; the second is still ahead
    appointment.refresh_from_db()
    recent.refresh_from_db()
    assert (appointment.customer_name, appointment.customer_email, appointment.customer_phone) == ("", "", "")
    assert appointment.anonymised_at is not None and appointment.starts == at(4, 10)
    assert recent.customer_name == "Aino Asiakas"
    assert appointment_get_by_code(code=appointment.code, email="aino@example.fi") is None
