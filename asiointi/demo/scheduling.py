"""The demo's bookable people and their appointments: experts of every agency that meets customers at
the demo points (by remote service or on visiting days), interpreters of spoken and sign languages, their
working hours and a few absences, and appointments from eight weeks back to six weeks ahead, so that the
calendars, the booths' days and the slot search are not empty.

Everything goes through the scheduling app's services, as a real booking does (no mail is sent for the
demo's appointments). Running it again deletes the demo points' appointments and books them anew from
the seed; people are matched by their email addresses.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db.models import Q

from asiointi.accounts.models import Membership, Role, User
from asiointi.catalogue.models import Channel, Service, ServiceOffering
from asiointi.meetings.models import Room
from asiointi.meetings.services import rooms_prepare
from asiointi.network.models import Agency, Booth, ServicePoint, VisitingSchedule
from asiointi.scheduling import services as scheduling
from asiointi.scheduling.models import (
    Absence,
    Appointment,
    AppointmentState,
    Expert,
    Interpreter,
    WorkingHours,
)
from asiointi.scheduling.selectors import SlotRequest

HELSINKI = ZoneInfo("Europe/Helsinki")


@dataclass(frozen=True)
class PersonData:
    email: str
    full_name: str
    languages: tuple[str, ...]
    hours: tuple[str, str] = ("8.00", "16.00")
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    user_language: str = "fi"


#: Experts per agency: the demo's own expert accounts (signed in with the demo password) are the
#: first of Kela's and the Tax Administration's; each agency has a Swedish-speaking expert for Parainen.
EXPERTS: dict[str, tuple[PersonData, ...]] = {
    "kela": (
        PersonData("asiantuntija.kela", "Tiina Korhonen", ("fi", "en")),
        PersonData("kela.heikki.rantanen", "Heikki Rantanen", ("fi",), ("8.30", "15.30")),
        PersonData("kela.maria.holmberg", "Maria Holmberg", ("sv", "fi", "en"), user_language="sv"),
    ),
    "vero": (
        PersonData("asiantuntija.vero", "Mikko Laine", ("fi", "en")),
        PersonData("vero.sari.koskinen", "Sari Koskinen", ("fi",), weekdays=(1, 2, 3)),
        PersonData("vero.johan.ekholm", "Johan Ekholm", ("sv", "fi"), user_language="sv"),
    ),
    "tyollisyys": (
        PersonData("tyollisyys.anne.jarvinen", "Anne Järvinen", ("fi", "en")),
        PersonData("tyollisyys.petri.salo", "Petri Salo", ("fi",), ("9.00", "16.00")),
        PersonData("tyollisyys.camilla.nyberg", "Camilla Nyberg", ("sv", "fi"), user_language="sv"),
    ),
    "dvv": (
        PersonData("dvv.laura.hamalainen", "Laura Hämäläinen", ("fi", "en")),
        PersonData("dvv.erik.sundqvist", "Erik Sundqvist", ("sv", "fi"), user_language="sv"),
    ),
    "oikeusapu": (
        PersonData("oikeusapu.jari.lehtonen", "Jari Lehtonen", ("fi",)),
        PersonData("oikeusapu.elin.backman", "Elin Backman", ("sv", "fi"), user_language="sv"),
    ),
    "poliisi": (PersonData("poliisi.timo.karjalainen", "Timo Karjalainen", ("fi", "sv")),),
}

#: Interpreters: the demo's interpreter account first.
INTERPRETERS: tuple[PersonData, ...] = (
    PersonData("tulkki", "Aino Virtanen", ("fi", "fse", "en")),
    PersonData("tulkki.ahmed.hassan", "Ahmed Hassan", ("fi", "ar", "en")),
    PersonData("tulkki.hodan.ali", "Hodan Ali", ("fi", "so")),
    PersonData("tulkki.olena.kovalenko", "Olena Kovalenko", ("fi", "uk", "ru"), ("9.00", "17.00")),
    PersonData("tulkki.sofia.lindgren", "Sofia Lindgren", ("sv", "fi", "fss"), user_language="sv"),
    PersonData("tulkki.reza.karimi", "Reza Karimi", ("fi", "prs", "fa"), weekdays=(0, 2, 4)),
)

CUSTOMERS = (
    ("Matti Virtanen", "fi"),
    ("Liisa Nieminen", "fi"),
    ("Eino Mäkelä", "fi"),
    ("Helmi Koskinen", "fi"),
    ("Pentti Hakala", "fi"),
    ("Raili Leinonen", "fi"),
    ("Ahmad Rahimi", "fi"),
    ("Fatuma Yusuf", "fi"),
    ("Oksana Melnyk", "en"),
    ("John Smith", "en"),
    ("Karin Öhman", "sv"),
    ("Lars Sjöberg", "sv"),
)

WEEKS_BACK = 8
WEEKS_AHEAD = 6


def _time(hhmm: str) -> dt.time:
    hours, minutes = hhmm.split(".")
    return dt.time(int(hours), int(minutes))


def _email(local: str, domain: str) -> str:
    return f"{local}@{domain}"


def _person(
    data: PersonData, role: str, domain: str, hashed: str, *, agency: Agency | None = None
) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(
        email=_email(data.email, domain),
        defaults={"full_name": data.full_name, "language": data.user_language, "is_staff": True},
    )
    if created:
        # Bookable colleagues of the demo accounts, without a password: nobody signs in as them.
        user.password = hashed
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, role=role, agency=agency, point=None)
    return user, created


def _hours(resource_id: int, data: PersonData) -> None:
    from asiointi.scheduling.models import Resource

    scheduling.working_hours_replace(
        resource=Resource.objects.get(pk=resource_id),
        rules=[(day, _time(data.hours[0]), _time(data.hours[1])) for day in data.weekdays],
    )


def load_people(
    *, points: dict[str, ServicePoint], agencies: dict[str, Agency], domain: str
) -> dict[str, int]:
    """Experts and interpreters with their working hours; visiting officials linked to the demo points'
    visiting schedules of their agency. Returns counts by kind."""
    hashed = make_password(None)
    demo_points = list(points.values())
    counts = {"experts": 0, "interpreters": 0}
    for code, people in EXPERTS.items():
        agency = agencies.get(code)
        if agency is None:
            continue
        services = list(
            Service.objects.filter(
                agency=agency,
                offerings__point__in=demo_points,
                offerings__channel__in=[Channel.REMOTE_MEETING, Channel.VISITING_OFFICIAL],
            ).distinct()
        )
        if not services:
            continue
        for data in people:
            user, _created = _person(data, Role.EXPERT, domain, hashed, agency=agency)
            expert = Expert.objects.filter(user=user, agency=agency).first()
            if expert is None:
                expert = scheduling.expert_create(
                    user=user,
                    agency_id=agency.pk,
                    service_ids=[s.pk for s in services],
                    languages=data.languages,
                )
            else:
                expert.services.set(services)
            _hours(expert.resource_id, data)
            counts["experts"] += 1
        # The agency's visiting days at the demo points: its first experts go there in person.
        visits = VisitingSchedule.objects.filter(point__in=demo_points, agency=agency)
        for index, expert in enumerate(Expert.objects.filter(agency=agency).order_by("pk")):
            expert.visits.set([v for v in visits if index < 2])
    for data in INTERPRETERS:
        user, _created = _person(data, Role.INTERPRETER, domain, hashed)
        interpreter = Interpreter.objects.filter(user=user).first()
        if interpreter is None:
            interpreter = scheduling.interpreter_create(user=user, languages=data.languages)
        _hours(interpreter.resource_id, data)
        counts["interpreters"] += 1
    return counts


def _absences(today: dt.date) -> int:
    """A week's leave for one expert of each agency in a fortnight, and a training afternoon."""
    Absence.objects.filter(reason__startswith="Demo:").delete()
    made = 0
    monday = today + dt.timedelta(days=14 - today.weekday())
    for expert in list(Expert.objects.order_by("agency_id", "pk"))[1::3]:
        scheduling.absence_add(
            resource=expert.resource,
            starts=dt.datetime.combine(monday, dt.time(0), tzinfo=HELSINKI),
            ends=dt.datetime.combine(monday + dt.timedelta(days=5), dt.time(0), tzinfo=HELSINKI),
            reason="Demo: vuosiloma",
        )
        made += 1
    return made


