"""Telling people about appointments: the customer (mail with an iCalendar invitation, or a text message
when they gave only a phone number) and the experts and interpreters booked in it (mail with an
invitation, in their own language). Built and sent in the task worker (``core.mail``), after the
transaction that made the change has committed, never in the request.

A service calls :func:`appointment_notify` inside its transaction with the kind of change:

* ``booked``: the customer's confirmation; an invitation (METHOD:REQUEST) to each person booked;
* ``changed``: the customer's new time; a new invitation (a higher SEQUENCE) to each person booked at the
  new time, and a cancellation (METHOD:CANCEL) to each person who was booked at the old time but no
  longer is (``removed``: their reservation was released);
* ``cancelled``: METHOD:CANCEL with STATUS:CANCELLED and the higher SEQUENCE to the customer and to
  everyone who was booked;
* ``reminder``: the customer's reminder (the periodic task :mod:`asiointi.scheduling.tasks`).

A message whose appointment has changed again before the worker built it is not sent (the newer change
sends its own), except the cancellation of a person removed from the appointment, whose calendar would
otherwise keep the old time.

What the people booked see of the customer: the first name only, never the surname, email address or
phone number (docs/scheduling.md): they need to greet the customer, and the product's own pages show
staff the rest where their role allows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from asiointi.accounts.models import User
from asiointi.core.mail import mail_build, mail_builder, mail_queue

from .ical import EventData, Person, invitation_build
from .models import ACTIVE_STATES, Appointment, Reservation, ReservationRole, Resource

#: What each kind of mail says, by its templates' stem.
KINDS = ("booked", "changed", "cancelled", "reminder")
#: The reservations of people (who are told), as opposed to booths.
PEOPLE_ROLES = (ReservationRole.EXPERT, ReservationRole.INTERPRETER)
ICS_FILENAME = "appointment.ics"


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of appointment mail: {kind!r}")


def _appointment(appointment_id: int) -> Appointment | None:
    return (
        Appointment.objects.filter(pk=appointment_id)
        .select_related("point")
        .prefetch_related("services__agency")
        .first()
    )


def location_text(appointment: Appointment) -> str:
    """The point's name and street address, as a calendar shows it."""
    point = appointment.point
    return f"{point.name}, {point.street_address}, {point.postal_code} {point.post_office}"


def organizer(appointment: Appointment) -> Person:
    """The ORGANIZER: the service point (its address, or the product's sender when it has none)."""
    address = appointment.point.email or settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">").strip()
    return Person(email=address, name=appointment.point.name)


def services_text(appointment: Appointment) -> str:
    return "; ".join(f"{s.name} ({s.agency.name})" for s in appointment.services.all())


def first_name(appointment: Appointment) -> str:
    """The customer's first name: all that the people booked see of them ("" once anonymised)."""
    parts = appointment.customer_name.split()
    return parts[0] if parts else ""


def _customer_event(appointment: Appointment, *, cancelled: bool) -> EventData:
    """The customer's VEVENT, in the active language."""
    summary = _("Appointment at %(point)s: %(services)s") % {
        "point": appointment.point.name,
        "services": services_text(appointment),
    }
    description = render_to_string(
        "scheduling/mail/customer_event.txt", {"appointment": appointment, "cancelled": cancelled}
    ).strip()
    attendees = []
    if appointment.customer_email:
        attendees.append(Person(email=appointment.customer_email, name=appointment.customer_name))
    return EventData(
        appointment_id=appointment.pk,
        starts=appointment.starts,
        ends=appointment.ends,
        sequence=appointment.sequence,
        summary=summary,
        description=description,
        location=location_text(appointment),
        organizer=organizer(appointment),
        attendees=attendees,
        cancelled=cancelled,
    )


