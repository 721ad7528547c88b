"""Mail from the task worker, against a real SMTP server (aiosmtpd, the ``smtp_server`` fixture)."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from asiointi.core.mail import is_temporary, mail_build, mail_builder, mail_queue, retry_delay

pytestmark = pytest.mark.django_db

SUBJECT = "web/mail/accessibility_feedback_subject.txt"
BODY = "accounts/password_reset_subject.txt"


@mail_builder
def two_languages(*, to: list[str]) -> list[EmailMessage]:
    """One mail in Swedish and one in Finnish (the test's builder)."""
    return [
        mail_build(to=[to[0]], language="sv", subject_template=SUBJECT, body_template=BODY, context={}),
        mail_build(to=[to[1]], language="fi", subject_template=SUBJECT, body_template=BODY, context={}),
    ]


def not_a_builder() -> list[EmailMessage]:
    return []


def _queue(capture, **params) -> None:
    with capture(execute=True), transaction.atomic():
        mail_queue(builder=two_languages, **params)


def _tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.order_by("enqueued_at"))


def test_mail_queue__inside_a_transaction__queues_nothing_until_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        mail_queue(builder=two_languages, to=["a@example.fi", "b@example.fi"])
        assert not DBTaskResult.objects.exists()
    for callback in callbacks:
        callback()

    (queued,) = _tasks()
    assert queued.queue_name == "default"
    assert queued.task_path == "asiointi.core.mail.mail_send_task"


def test_mail_queue__unmarked_function__is_refused():
    with pytest.raises(TypeError, match="mail_builder"):
        mail_queue(builder=not_a_builder)


def test_mail_send_task__real_smtp__each_message_arrives_in_its_recipients_language(
    smtp_server, task_worker, django_capture_on_commit_callbacks
):
    _queue(django_capture_on_commit_callbacks, to=["ruotsi@example.fi", "suomi@example.fi"])
    assert smtp_server.received == []  # queued, not sent

    task_worker()

    by_recipient = {m["To"]: m for m in smtp_server.received}
    assert by_recipient["ruotsi@example.fi"]["Subject"] == "Respons om tillgängligheten"
    assert by_recipient["ruotsi@example.fi"]["Content-Language"] == "sv"
    assert "Nytt lösenord till Asiointi" in by_recipient["ruotsi@example.fi"].get_content()
    assert by_recipient["suomi@example.fi"]["Subject"] == "Palaute saavutettavuudesta"
    assert by_recipient["suomi@example.fi"]["Content-Language"] == "fi"


def test_mail_send_task__temporary_failure__retried_and_the_delivered_one_not_sent_twice(
    smtp_server, task_worker, django_capture_on_commit_callbacks
):
    smtp_server.refuse(None, "451 4.3.0 Try again later")  # the first is taken, the second refused once

    _queue(django_capture_on_commit_callbacks, to=["ruotsi@example.fi", "suomi@example.fi"])
    task_worker()

    assert sorted(m["To"] for m in smtp_server.received) == ["ruotsi@example.fi", "suomi@example.fi"]
    first, retry = _tasks()
    assert first.return_value == {"sent": [0], "messages": 2, "retry": 2}
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.return_value == {"sent": [0, 1], "messages": 2, "retry": None}


def test_mail_send_task__temporary_failure__waits_before_the_next_try(
    smtp_server, task_worker, django_capture_on_commit_callbacks, settings
):
    settings.MAIL_RETRY_SECONDS = 60
    smtp_server.refuse("421 4.7.0 Too busy", "421 4.7.0 Too busy")

    _queue(django_capture_on_commit_callbacks, to=["ruotsi@example.fi", "suomi@example.fi"])
    task_worker()

    assert smtp_server.received == []
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.run_after - timezone.now() == pytest.approx(
        dt.timedelta(seconds=60), abs=dt.timedelta(seconds=10)
    )
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]


def test_mail_send_task__temporary_failures_up_to_the_limit__gives_up(
    smtp_server, task_worker, django_capture_on_commit_callbacks, settings
):
    settings.MAIL_MAX_ATTEMPTS = 3
    smtp_server.refuse(*["451 4.3.0 Try again later"] * 6)  # both mails, at each of the 3 tries

    _queue(django_capture_on_commit_callbacks, to=["ruotsi@example.fi", "suomi@example.fi"])
    task_worker()

    assert smtp_server.received == []
    assert [t.status for t in _tasks()] == ["SUCCESSFUL", "SUCCESSFUL", "FAILED"]


def test_mail_send_task__permanent_refusal__not_retried_and_the_others_still_sent(
    smtp_server, task_worker, django_capture_on_commit_callbacks
):
    smtp_server.refuse("550 5.1.1 No such user")

    _queue(django_capture_on_commit_callbacks, to=["ruotsi@example.fi", "suomi@example.fi"])
    task_worker()

    assert [m["To"] for m in smtp_server.received] == ["suomi@example.fi"]
    assert [t.status for t in _tasks()] == ["FAILED"]


@pytest.mark.parametrize(
    ("error", "temporary"),
    [
        (ConnectionRefusedError(), True),
        (TimeoutError(), True),
        (smtplib.SMTPServerDisconnected(), True),
        (smtplib.SMTPDataError(451, b"later"), True),
        (smtplib.SMTPDataError(554, b"no"), False),
        (smtplib.SMTPRecipientsRefused({"a@example.fi": (450, b"busy")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.fi": (550, b"unknown")}), False),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), False),
    ],
)
def test_is_temporary__smtp_failures__only_the_passing_ones_are_retried(error, temporary):
    assert is_temporary(error) is temporary
