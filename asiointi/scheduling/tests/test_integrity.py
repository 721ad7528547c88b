"""Nobody is ever booked twice, and an appointment holds all of its resources or none: property tests
over random sequences of booking, cancelling and moving, and races of 32 clients for one time through
the service and through the API, on the embedded database (a file, IMMEDIATE transactions) and on
PostgreSQL (the exclusion constraint)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asiointi.catalogue.models import Channel
from asiointi.factories import (
    BoothFactory,
    ServiceFactory,
    ServiceOfferingFactory,
    expert_create,
    interpreter_create,
    remote_service_point,
)
from asiointi.scheduling import services as scheduling_services
from asiointi.scheduling.models import ACTIVE_STATES, Appointment, Reservation
from asiointi.scheduling.selectors import SlotRequest, slot_request_build
from asiointi.scheduling.services import (
    CustomerContact,
    SlotTaken,
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
#: Monday 4 January 2027, 08:00 in Helsinki.
NOW = dt.datetime(2027, 1, 4, 8, 0, tzinfo=HELSINKI)
CUSTOMER = CustomerContact(name="Aino Asiakas", email="aino@example.fi")
#: Racing clients.
CLIENTS = 32


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2027, 1, day, hour, minute, tzinfo=HELSINKI)


# -- the invariants ------------------------------------------------------------------------------


def overlapping_reservations() -> list[tuple[int, int, int]]:
    """Pairs of active reservations of one resource whose held times (with the buffer) overlap."""
    by_resource: dict[int, list[tuple[dt.datetime, dt.datetime, int]]] = defaultdict(list)
    for pk, resource_id, starts, holds_until in Reservation.objects.filter(active=True).values_list(
        "pk", "resource_id", "starts", "holds_until"
    ):
        by_resource[resource_id].append((starts, holds_until, pk))
    clashes = []
    for resource_id, held in by_resource.items():
        held.sort()
        for (_s1, until, first), (starts, _u2, second) in itertools.pairwise(held):
            if starts < until:
                clashes.append((resource_id, first, second))
    return clashes


def partial_appointments() -> list[str]:
    """Appointments that hold some of their resources but not all (booked or confirmed: a booth for a
    remote meeting, one expert per agency, the interpreter asked for, all at the appointment's time), or
    any resource in another state."""
    wrong = []
    for appointment in Appointment.objects.prefetch_related("services", "reservations"):
        active = [r for r in appointment.reservations.all() if r.active]
        if appointment.state not in ACTIVE_STATES:
            if active:
                wrong.append(f"{appointment.code} {appointment.state} holds {len(active)}")
            continue
        roles = sorted(r.role for r in active)
        agencies = {s.agency_id for s in appointment.services.all()}
        expected = sorted(
            ["booth"] * (appointment.channel == Channel.REMOTE_MEETING)
            + ["expert"] * len(agencies)
            + ["interpreter"] * bool(appointment.interpreter_language)
        )
        times = {(r.starts, r.ends) for r in active}
        if roles != expected or times != {(appointment.starts, appointment.ends)}:
            wrong.append(f"{appointment.code} holds {roles}, needs {expected}, at {times}")
    return wrong


# -- property tests ------------------------------------------------------------------------------


def _instance(booths: int, experts: int) -> list[SlotRequest]:
    """A point with ``booths`` booths, ``experts`` experts shared by two agencies (the first, then the
    second, then the first again) and an Arabic interpreter; the requests: agency A, agencies A and B,
    and A and B with the interpreter."""
    point, _booths, (service_a, service_b) = remote_service_point(booths=booths, agencies=2)
    for n in range(experts):
        service = (service_a, service_b)[n % 2]
        expert_create(agency=service.agency, services=[service])
    interpreter_create(languages=["fi", "ar"])

    def request(*services: Any, interpreter: str = "") -> SlotRequest:
        return slot_request_build(
            point=point,
            service_ids=[s.pk for s in services],
            channel=Channel.REMOTE_MEETING,
            language="fi",
            interpreter_language=interpreter,
        )

    return [
        request(service_a),
        request(service_a, service_b),
        request(service_a, service_b, interpreter="ar"),
    ]


#: Start times on Monday and Tuesday between 10:00 and 14:30 on the 15-minute grid, with a few that are
#: off the grid or outside the opening hours (refused, changing nothing).
_STARTS = [at(day, 10) + dt.timedelta(minutes=15 * n) for day in (4, 5) for n in range(19)]
_STARTS += [at(4, 10, 5), at(4, 15), at(4, 8)]

operation = st.one_of(
    st.tuples(st.just("book"), st.integers(0, 2), st.sampled_from(_STARTS)),
    st.tuples(st.just("cancel"), st.integers(0, 50), st.none()),
    st.tuples(st.just("reschedule"), st.integers(0, 50), st.sampled_from(_STARTS)),
)


@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    booths=st.integers(1, 2),
    experts=st.integers(1, 3),
    operations=st.lists(operation, min_size=1, max_size=10),
)
def test_booking_cancel_reschedule__any_sequence__never_overlaps_and_all_or_none(
    booths: int, experts: int, operations: list[tuple[str, int, dt.datetime | None]]
) -> None:
    with transaction.atomic():
        requests = _instance(booths, experts)
        booked: list[Appointment] = []
        for kind, number, start in operations:
            try:
                if kind == "book":
                    assert start is not None
                    booked.append(
                        appointment_book(request=requests[number], start=start, customer=CUSTOMER, now=NOW)
                    )
                elif booked and kind == "cancel":
                    appointment_cancel(appointment=booked[number % len(booked)], now=NOW)
                elif booked and kind == "reschedule":
                    assert start is not None
                    target = Appointment.objects.get(pk=booked[number % len(booked)].pk)
                    appointment_reschedule(appointment=target, start=start, now=NOW)
            except (ValidationError, SlotTaken):
                pass
        assert overlapping_reservations() == []
        assert partial_appointments() == []
        transaction.set_rollback(True)


# -- races ---------------------------------------------------------------------------------------


def _race(work: Callable[[int], Any], clients: int = CLIENTS) -> tuple[list[Any], list[BaseException]]:
    """Run ``work(n)`` in ``clients`` threads that start together, each with its own database
    connection; their results and their exceptions."""
    start = threading.Barrier(clients, timeout=30)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        try:
            start.wait()
            result = work(n)
            with lock:
                results.append(result)
        except BaseException as error:  # the test sorts them out
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


@pytest.fixture
def one_slot() -> SlotRequest:
    """One booth and one expert: one appointment fills 10:00."""
    point, _booths, services = remote_service_point(booths=1, agencies=1)
    expert_create(agency=services[0].agency, services=services)
    return slot_request_build(
        point=point, service_ids=[services[0].pk], channel=Channel.REMOTE_MEETING, language="fi"
    )


@pytest.mark.django_db(transaction=True)
def test_appointment_book__32_clients_race_for_one_time__one_wins_the_rest_get_next_slots(
    one_slot: SlotRequest,
) -> None:
    def book(n: int) -> Appointment:
        return appointment_book(
            request=one_slot,
            start=at(4, 10),
            customer=CustomerContact(name=f"Asiakas {n}", email=f"asiakas{n}@example.fi"),
            now=NOW,
        )

    won, lost = _race(book)

    assert len(won) == 1, lost
    assert len(lost) == CLIENTS - 1 and all(isinstance(e, SlotTaken) for e in lost), lost
    assert all(e.next_slots and e.next_slots[0].start == at(4, 10, 45) for e in lost)  # type: ignore[attr-defined]
    assert Appointment.objects.count() == 1 and Reservation.objects.count() == 2
    assert overlapping_reservations() == [] and partial_appointments() == []


@pytest.mark.django_db(transaction=True)
def test_appointment_api__32_requests_race_for_one_time__one_201_the_rest_409_with_next_slots(
    one_slot: SlotRequest, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.BOOKING_LIMIT_PER_HOUR = 0
    settings.API_PUBLIC_LIMIT_PER_MINUTE = 10_000
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(dt.UTC))
    body = {
        "start": at(4, 10).isoformat(),
        "point": one_slot.point.pk,
        "services": [one_slot.services[0].pk],
        "channel": "remote_meeting",
        "language": "fi",
        "customer": {"name": "Aino Asiakas", "email": "aino@example.fi"},
    }

    def post(n: int) -> Any:
        return Client(REMOTE_ADDR=f"192.0.2.{n + 1}").post(
            "/api/v1/appointments", json.dumps(body), content_type="application/json"
        )

    responses, errors = _race(post)

    assert errors == []
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * (CLIENTS - 1), statuses
    refused = [r.json() for r in responses if r.status_code == 409]
    assert all(b["code"] == "slot_taken" and b["next_slots"] for b in refused)
    assert {b["next_slots"][0]["start"] for b in refused} == {"2027-01-04T10:45:00+02:00"}
    assert Appointment.objects.count() == 1 and Reservation.objects.count() == 2
    assert overlapping_reservations() == [] and partial_appointments() == []


@pytest.mark.django_db(transaction=True)
def test_appointment_book__two_agencies_and_interpreter__interpreter_taken_meanwhile__holds_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The two-agency meeting with an interpreter finds its time free; before it writes, another client
    books the only interpreter then (from its own connection). The meeting holds nothing, the other
    keeps all of its resources, and the answer offers the next free times."""
    point, _booths, (service_a, service_b) = remote_service_point(booths=1, agencies=2)
    BoothFactory.create(point=point)  # a second booth: the other meeting does not need ours
    expert_create(agency=service_a.agency, services=[service_a])
    expert_create(agency=service_b.agency, services=[service_b])
    service_c = ServiceFactory.create(typical_duration_minutes=30)
    ServiceOfferingFactory.create(point=point, service=service_c, channel=Channel.REMOTE_MEETING)
    expert_create(agency=service_c.agency, services=[service_c])
    interpreter_create(languages=["fi", "ar"])

    def request(*services: Any) -> SlotRequest:
        return slot_request_build(
            point=point,
            service_ids=[s.pk for s in services],
            channel=Channel.REMOTE_MEETING,
            language="fi",
            interpreter_language="ar",
        )

    meeting, other = request(service_a, service_b), request(service_c)
    original = scheduling_services._slot_at
    calls: list[Any] = []

    def slot_then_taken(**kwargs: Any) -> Any:
        slot = original(**kwargs)
        if not calls:
            calls.append(slot)
            # Meanwhile, on another connection, someone books the interpreter at the same time.
            taken, errors = _race(
                lambda n: appointment_book(request=other, start=at(4, 10), customer=CUSTOMER, now=NOW), 1
            )
            assert errors == [] and len(taken) == 1
        return slot

    monkeypatch.setattr(scheduling_services, "_slot_at", slot_then_taken)

    with pytest.raises(SlotTaken) as refused:
        appointment_book(request=meeting, start=at(4, 10), customer=CUSTOMER, now=NOW)

    assert calls and calls[0] is not None and calls[0].interpreter is not None
    assert refused.value.next_slots and refused.value.next_slots[0].start == at(4, 10, 45)
    [kept] = Appointment.objects.all()
    assert sorted(kept.reservations.values_list("role", flat=True)) == ["booth", "expert", "interpreter"]
    assert overlapping_reservations() == [] and partial_appointments() == []


@pytest.mark.django_db(transaction=True)
def test_appointment_book__booth_held_meanwhile_by_a_call_now__books_nothing(
    one_slot: SlotRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The time is found free; before the booking writes, the desk's "call now" holds the only booth
    (an absence of the booth's resource, from another connection). The booking holds nothing and
    answers with the next free times: a call and a meeting never share the booth."""
    from asiointi.scheduling.models import Absence, Resource

    booth = one_slot.point.booths.get()
    resource, _created = Resource.objects.get_or_create(booth=booth, defaults={"kind": "booth"})
    original = scheduling_services._slot_at
    calls: list[Any] = []

    def slot_then_held(**kwargs: Any) -> Any:
        slot = original(**kwargs)
        if not calls:
            calls.append(slot)
            held, errors = _race(
                lambda n: scheduling_services.absence_add(
                    resource=resource, starts=at(4, 9, 55), ends=at(4, 11), reason="call now"
                ),
                1,
            )
            assert errors == [] and len(held) == 1
        return slot

    monkeypatch.setattr(scheduling_services, "_slot_at", slot_then_held)

    with pytest.raises(SlotTaken):
        appointment_book(request=one_slot, start=at(4, 10), customer=CUSTOMER, now=NOW)

    assert calls and calls[0] is not None
    assert Appointment.objects.count() == 0 and Reservation.objects.count() == 0
    assert Absence.objects.filter(resource=resource).count() == 1