def staff_event(
    appointment: Appointment,
    *,
    starts: dt.datetime,
    ends: dt.datetime,
    attendee: Person | None,
    booth_name: str = "",
    cancelled: bool = False,
    sequence: int | None = None,
    stamp: dt.datetime | None = None,
) -> EventData:
    """The VEVENT of a person booked in the appointment (an invitation or a line of their feed), in the
    active language, with the customer's first name only."""
    if appointment.channel == "remote_meeting":
        summary = _("Remote meeting at %(point)s: %(services)s")
    else:
        summary = _("Appointment at %(point)s: %(services)s")
    summary = summary % {"point": appointment.point.name, "services": services_text(appointment)}
    description = render_to_string(
        "scheduling/mail/staff_event.txt",
        {
            "appointment": appointment,
            "first_name": first_name(appointment),
            "booth_name": booth_name,
            "cancelled": cancelled,
        },
    ).strip()
    return EventData(
        appointment_id=appointment.pk,
        starts=starts,
        ends=ends,
        sequence=appointment.sequence if sequence is None else sequence,
        summary=summary,
        description=description,
        location=location_text(appointment),
        organizer=organizer(appointment),
        attendees=[attendee] if attendee else [],
        cancelled=cancelled,
        stamp=stamp,
    )


def _attach(message: EmailMessage, event: EventData) -> EmailMessage:
    method, body = invitation_build(event=event)
    message.attach(ICS_FILENAME, body.decode(), f"text/calendar; method={method}")
    return message


@mail_builder
def appointment_mails(*, appointment_id: int, kind: str, sequence: int) -> list[EmailMessage]:
    """The customer's mail of ``kind`` with its invitation (METHOD:REQUEST, or METHOD:CANCEL for a
    cancellation), or none when they gave no email address, the appointment is gone or anonymised, or it
    has changed again since (an older ``sequence``: the newer change sends its own mail)."""
    _check_kind(kind)
    appointment = _appointment(appointment_id)
    if (
        appointment is None
        or appointment.anonymised_at is not None
        or not appointment.customer_email
        or appointment.sequence != sequence
    ):
        return []
    cancelled = kind == "cancelled"
    if not cancelled and appointment.state not in ACTIVE_STATES:
        return []
    context = {"appointment": appointment, "services": list(appointment.services.all()), "kind": kind}
    message = mail_build(
        to=[appointment.customer_email],
        language=appointment.language,
        subject_template=f"scheduling/mail/{kind}_subject.txt",
        body_template="scheduling/mail/customer_body.txt",
        context=context,
    )
    with translation.override(appointment.language):
        event = _customer_event(appointment, cancelled=cancelled)
    return [_attach(message, event)]


def _people(resource_ids: Sequence[int]) -> dict[int, Resource]:
    return {
        r.pk: r
        for r in Resource.objects.filter(pk__in=resource_ids).select_related(
            "expert__user", "interpreter__user"
        )
    }


def person_user(resource: Resource) -> User | None:
    """The user of an expert's or an interpreter's resource (None for a booth)."""
    for attr in ("expert", "interpreter"):
        # A missing reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError.
        profile = getattr(resource, attr, None)
        if profile is not None:
            return profile.user  # type: ignore[no-any-return]
    return None


def _staff_message(
    *, appointment: Appointment, user: User, event_kwargs: dict[str, Any], kind: str
) -> EmailMessage:
    language = user.language or settings.LANGUAGE_CODE
    cancelled = kind == "cancelled"
    with translation.override(language):
        event = staff_event(
            appointment,
            attendee=Person(email=user.email, name=user.full_name),
            cancelled=cancelled,
            **event_kwargs,
        )
    message = mail_build(
        to=[user.email],
        language=language,
        subject_template="scheduling/mail/staff_subject.txt",
        body_template="scheduling/mail/staff_body.txt",
        context={
            "appointment": appointment,
            "kind": kind,
            "event": event,
            "first_name": first_name(appointment),
            "services": list(appointment.services.all()),
            "booth_name": event_kwargs.get("booth_name", ""),
        },
    )
    return _attach(message, event)


