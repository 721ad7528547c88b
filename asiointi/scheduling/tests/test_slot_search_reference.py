"""The slot search against a straightforward one on random data: for every start time on the grid, is
there a free booth, a free expert of each agency at work then and a free interpreter? The search reads
in few queries and walks sorted lists; this one asks the rows of each person for each time."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from asiointi.catalogue.models import Channel
from asiointi.factories import ServiceFactory, ServiceOfferingFactory, expert_create, interpreter_create
from asiointi.factories import remote_service_point as point_create
from asiointi.network.selectors import point_open_intervals
from asiointi.scheduling.models import Absence, Expert, Interpreter, Reservation, WorkingHours
from asiointi.scheduling.selectors import slot_request_build, slot_search, working_hours_on
from asiointi.scheduling.services import (
    CustomerContact,
    SlotTaken,
    absence_add,
    appointment_book,
    working_hours_replace,
)

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")
#: Monday 4 January 2027, 08:00 in Helsinki.
NOW = dt.datetime(2027, 1, 4, 8, 0, tzinfo=HELSINKI)
CUSTOMER = CustomerContact(name="Aino Asiakas", email="aino@example.fi")


def _rules(rng: random.Random) -> list[tuple[int, dt.time, dt.time]]:
    """Random weekly hours: some days off, some days in two touching or separate parts."""
    rules = []
    for weekday in range(5):
        if rng.random() < 0.2:
            continue
        starts = dt.time(rng.choice([8, 9, 10]), rng.choice([0, 30]))
        ends = dt.time(rng.choice([13, 14, 16]))
        if rng.random() < 0.3:
            middle = dt.time(11, rng.choice([0, 30]))
            later = middle if rng.random() < 0.5 else dt.time(12)
            rules += [(weekday, starts, middle), (weekday, later, ends)]
        else:
            rules.append((weekday, starts, ends))
    return rules


def _works(resource_id: int, start: dt.datetime, end: dt.datetime) -> bool:
    day = start.astimezone(HELSINKI).date()
    spans = sorted(
        (
            dt.datetime.combine(day, r.starts, HELSINKI),
            dt.datetime.combine(day, r.ends, HELSINKI),
        )
        for r in working_hours_on(WorkingHours.objects.filter(resource_id=resource_id), day)
    )
    merged: list[list[dt.datetime]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return any(lo <= start and end <= hi for lo, hi in merged)


def _free(resource_id: int | None, start: dt.datetime, hold: dt.datetime) -> bool:
    if resource_id is None:
        return True
    held = Reservation.objects.filter(
        resource_id=resource_id, active=True, starts__lt=hold, holds_until__gt=start
    ).exists()
    absent = Absence.objects.filter(resource_id=resource_id, starts__lt=hold, ends__gt=start).exists()
    return not (held or absent)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_slot_search__random_people_hours_absences_and_bookings__same_times_as_asking_each_person(seed):
    rng = random.Random(seed)
    point, booths, services = point_create(booths=2, agencies=2)
    longer = ServiceFactory.create(agency=services[1].agency, typical_duration_minutes=45)
    ServiceOfferingFactory.create(point=point, service=longer, channel=Channel.REMOTE_MEETING)
    people = []
    for service in [*services, longer]:
        for _ in range(3):
            expert = expert_create(
                agency=service.agency, services=[service], languages=rng.choice([["fi"], ["fi", "sv"]])
            )
            working_hours_replace(resource=expert.resource, rules=_rules(rng))
            people.append(expert.resource)
    for n in range(3):
        languages = ["fi", "ar"] if n == 0 else rng.choice([["fi", "ar"], ["sv", "ar"], ["fi", "ru"]])
        interpreter = interpreter_create(languages=languages)
        working_hours_replace(resource=interpreter.resource, rules=_rules(rng))
        people.append(interpreter.resource)
    for resource in rng.sample(people, 4):
        day = rng.randrange(4, 14)
        starts = dt.datetime(2027, 1, day, rng.choice([9, 10, 13]), tzinfo=HELSINKI)
        absence_add(
            resource=resource, starts=starts, ends=starts + dt.timedelta(hours=rng.choice([1, 3, 30]))
        )
    requests = [
        slot_request_build(
            point=point, service_ids=[services[0].pk], channel=Channel.REMOTE_MEETING, language="fi"
        ),
        slot_request_build(
            point=point,
            service_ids=[services[0].pk, longer.pk],
            channel=Channel.REMOTE_MEETING,
            language="fi",
            interpreter_language="ar",
        ),
    ]
    for _ in range(25):
        start = dt.datetime(
            2027, 1, rng.randrange(4, 15), rng.randrange(9, 14), 15 * rng.randrange(4), tzinfo=HELSINKI
        )
        with contextlib.suppress(SlotTaken, ValidationError):
            appointment_book(request=rng.choice(requests), start=start, customer=CUSTOMER, now=NOW)

    buffer = dt.timedelta(minutes=settings.SCHEDULING_BUFFER_MINUTES)
    step = dt.timedelta(minutes=settings.SCHEDULING_SLOT_STEP_MINUTES)
    earliest = NOW + dt.timedelta(minutes=settings.SCHEDULING_MIN_NOTICE_MINUTES)
    end = NOW + dt.timedelta(days=11)
    booth_resources = [b.resource.pk if hasattr(b, "resource") else None for b in booths]
    found = 0
    for request in requests:
        slots = slot_search(viewer=None, request=request, start=NOW, end=end, limit=500, now=NOW)
        experts = {
            agency: [
                e.resource_id
                for e in Expert.objects.filter(agency_id=agency, services__in=request.services).distinct()
                if request.language in e.languages
            ]
            for agency in request.agency_ids
        }
        interpreters = [
            i.resource_id
            for i in Interpreter.objects.all()
            if {request.interpreter_language, request.language} <= set(i.languages)
        ]
        expected = []
        for opens, closes in point_open_intervals(point=point, start=earliest, end=end + request.duration):
            t = opens + (-(opens - dt.datetime(2027, 1, 1, tzinfo=dt.UTC)) % step)
            while t + request.duration <= closes and t < end:
                meeting_end, hold = t + request.duration, t + request.duration + buffer
                if (
                    any(_free(b, t, hold) for b in booth_resources)
                    and all(
                        any(_works(e, t, meeting_end) and _free(e, t, hold) for e in ids)
                        for ids in experts.values()
                    )
                    and (
                        not request.interpreter_language
                        or any(_works(i, t, meeting_end) and _free(i, t, hold) for i in interpreters)
                    )
                ):
                    expected.append(t)
                t += step
        assert [s.start for s in slots] == expected
        found += len(expected)
        for slot in slots:
            hold = slot.end + buffer
            assert all(_free(r, slot.start, hold) for r in slot.resource_ids if r > 0)
            assert all(_works(e.resource_id, slot.start, slot.end) for e in slot.experts)
            assert slot.interpreter is None or _works(slot.interpreter.resource_id, slot.start, slot.end)
    assert found  # the data leaves some times free
