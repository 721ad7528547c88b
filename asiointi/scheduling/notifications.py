"""Mail to customers about their appointments: confirmation, change, cancellation and reminder, each in
the customer's language. Built in the task worker (``core.mail``), never in the request."""

from __future__ import annotations

from django.core.mail import EmailMessage

from asiointi.core.mail import mail_build, mail_builder

from .models import Appointment

#: What each kind of mail says, by its templates' stem.
KINDS = ("booked", "changed", "cancelled", "reminder")


@mail_builder
def appointment_mails(*, appointment_id: int, kind: str, sequence: int) -> list[EmailMessage]:
    """The customer's mail of ``kind`` for the appointment, or none when they gave no email address,
    the appointment is gone or anonymised, or it has changed again since (an older ``sequence``: the
    newer change sends its own mail)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of appointment mail: {kind!r}")
    appointment = (
        Appointment.objects.filter(pk=appointment_id, anonymised_at__isnull=True)
        .select_related("point")
        .prefetch_related("services__agency")
        .first()
    )
    if appointment is None or not appointment.customer_email or appointment.sequence != sequence:
        return []
    context = {"appointment": appointment, "services": list(appointment.services.all()), "kind": kind}
    return [
        mail_build(
            to=[appointment.customer_email],
            language=appointment.language,
            subject_template=f"scheduling/mail/{kind}_subject.txt",
            body_template="scheduling/mail/customer_body.txt",
            context=context,
        )
    ]
