"""Mail as background work: built in the recipient's language and sent by the task worker, never
inside a request, retried with a growing wait when the mail server fails for the time being.

An app writes a *builder*: a function marked with :func:`mail_builder` that takes JSON-like keyword
arguments (ids, an email address) and returns the messages to send, each made with :func:`mail_build`
in its recipient's language. A service calls :func:`mail_queue` with the builder and its arguments
inside its transaction; once the transaction commits, a task goes on the ``default`` queue, and the
worker calls the builder and sends what it returns. The request itself neither reads the recipients
nor talks to the mail server, so its answer takes the same path and time whoever the mail is for.

A temporary failure (the server is unreachable, drops the connection, or answers with a 4xx code)
queues the task again after ``MAIL_RETRY_SECONDS``, doubled at every try, up to ``MAIL_MAX_ATTEMPTS``
tries; messages that were already delivered are not sent again. A permanent refusal (a 5xx code) is
logged and not retried. Secrets such as a password reset link never wait in the queue: the builder
runs in the worker, at every try.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

type MailBuilder = Callable[..., Iterable[EmailMessage]]

_BUILDER_MARK = "_asiointi_mail_builder"


class MailNotSent(Exception):
    """The mail server refused a message for good, or failed it at every try."""


def mail_builder[F: MailBuilder](function: F) -> F:
    """Mark ``function`` as a builder of mail that the worker may call (see the module's text)."""
    setattr(function, _BUILDER_MARK, True)
    return function


def mail_build(
    *,
    to: list[str],
    language: str,
    subject_template: str,
    body_template: str,
    context: Mapping[str, Any],
) -> EmailMessage:
    """A plain-text message to ``to`` in ``language``: both templates are rendered under
    ``translation.override(language)``, the subject on one line. The message says its language in a
    ``Content-Language`` header."""
    with translation.override(language):
        subject = " ".join(render_to_string(subject_template, dict(context)).split())
        body = render_to_string(body_template, dict(context))
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers={"Content-Language": language},
    )


def mail_queue(*, builder: MailBuilder, **params: Any) -> None:
    """After the current transaction commits, put a task on the ``default`` queue that calls
    ``builder(**params)`` in the worker and sends its messages. ``params`` must be JSON-like (ids,
    strings). Outside a transaction the task is queued at once."""
    if not getattr(builder, _BUILDER_MARK, False):
        raise TypeError(f"{builder!r} is not marked with @mail_builder")
    path = f"{builder.__module__}.{builder.__qualname__}"
    # robust: the write that asked for the mail stands even if the queue cannot be reached.
    transaction.on_commit(partial(mail_send_task.enqueue, builder=path, params=params), robust=True)


def is_temporary(error: Exception) -> bool:
    """Whether a failure to send is worth another try later: the server could not be reached or
    dropped the connection, or it answered with a 4xx code (greylisting, a full queue)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(error, smtplib.SMTPException):
        return False
    return isinstance(error, OSError)  # refused, unreachable, timed out


def retry_delay(attempt: int) -> dt.timedelta:
    """How long to wait after the failed try number ``attempt`` (1, 2, ...): doubling each time."""
    return dt.timedelta(seconds=settings.MAIL_RETRY_SECONDS * 2 ** (attempt - 1))


@task(queue_name="default")
def mail_send_task(
    builder: str, params: dict[str, Any], attempt: int = 1, sent: list[int] | None = None
) -> dict[str, Any]:
    """Build the messages of ``builder`` and send those not yet sent; on a temporary failure queue
    this task again with a wait (see the module's text). Returns what was sent and what waits."""
    function = import_string(builder)
    if not getattr(function, _BUILDER_MARK, False):
        raise TypeError(f"{builder} is not marked with @mail_builder")
    done = list(sent or [])
    messages = list(function(**params))
    refused: list[int] = []
    retry_wanted = False
    for index, message in enumerate(messages):
        if index in done:
            continue
        try:
            message.send()
        except Exception as error:
            if is_temporary(error) and attempt < settings.MAIL_MAX_ATTEMPTS:
                logger.warning(
                    "Mail %s of %s failed for now, try %s follows: %s", index, builder, attempt + 1, error
                )
                retry_wanted = True
            else:
                logger.error("Mail %s of %s was not sent (try %s): %s", index, builder, attempt, error)
                refused.append(index)
            continue
        done.append(index)
    if retry_wanted:
        retry = mail_send_task
        if retry.get_backend().supports_defer:
            retry = retry.using(run_after=timezone.now() + retry_delay(attempt))
        # The refused ones count as done: a permanent refusal does not pass on another try.
        retry.enqueue(builder=builder, params=params, attempt=attempt + 1, sent=sorted(done + refused))
    if refused:
        raise MailNotSent(f"{len(refused)} of {len(messages)} mails of {builder} were not sent (see the log)")
    return {"sent": done, "messages": len(messages), "retry": attempt + 1 if retry_wanted else None}
