"""Background tasks of scheduling: they take ids or nothing, call services, and are idempotent.

* :func:`appointment_reminders_task` (periodic, ``PERIODIC_TASKS["appointment-reminders"]``): the
  reminder ``APPOINTMENT_REMINDER_HOURS`` before each active appointment, once per appointment.
* :func:`appointment_sms_task`: one text message to a customer who gave no email address
  (:mod:`asiointi.scheduling.sms`), queued after the change has committed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.tasks import task
from django.utils import timezone

from . import services
from .models import ACTIVE_STATES, Appointment, ChangeKind
from .notifications import appointment_notify
from .sms import sms_sender, sms_text


def appointment_reminders_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send the reminders that are due: of each active appointment that starts within
    ``APPOINTMENT_REMINDER_HOURS`` from ``now`` (and has not started) and whose reminder has not gone.
    Each is marked sent first (:func:`services.appointment_reminder_mark_sent`), so two runs at once
    send it once. A cancelled appointment gets none; a moved one gets one again (the move clears the
    mark). An appointment booked or moved when its reminder time had already come is marked without a
    reminder: its confirmation, just sent, tells the same."""
    now = now or timezone.now()
    window = dt.timedelta(hours=settings.APPOINTMENT_REMINDER_HOURS)
    due = (
        Appointment.objects.filter(
            state__in=ACTIVE_STATES, reminder_sent_at__isnull=True, starts__gt=now, starts__lte=now + window
        )
        .annotate(
            last_set=Max(
                "changes__occurred_at",
                filter=Q(changes__kind__in=[ChangeKind.BOOKED, ChangeKind.RESCHEDULED]),
            )
        )
        .order_by("starts")
    )
    sent = skipped = 0
    for appointment in due:
        fresh = appointment.last_set is not None and appointment.last_set >= appointment.starts - window
        with transaction.atomic():
            if not services.appointment_reminder_mark_sent(appointment_id=appointment.pk, now=now):
                continue  # another run took it, or it was cancelled meanwhile
            if fresh:
                skipped += 1
                continue
            appointment_notify(appointment=appointment, kind="reminder")
            sent += 1
    return {"sent": sent, "skipped": skipped}


@task()
def appointment_reminders_task() -> dict[str, int]:
    """Send the due reminders (run every 15 minutes by the scheduler). Idempotent."""
    return appointment_reminders_send()


@task()
def appointment_sms_task(appointment_id: int, kind: str, sequence: int) -> dict[str, Any]:
    """Text the customer of ``kind`` when they gave a phone number and no email address, unless the
    appointment has changed again since (``sequence``; the newer change sends its own) or its contact
    has been removed."""
    appointment = Appointment.objects.filter(pk=appointment_id).select_related("point").first()
    if (
        appointment is None
        or appointment.anonymised_at is not None
        or not appointment.customer_phone
        or appointment.customer_email
        or appointment.sequence != sequence
    ):
        return {"sent": False}
    if kind != "cancelled" and appointment.state not in ACTIVE_STATES:
        return {"sent": False}
    sms_sender().send(
        to=appointment.customer_phone,
        text=sms_text(appointment=appointment, kind=kind),
        language=appointment.language,
    )
    return {"sent": True}
