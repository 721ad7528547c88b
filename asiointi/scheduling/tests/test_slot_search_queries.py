"""The slot search is the hot path of booking: its work in the database stays the same as the experts,
interpreters and appointments grow, and the least loaded experts are read first."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from asiointi.catalogue.models import Channel
from asiointi.factories import (
    OpeningHoursExceptionFactory,
    ServiceFactory,
    ServiceOfferingFactory,
    expert_create,
    interpreter_create,
    remote_meeting_request,
    remote_service_point,
)
from asiointi.scheduling import selectors
from asiointi.scheduling.selectors import slot_at, slot_request_build, slot_search
from asiointi.scheduling.services import CustomerContact, absence_add, appointment_book

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")
#: Monday 4 January 2027, 08:00 in Helsinki.
NOW = dt.datetime(2027, 1, 4, 8, 0, tzinfo=HELSINKI)
CUSTOMER = CustomerContact(name="Aino Asiakas", email="aino@example.fi")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2027, 1, day, hour, minute, tzinfo=HELSINKI)


def _two_agencies_and_interpreter(*, booths: int) -> tuple[list, object]:
    """A remote point with ``booths`` booths and a service of each of two agencies, and the request
    for both services with an Arabic interpreter."""
    point, _booths, services = remote_service_point(booths=booths, agencies=2)
    request = remote_meeting_request(point, services, interpreter_language="ar")
    return services, request


def _search_queries(request) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as queries:
        slots = slot_search(
            viewer=None, request=request, start=NOW, end=NOW + dt.timedelta(days=30), limit=20, now=NOW
        )
    return len(queries.captured_queries), slots


def test_slot_search__two_agencies_and_interpreter__query_count_does_not_grow_with_people_or_bookings():
    services, request = _two_agencies_and_interpreter(booths=3)
    for service in services:
        expert_create(agency=service.agency, services=[service])
    interpreter_create(languages=["fi", "ar"])
    appointment_book(request=request, start=at(4, 10), customer=CUSTOMER, now=NOW)
    small, small_slots = _search_queries(request)

    for service in services:
        for _ in range(14):
            expert_create(agency=service.agency, services=[service])
    for _ in range(5):
        interpreter_create(languages=["fi", "ar"])
    for day in (4, 5, 7):
        for hour in (10, 11, 12, 13):
            appointment_book(request=request, start=at(day, hour), customer=CUSTOMER, now=NOW)
    large, large_slots = _search_queries(request)

    assert len(small_slots) == len(large_slots) == 20
    assert large == small
    # One window: on PostgreSQL the candidates with their working hours and the point's rules and
    # exceptions (one statement), and the window (absences, loads and the least loaded's reservations
    # in one statement); elsewhere the point's rules, its exceptions, the working hours, the absences,
    # the loads and the reservations are a query each.
    assert small == (2 if connection.vendor == "postgresql" else 7)


def test_slot_search__many_equal_experts__offers_the_least_loaded_first():
    point, _booths, services = remote_service_point(booths=15, agencies=1)
    request = slot_request_build(
        point=point, service_ids=[services[0].pk], channel=Channel.REMOTE_MEETING, language="fi"
    )
    experts = [expert_create(agency=services[0].agency, services=services) for _ in range(15)]
    # Fourteen meetings at noon on Monday, each with another expert: one expert has none that day.
    for _ in range(14):
        appointment_book(request=request, start=at(4, 12), customer=CUSTOMER, now=NOW)
    loads = {e.resource_id: e.resource.reservations.filter(active=True).count() for e in experts}
    assert sorted(loads.values()) == [0] + [1] * 14
    slots = slot_search(viewer=None, request=request, start=at(4, 11), end=at(5, 0), limit=1, now=NOW)
    assert slots[0].start == at(4, 11)
    assert loads[slots[0].experts[0].resource_id] == 0


def test_slot_search__least_loaded_experts_busy__finds_a_more_loaded_expert_free_then():
    point, _booths, services = remote_service_point(booths=13, agencies=1)
    agency = services[0].agency
    special = ServiceFactory.create(agency=agency, typical_duration_minutes=30)
    ServiceOfferingFactory.create(point=point, service=special, channel=Channel.REMOTE_MEETING)
    request = slot_request_build(
        point=point, service_ids=[services[0].pk], channel=Channel.REMOTE_MEETING, language="fi"
    )
    only_veteran = slot_request_build(
        point=point, service_ids=[special.pk], channel=Channel.REMOTE_MEETING, language="fi"
    )
    for _ in range(12):
        expert_create(agency=agency, services=services)
    veteran = expert_create(agency=agency, services=[services[0], special])
    # The veteran has two meetings on Tuesday; the twelve others one each at 10:00 on Monday.
    appointment_book(request=only_veteran, start=at(5, 10), customer=CUSTOMER, now=NOW)
    appointment_book(request=only_veteran, start=at(5, 11), customer=CUSTOMER, now=NOW)
    for _ in range(12):
        appointment_book(request=request, start=at(4, 10), customer=CUSTOMER, now=NOW)
    # Over the two days searched the twelve are the least loaded, and all in meetings at 10:00 on
    # Monday; the veteran is free then and takes the 13th booth.
    slots = slot_search(viewer=None, request=request, start=at(4, 10), end=at(5, 0), limit=1, now=NOW)
    assert [s.start for s in slots] == [at(4, 10)]
    assert slots[0].experts[0].resource_id == veteran.resource_id


def _book_queries(request, start) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        appointment_book(request=request, start=start, customer=CUSTOMER, now=NOW)
    sql = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    return len(sql), sql


def test_appointment_book__free_time__reads_the_hours_once_and_checks_only_that_time():
    point, _booths, services = remote_service_point(booths=1, agencies=1)
    request = slot_request_build(
        point=point, service_ids=[services[0].pk], channel=Channel.REMOTE_MEETING, language="fi"
    )
    for _ in range(6):
        expert_create(agency=services[0].agency, services=services)
    appointment_book(request=request, start=at(4, 10), customer=CUSTOMER, now=NOW)  # the booth's resource

    count, sql = _book_queries(request, at(5, 12))

    # The hours (rules, exceptions), the free booth and experts (one query), their working hours (in
    # that query on PostgreSQL); then the appointment, its services, the recheck inside the transaction
    # (SQLite; on PostgreSQL the exclusion constraint decides at the insert, and the absences, which a
    # call now's hold of a booth is, are read after it), the reservations, the history.
    assert count == (8 if connection.vendor == "postgresql" else 9)
    assert sum("network_openinghoursrule" in q for q in sql) == 1
    assert not any("COUNT(" in q.upper() for q in sql)  # no window search: no load counting


def test_appointment_book__two_agencies_and_interpreter__query_count_does_not_grow_with_people():
    services, request = _two_agencies_and_interpreter(booths=2)
    for service in services:
        for _ in range(2):
            expert_create(agency=service.agency, services=[service])
    for _ in range(2):
        interpreter_create(languages=["fi", "ar"])
    appointment_book(request=request, start=at(4, 10), customer=CUSTOMER, now=NOW)
    appointment_book(request=request, start=at(4, 10), customer=CUSTOMER, now=NOW)  # both booths' rows
    small, _sql = _book_queries(request, at(5, 12))
    for service in services:
        for _ in range(10):
            expert_create(agency=service.agency, services=[service])
    for _ in range(4):
        interpreter_create(languages=["fi", "ar"])

    large, _sql = _book_queries(request, at(7, 12))

    # The booths, the experts of both agencies and the interpreters are found in one query.
    assert small == large == (8 if connection.vendor == "postgresql" else 9)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_slot_at__compiled_once_per_shape__same_people_as_the_querysets_built_each_time(monkeypatch):
    # A booking's check of its one time runs the statement compiled for the request's shape (the
    # booking's hot path): it must find exactly whom building the querysets each time finds, busy
    # and absent people left out, and a moved appointment's own reservations ignored.
    services, request = _two_agencies_and_interpreter(booths=2)
    for service in services:
        for _ in range(3):
            expert_create(agency=service.agency, services=[service])
    interpreter = interpreter_create(languages=["fi", "ar"])
    interpreter_create(languages=["fi", "ar"])
    booked = [
        appointment_book(request=request, start=at(5, hour), customer=CUSTOMER, now=NOW) for hour in (10, 10)
    ]
    absence_add(resource=interpreter.resource, starts=at(6, 9), ends=at(6, 16))
    asks = [
        (at(5, 10), None),
        (at(5, 10), booked[0].pk),
        (at(5, 11), None),
        (at(6, 10), None),
        (at(7, 12), None),
    ]

    def answers() -> list:
        found = []
        for start, ignore in asks:
            slot = slot_at(viewer=None, request=request, start=start, ignore_appointment_id=ignore)
            found.append(None if slot is None else slot.resource_ids)
        return found

    selectors._COMPILED.clear()
    compiled_parts = []
    real_parts = selectors._candidate_parts

    def counted_parts(**kw):
        compiled_parts.append(kw)
        return real_parts(**kw)

    monkeypatch.setattr(selectors, "_candidate_parts", counted_parts)
    compiled = answers()
    shapes = [k[-3:] for k, v in selectors._COMPILED.items() if v is not None]
    assert shapes == [(True, False, selectors._FIRST_FREE), (True, True, selectors._FIRST_FREE)]
    assert len(compiled_parts) == 2  # once per shape: without and with a moved appointment

    monkeypatch.setattr(selectors, "_compile_candidates", lambda *args: None)
    selectors._COMPILED.clear()
    assert answers() == compiled
    assert compiled[0] is None  # both booths taken at 10
    assert compiled[1] is not None  # moving one of them frees its own booth and people
    assert interpreter.resource_id not in (compiled[3] or [])  # absent that day
    assert all(compiled[2:])


def test_appointment_book__the_first_free_experts_do_not_work_then__books_one_further_on():
    # A booking's check reads the first few free people by resource on PostgreSQL; when none of them
    # works at that time, the rest are read: a later expert who does is still found.
    point, _booths, services = remote_service_point(booths=1, agencies=1)
    request = slot_request_build(
        point=point, service_ids=[services[0].pk], channel=Channel.REMOTE_MEETING, language="fi"
    )
    for _ in range(selectors._FIRST_FREE + 2):
        expert_create(agency=services[0].agency, services=services, weekdays=[0, 1])  # Mondays, Tuesdays
    late = expert_create(agency=services[0].agency, services=services, weekdays=[3])  # Thursdays

    appointment = appointment_book(request=request, start=at(7, 10), customer=CUSTOMER, now=NOW)

    assert [r.resource_id for r in appointment.reservations.filter(role="expert")] == [late.resource_id]


def test_slot_search__dated_exceptions__close_a_day_open_a_holiday_and_shorten_a_day():
    # The point's hours come with the candidates on PostgreSQL: the exceptions must decide as before.
    point, _booths, services = remote_service_point(booths=1, agencies=1)
    expert_create(agency=services[0].agency, services=services)
    OpeningHoursExceptionFactory.create(point=point, date=dt.date(2027, 1, 5), is_closed=True)
    # Wednesday 6 January is Epiphany, a public holiday: the point opens from 10 to 12 all the same.
    OpeningHoursExceptionFactory.create(
        point=point, date=dt.date(2027, 1, 6), is_closed=False, opens=dt.time(10), closes=dt.time(12)
    )
    OpeningHoursExceptionFactory.create(
        point=point, date=dt.date(2027, 1, 7), is_closed=False, opens=dt.time(12), closes=dt.time(13)
    )
    request = slot_request_build(
        point=point, service_ids=[services[0].pk], channel=Channel.REMOTE_MEETING, language="fi"
    )

    slots = slot_search(viewer=None, request=request, start=NOW, end=at(9, 0), limit=100, now=NOW)

    by_day: dict[int, list[dt.datetime]] = {}
    for slot in slots:
        local = slot.start.astimezone(HELSINKI)
        assert local.date() != dt.date(2027, 1, 5)
        by_day.setdefault(local.day, []).append(local)
        bounds = {6: (10, 12), 7: (12, 13)}.get(local.day, (9, 15))
        assert at(local.day, bounds[0]) <= slot.start and slot.end <= at(local.day, bounds[1])
    assert sorted(by_day) == [4, 6, 7, 8]