def _requests(point: ServicePoint) -> list[SlotRequest]:
    """The kinds of meeting customers book at ``point``: one service of an agency, or two agencies in one
    remote meeting; in the point's language or in another with an interpreter."""
    offerings = list(
        ServiceOffering.objects.filter(
            point=point, channel__in=[Channel.REMOTE_MEETING, Channel.VISITING_OFFICIAL]
        )
        .select_related("service__agency")
        .order_by("pk")
    )
    by_channel: dict[str, list[Service]] = {}
    for offering in offerings:
        by_channel.setdefault(offering.channel, []).append(offering.service)
    language = "sv" if "sv" in (point.languages or [])[:1] else "fi"
    requests: list[SlotRequest] = []
    for channel, services in by_channel.items():
        for service in services[::4]:
            requests.append(SlotRequest(point, (service,), channel, language))
    remote = by_channel.get(Channel.REMOTE_MEETING, [])
    agencies = {s.agency_id: s for s in remote}
    if len(agencies) >= 2:
        first, second = list(agencies.values())[:2]
        requests.append(SlotRequest(point, (first, second), Channel.REMOTE_MEETING, language))
        requests.append(SlotRequest(point, (first,), Channel.REMOTE_MEETING, "fi", "ar"))
        requests.append(SlotRequest(point, (first, second), Channel.REMOTE_MEETING, "fi", "fse"))
    return requests


