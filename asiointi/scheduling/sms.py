"""Text messages to customers who gave a phone number but no email address: the confirmation, a change,
a cancellation and the reminder, short and in the customer's language.

The product does not talk to an SMS gateway itself: it hands each message to an *SMS sender*, the class
named by the setting ``SMS_BACKEND`` (a dotted path; by default :class:`LogSmsSender`, which writes the
message to the log and sends nothing). To plug a real gateway, write a class with the method
:meth:`SmsSender.send` and name it in ``SMS_BACKEND`` (docs/operations.md). Messages are sent only from
the task worker (:func:`asiointi.scheduling.tasks.appointment_sms_task`), after the transaction of the
change has committed; a sender that raises makes the task fail (its result says why) and nothing is
retried, so a sender should retry a gateway's passing failures itself."""

from __future__ import annotations

import logging
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .ical import HELSINKI
from .models import Appointment

logger = logging.getLogger(__name__)


@runtime_checkable
class SmsSender(Protocol):
    """Sends one text message. ``to`` is the phone number as the customer gave it (digits, spaces,
    perhaps a leading +; a sender normalises it for its gateway, e.g. to +358...); ``text`` is the
    message, already in ``language`` (fi, sv or en). Returns nothing; raises on a failure."""

    def send(self, *, to: str, text: str, language: str) -> None: ...


class LogSmsSender:
    """The default sender: writes each message to the log (logger ``asiointi.scheduling.sms``, level
    INFO) with the number's last digits only, and sends nothing."""

    def send(self, *, to: str, text: str, language: str) -> None:
        masked = "*" * max(len(to) - 3, 0) + to[-3:]
        logger.info("SMS to %s (%s): %s", masked, language, text)


def sms_sender() -> SmsSender:
    """An instance of the sender that ``SMS_BACKEND`` names."""
    sender = import_string(settings.SMS_BACKEND)()
    if not isinstance(sender, SmsSender):
        raise TypeError(f"{settings.SMS_BACKEND} has no send(*, to, text, language) method")
    return sender


def sms_text(*, appointment: Appointment, kind: str) -> str:
    """The text of ``kind`` (booked, changed, cancelled, reminder) in the customer's language."""
    with translation.override(appointment.language):
        values = {
            "time": date_format(timezone.localtime(appointment.starts, HELSINKI), "j.n.Y H:i"),
            "point": appointment.point.name,
            "code": appointment.code,
        }
        if kind == "booked":
            return _("Your appointment at %(point)s on %(time)s is booked. Code: %(code)s.") % values
        if kind == "changed":
            return _("Your appointment at %(point)s has a new time: %(time)s. Code: %(code)s.") % values
        if kind == "cancelled":
            return _("Your appointment at %(point)s on %(time)s has been cancelled.") % values
        if kind == "reminder":
            return _("Reminder: your appointment at %(point)s is on %(time)s. Code: %(code)s.") % values
    raise ValueError(f"Unknown kind of message: {kind!r}")
