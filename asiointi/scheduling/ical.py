"""Appointments as iCalendar (RFC 5545), made with the ``icalendar`` package: the invitation attached to
each mail about an appointment (METHOD:REQUEST, or METHOD:CANCEL with STATUS:CANCELLED) and the private
feed of an expert or an interpreter (METHOD:PUBLISH).

Times are written in Europe/Helsinki with ``TZID`` and one VTIMEZONE that says when the clocks change
(the EU rule that Finland follows: summer time from 03:00 on the last Sunday of March to 04:00 on the
last Sunday of October), so a calendar shows the right hour on either side of a change whatever its own
zone. Every message about one appointment carries the same UID and the appointment's SEQUENCE, raised
at every change, so that a calendar replaces the older version (or removes it on a CANCEL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vRecur

HELSINKI_TZID = "Europe/Helsinki"
HELSINKI = ZoneInfo(HELSINKI_TZID)
PRODID = "-//Asiointi//Yhteispalvelupisteiden ajanvaraus//FI"

REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"


def uid_domain() -> str:
    """The right-hand side of the appointments' UIDs: the domain of the product's sender address."""
    address = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">").strip()
    return address.rsplit("@", 1)[-1] or "asiointi"


def appointment_uid(appointment_id: int) -> str:
    """The UID of an appointment: the same in every message and feed, for as long as it exists."""
    return f"appointment-{appointment_id}@{uid_domain()}"


@dataclass(frozen=True)
class Person:
    """An ORGANIZER or ATTENDEE: an address and the name a calendar shows."""

    email: str
    name: str


@dataclass(frozen=True)
class EventData:
    """What one VEVENT says, already in its reader's language."""

    appointment_id: int
    starts: dt.datetime
    ends: dt.datetime
    sequence: int
    summary: str
    description: str
    location: str
    organizer: Person | None = None
    attendees: Sequence[Person] = ()
    cancelled: bool = False
    #: When the appointment was last changed (DTSTAMP of a feed; a message's DTSTAMP is when it is made).
    stamp: dt.datetime | None = None


def helsinki_vtimezone() -> Timezone:
    """The VTIMEZONE of Europe/Helsinki by its recurring rule (EET, EEST from the last Sunday of March
    03:00 to the last Sunday of October 04:00 local time), valid for every year the product books."""
    zone = Timezone()
    zone.add("tzid", HELSINKI_TZID)
    daylight = TimezoneDaylight()
    # A VTIMEZONE onset is a floating local time (RFC 5545 3.6.5), so these datetimes are naive.
    daylight.add("dtstart", dt.datetime(1970, 3, 29, 3, 0))  # noqa: DTZ001
    daylight.add("rrule", vRecur({"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "-1SU"}))
    daylight.add("tzoffsetfrom", dt.timedelta(hours=2))
    daylight.add("tzoffsetto", dt.timedelta(hours=3))
    daylight.add("tzname", "EEST")
    standard = TimezoneStandard()
    standard.add("dtstart", dt.datetime(1970, 10, 25, 4, 0))  # noqa: DTZ001
    standard.add("rrule", vRecur({"FREQ": "YEARLY", "BYMONTH": 10, "BYDAY": "-1SU"}))
    standard.add("tzoffsetfrom", dt.timedelta(hours=3))
    standard.add("tzoffsetto", dt.timedelta(hours=2))
    standard.add("tzname", "EET")
    zone.add_component(daylight)
    zone.add_component(standard)
    return zone


def _address(person: Person) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = person.name
    return address


def _event(data: EventData, *, now: dt.datetime, method: str) -> Event:
    event = Event()
    event.add("uid", appointment_uid(data.appointment_id))
    event.add("dtstamp", (data.stamp or now).astimezone(dt.UTC))
    event.add("dtstart", data.starts.astimezone(HELSINKI))
    event.add("dtend", data.ends.astimezone(HELSINKI))
    event.add("sequence", data.sequence)
    event.add("summary", data.summary)
    if data.description:
        event.add("description", data.description)
    if data.location:
        event.add("location", data.location)
    event.add("status", "CANCELLED" if data.cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if data.cancelled else "OPAQUE")
    if data.organizer is not None:
        event.add("organizer", _address(data.organizer))
    for person in data.attendees:
        attendee = _address(person)
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["CUTYPE"] = "INDIVIDUAL"
        if method == REQUEST:
            attendee.params["PARTSTAT"] = "NEEDS-ACTION"
            attendee.params["RSVP"] = "FALSE"
        event.add("attendee", attendee)
    return event


def calendar_build(
    *, events: Iterable[EventData], method: str, name: str = "", now: dt.datetime | None = None
) -> bytes:
    """An iCalendar object of ``events`` with ``method`` (REQUEST, CANCEL or PUBLISH) and the
    Helsinki VTIMEZONE; ``name`` is the calendar's name in a feed (X-WR-CALNAME)."""
    now = now or dt.datetime.now(dt.UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", HELSINKI_TZID)
    calendar.add_component(helsinki_vtimezone())
    for data in events:
        calendar.add_component(_event(data, now=now, method=method))
    return calendar.to_ical()


def invitation_build(*, event: EventData, now: dt.datetime | None = None) -> tuple[str, bytes]:
    """The METHOD and the body of a mail's invitation for one event: CANCEL for a cancelled one."""
    method = CANCEL if event.cancelled else REQUEST
    return method, calendar_build(events=[event], method=method, now=now)