def _booth_name(reservations: Sequence[Reservation]) -> str:
    for reservation in reservations:
        if reservation.role == ReservationRole.BOOTH and reservation.resource.booth is not None:
            return reservation.resource.booth.name
    return ""


@mail_builder
def appointment_staff_mails(
    *, appointment_id: int, kind: str, sequence: int, removed: Sequence[int] = ()
) -> list[EmailMessage]:
    """Invitations to the experts and interpreters of the appointment, each in their own language:
    REQUEST to those booked now (for ``booked`` and ``changed``, while ``sequence`` is still the
    appointment's), CANCEL to those in ``removed`` (resource ids whose reservation the change released,
    at the time they were booked for). See the module's text."""
    _check_kind(kind)
    appointment = _appointment(appointment_id)
    if appointment is None:
        return []
    messages: list[EmailMessage] = []
    reservations = list(
        Reservation.objects.filter(appointment=appointment).select_related("resource__booth").order_by("pk")
    )
    # Those removed: the latest released reservation of each gives the time their calendar holds.
    people = _people(list(removed))
    for resource_id in removed:
        resource = people.get(resource_id)
        user = person_user(resource) if resource else None
        if user is None or not user.email or not user.is_active:
            continue
        held = [r for r in reservations if r.resource_id == resource_id and not r.active]
        last = max(held, key=lambda r: (r.released_at or timezone.now(), r.pk), default=None)
        starts, ends = (last.starts, last.ends) if last else (appointment.starts, appointment.ends)
        messages.append(
            _staff_message(
                appointment=appointment,
                user=user,
                kind="cancelled",
                event_kwargs={
                    "starts": starts,
                    "ends": ends,
                    "sequence": sequence,
                    "booth_name": _booth_name(
                        [r for r in reservations if not r.active and r.starts == starts]
                    ),
                },
            )
        )
    if kind in ("booked", "changed") and appointment.sequence == sequence and appointment.is_active:
        active = [r for r in reservations if r.active]
        booth_name = _booth_name(active)
        people = _people([r.resource_id for r in active if r.role in PEOPLE_ROLES])
        for reservation in active:
            if reservation.role not in PEOPLE_ROLES:
                continue
            user = person_user(people[reservation.resource_id])
            if user is None or not user.email or not user.is_active:
                continue
            messages.append(
                _staff_message(
                    appointment=appointment,
                    user=user,
                    kind=kind,
                    event_kwargs={
                        "starts": appointment.starts,
                        "ends": appointment.ends,
                        "booth_name": booth_name,
                    },
                )
            )
    return messages


def people_booked(appointment: Appointment) -> set[int]:
    """The resource ids of the experts and interpreters the appointment holds now."""
    return set(
        appointment.reservations.filter(active=True, role__in=PEOPLE_ROLES).values_list(
            "resource_id", flat=True
        )
    )


def appointment_notify(*, appointment: Appointment, kind: str, removed: Sequence[int] = ()) -> None:
    """Inside the service's transaction: once it commits, tell the customer (mail, or a text message
    when they gave a phone number but no email) and the people booked of ``kind`` (see the module's
    text); ``removed`` are the resources of people released by a change or a cancellation."""
    _check_kind(kind)
    mail_queue(
        builder=appointment_mails, appointment_id=appointment.pk, kind=kind, sequence=appointment.sequence
    )
    if kind != "reminder":
        mail_queue(
            builder=appointment_staff_mails,
            appointment_id=appointment.pk,
            kind=kind,
            sequence=appointment.sequence,
            removed=sorted(removed),
        )
    if appointment.customer_phone and not appointment.customer_email:
        from .tasks import appointment_sms_task

        transaction.on_commit(
            partial(
                appointment_sms_task.enqueue,
                appointment_id=appointment.pk,
                kind=kind,
                sequence=appointment.sequence,
            ),
            robust=True,
        )