def load_appointments(
    *,
    points: dict[str, ServicePoint],
    advisors: Sequence[User],
    today: dt.date,
    rng: random.Random,
    weeks_back: int = WEEKS_BACK,
) -> dict[str, int]:
    """Appointments at the demo points from ``weeks_back`` weeks ago to ``WEEKS_AHEAD`` weeks ahead:
    past ones done (a few missed or cancelled), future ones booked by customers or by the advisor. Each
    is tried at a random time of the day on the slot grid and left out when that time cannot be had."""
    # A reload starts afresh: the video rooms of the old appointments go with them.
    Room.objects.filter(appointment__point__in=points.values()).delete()
    Appointment.objects.filter(point__in=points.values()).delete()
    counts = {"booked": 0, "done": 0, "no_show": 0, "cancelled": 0}
    staff = advisors[0] if advisors else None
    now = dt.datetime.now(tz=HELSINKI)
    start_day = today - dt.timedelta(weeks=weeks_back)
    for slug, point in sorted(points.items()):
        requests = _requests(point)
        if not requests:
            continue
        # Karstula, the demo's own point, is busier: two a day; the others one every other day.
        per_day = 2.0 if slug == "karstula" else 0.5
        for offset in range((weeks_back + WEEKS_AHEAD) * 7):
            day = start_day + dt.timedelta(days=offset)
            if day.weekday() > 4:
                continue
            tries = int(per_day) + (1 if rng.random() < per_day % 1 else 0)
            for _ in range(tries):
                start = dt.datetime.combine(day, dt.time(9), tzinfo=HELSINKI) + dt.timedelta(
                    minutes=15 * rng.randrange(22)
                )
                booked_at = start - dt.timedelta(days=rng.randint(2, 20))
                request = rng.choice(requests)
                name, language = rng.choice(CUSTOMERS)
                local = name.lower().replace(" ", ".").replace("ä", "a").replace("ö", "o")
                by_advisor = rng.random() < 0.4
                try:
                    appointment = scheduling.appointment_book(
                        request=SlotRequest(
                            request.point,
                            request.services,
                            request.channel,
                            request.language if request.interpreter_language else language,
                            request.interpreter_language,
                        ),
                        start=start,
                        customer=scheduling.CustomerContact(
                            name=name,
                            email=f"{local}@example.fi" if rng.random() < 0.8 else "",
                            phone=""
                            if rng.random() < 0.6
                            else f"040 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                        ),
                        booked_by=staff if by_advisor else None,
                        now=booked_at,
                        notify=False,
                    )
                except (scheduling.SlotTaken, ValidationError):
                    continue
                if appointment.ends <= now:
                    roll = rng.random()
                    if roll < 0.08:
                        scheduling.appointment_cancel(
                            appointment=appointment, by=staff, now=booked_at, notify=False
                        )
                        counts["cancelled"] += 1
                    elif roll < 0.15 and staff is not None:
                        scheduling.appointment_state_set(
                            appointment=appointment,
                            state=AppointmentState.NO_SHOW,
                            by=staff,
                            now=appointment.ends,
                        )
                        counts["no_show"] += 1
                    elif staff is not None:
                        scheduling.appointment_state_set(
                            appointment=appointment,
                            state=AppointmentState.DONE,
                            by=staff,
                            now=appointment.ends,
                        )
                        counts["done"] += 1
                else:
                    counts["booked"] += 1
    return counts


def load_scheduling(
    *,
    points: dict[str, ServicePoint],
    agencies: dict[str, Agency],
    domain: str,
    today: dt.date,
    seed: int,
    weeks_back: int = WEEKS_BACK,
) -> dict[str, int]:
    counts = load_people(points=points, agencies=agencies, domain=domain)
    counts["absences"] = _absences(today)
    advisors = list(
        User.objects.filter(
            Q(memberships__role=Role.ADVISOR, memberships__point__slug="karstula"), is_demo_account=True
        )
    )
    counts.update(
        load_appointments(
            points=points,
            advisors=advisors,
            today=today,
            rng=random.Random(seed),  # noqa: S311  # nosec B311
            weeks_back=weeks_back,
        )  # nosec B311
    )
    counts["meeting_rooms"] = load_meeting_rooms(points=points, today=today)
    counts["working_hours"] = WorkingHours.objects.count()
    return counts


def load_meeting_rooms(*, points: dict[str, ServicePoint], today: dt.date) -> int:
    """The video rooms of today's remote appointments at the demo points' booths, made by the meetings
    app as the booth's kiosk would make them: the experts' "today" page and the kiosk have meetings."""
    booths = Booth.objects.filter(point__in=points.values(), is_active=True).values_list("pk", flat=True)
    return sum(rooms_prepare(day=today, booth_id=booth_id) for booth_id in booths)
