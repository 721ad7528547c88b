"""Notifications of appointments: mail with iCalendar invitations to the customer and to the people
booked (through a real SMTP server and the task worker), the reminder, text messages, and the private
calendar feeds of experts and interpreters."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from asiointi.accounts.testing import login_staff
from asiointi.catalogue.models import Channel
from asiointi.factories import UserFactory, expert_create, interpreter_create, remote_service_point
from asiointi.scheduling import feed_views
from asiointi.scheduling.models import Appointment
from asiointi.scheduling.selectors import slot_request_build
from asiointi.scheduling.services import (
    CustomerContact,
    absence_add,
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
    feed_token_issue,
    feed_token_revoke,
)
from asiointi.scheduling.tasks import appointment_reminders_send

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")
#: Friday 24 March 2028, 08:00 in Helsinki: the clocks go forward on Sunday 26 March.
SPRING_NOW = dt.datetime(2028, 3, 24, 8, 0, tzinfo=HELSINKI)
#: Friday 27 October 2028, 08:00 in Helsinki: the clocks go back on Sunday 29 October.
AUTUMN_NOW = dt.datetime(2028, 10, 27, 8, 0, tzinfo=HELSINKI)
CUSTOMER = CustomerContact(name="Aino Maria Asiakas", email="aino@example.fi")


class RecordingSms:
    """A test SMS sender: keeps what it was asked to send."""

    sent: ClassVar[list[dict[str, str]]] = []

    def send(self, *, to: str, text: str, language: str) -> None:
        self.sent.append({"to": to, "text": text, "language": language})


@pytest.fixture
def setting(settings: Any) -> Any:
    settings.SMS_BACKEND = f"{__name__}.RecordingSms"
    RecordingSms.sent.clear()
    return settings


def _invitation(message: Any) -> icalendar.Calendar:
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, "one invitation per mail"
    assert parts[0].get_param("method") in ("REQUEST", "CANCEL")
    return icalendar.Calendar.from_ical(parts[0].get_payload(decode=True))


def _event(calendar: icalendar.Calendar) -> Any:
    (event,) = calendar.walk("VEVENT")
    return event


def _to(received: list[Any], address: str) -> list[Any]:
    return [m for m in received if m["To"] == address]


def _attendees(event: Any) -> list[str]:
    found = event.get("attendee")
    found = found if isinstance(found, list) else [found]
    return [str(a) for a in found]


@pytest.fixture
def meeting():
    """A point with one booth, a Kela-like agency's service, an expert and an Arabic interpreter who
    reads Swedish."""
    point, _booths, services = remote_service_point(booths=1, agencies=1)
    expert = expert_create(
        agency=services[0].agency, services=services, languages=("fi", "sv"), email="asiantuntija@example.fi"
    )
    interpreter = interpreter_create(languages=["fi", "ar"], email="tulkki@example.fi", language="sv")

    def request(interpreter_language: str = "ar"):
        return slot_request_build(
            point=point,
            service_ids=[services[0].pk],
            channel=Channel.REMOTE_MEETING,
            language="fi",
            interpreter_language=interpreter_language,
        )

    return {
        "point": point,
        "services": services,
        "expert": expert,
        "interpreter": interpreter,
        "request": request,
    }


def _book(capture, request, start, now, customer=CUSTOMER):
    with capture(execute=True):
        return appointment_book(request=request, start=start, customer=customer, now=now)


@pytest.mark.parametrize(
    ("now", "start", "utc_hour"),
    [
        # Monday after the spring change: 10:00 summer time (UTC+3) is 07:00 UTC.
        (SPRING_NOW, dt.datetime(2028, 3, 27, 10, 0, tzinfo=HELSINKI), 7),
        # Monday after the autumn change: 10:00 winter time (UTC+2) is 08:00 UTC.
        (AUTUMN_NOW, dt.datetime(2028, 10, 30, 10, 0, tzinfo=HELSINKI), 8),
    ],
)
def test_appointment_book__mail_to_customer_and_people__carries_request_in_helsinki_time(
    meeting, smtp_server, task_worker, django_capture_on_commit_callbacks, now, start, utc_hour
):
    appointment = _book(django_capture_on_commit_callbacks, meeting["request"](), start, now)

    task_worker(queue_name="default")

    (customer,) = _to(smtp_server.received, "aino@example.fi")
    assert customer["Content-Language"] == "fi"
    calendar = _invitation(customer)
    assert str(calendar["METHOD"]) == "REQUEST"
    event = _event(calendar)
    assert event["DTSTART"].params["TZID"] == "Europe/Helsinki"
    assert event.decoded("DTSTART").replace(tzinfo=None) == dt.datetime(
        start.year, start.month, start.day, 10, 0
    )
    assert event.decoded("DTSTART").astimezone(dt.UTC).hour == utc_hour
    assert event.decoded("DTEND").astimezone(dt.UTC) == appointment.ends
    assert event.decoded("SEQUENCE") == 0
    assert str(event["UID"]).startswith(f"appointment-{appointment.pk}@")
    assert _attendees(event) == ["mailto:aino@example.fi"]
    assert meeting["point"].street_address in str(event["LOCATION"])
    assert str(event["ORGANIZER"]).startswith("mailto:")
    # The VTIMEZONE itself gives the same offset as the zone database on the appointment's day.
    (zone,) = calendar.walk("VTIMEZONE")
    local = start.replace(tzinfo=None)
    assert zone.to_tz().utcoffset(local) == start.utcoffset()
    # The expert and the interpreter are invited too, each in their own language.
    (expert,) = _to(smtp_server.received, "asiantuntija@example.fi")
    (interpreter,) = _to(smtp_server.received, "tulkki@example.fi")
    assert expert["Content-Language"] == "fi" and interpreter["Content-Language"] == "sv"
    for message in (expert, interpreter):
        staff = _event(_invitation(message))
        assert str(staff["UID"]) == str(event["UID"])
        assert staff.decoded("DTSTART").astimezone(dt.UTC) == appointment.starts
        assert _attendees(staff) == [f"mailto:{message['To']}"]
        # The customer's first name only: nothing else of their contact.
        body = message.as_string()
        assert "Aino" in str(staff["DESCRIPTION"])
        assert "Asiakas" not in body and "aino@example.fi" not in body and appointment.code not in body
    assert "Kundens förnamn: Aino" in str(_event(_invitation(interpreter))["DESCRIPTION"])
    assert "Inbjudan" in interpreter["Subject"]


def test_appointment_reschedule__expert_replaced__removed_one_gets_cancel_and_new_one_request(
    meeting, smtp_server, task_worker, django_capture_on_commit_callbacks
):
    other = expert_create(
        agency=meeting["services"][0].agency, services=meeting["services"], email="toinen@example.fi"
    )
    start = dt.datetime(2028, 3, 27, 10, 0, tzinfo=HELSINKI)
    appointment = _book(django_capture_on_commit_callbacks, meeting["request"](), start, SPRING_NOW)
    first = appointment.reservations.get(role="expert").resource
    first_email = "asiantuntija@example.fi" if first == meeting["expert"].resource else "toinen@example.fi"
    second_email = (
        "toinen@example.fi" if first_email == "asiantuntija@example.fi" else "asiantuntija@example.fi"
    )
    new_start = dt.datetime(2028, 3, 28, 11, 0, tzinfo=HELSINKI)
    absence_add(resource=first, starts=new_start, ends=new_start + dt.timedelta(hours=1), reason="Koulutus")
    task_worker(queue_name="default")
    smtp_server.received.clear()

    with django_capture_on_commit_callbacks(execute=True):
        moved = appointment_reschedule(appointment=appointment, start=new_start, now=SPRING_NOW)
    task_worker(queue_name="default")

    assert moved.reservations.get(role="expert", active=True).resource_id != first.pk
    (customer,) = _to(smtp_server.received, "aino@example.fi")
    event = _event(_invitation(customer))
    assert event.decoded("SEQUENCE") == 1 and event.decoded("DTSTART").astimezone(HELSINKI).hour == 11
    (removed,) = _to(smtp_server.received, first_email)
    cancel = _invitation(removed)
    assert str(cancel["METHOD"]) == "CANCEL"
    cancelled = _event(cancel)
    assert str(cancelled["STATUS"]) == "CANCELLED" and cancelled.decoded("SEQUENCE") == 1
    assert cancelled.decoded("DTSTART").astimezone(dt.UTC) == start  # the time their calendar holds
    (added,) = _to(smtp_server.received, second_email)
    request = _invitation(added)
    assert str(request["METHOD"]) == "REQUEST"
    assert _event(request).decoded("DTSTART").astimezone(dt.UTC) == new_start
    assert _event(request).decoded("SEQUENCE") == 1
    # The interpreter stays and gets the new time.
    (kept,) = _to(smtp_server.received, "tulkki@example.fi")
    assert str(_invitation(kept)["METHOD"]) == "REQUEST"
    assert other.pk  # both experts exist


def test_appointment_cancel__customer_and_people__get_cancel_with_the_higher_sequence(
    meeting, smtp_server, task_worker, django_capture_on_commit_callbacks
):
    start = dt.datetime(2028, 3, 27, 10, 0, tzinfo=HELSINKI)
    appointment = _book(django_capture_on_commit_callbacks, meeting["request"](), start, SPRING_NOW)
    task_worker(queue_name="default")
    smtp_server.received.clear()

    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment, now=SPRING_NOW)
    task_worker(queue_name="default")

    assert sorted(m["To"] for m in smtp_server.received) == [
        "aino@example.fi",
        "asiantuntija@example.fi",
        "tulkki@example.fi",
    ]
    for message in smtp_server.received:
        calendar = _invitation(message)
        assert str(calendar["METHOD"]) == "CANCEL"
        event = _event(calendar)
        assert str(event["STATUS"]) == "CANCELLED"
        assert event.decoded("SEQUENCE") == 1
        assert str(event["UID"]).startswith(f"appointment-{appointment.pk}@")


def test_appointment_reminders__due_once__sent_once_and_never_for_a_cancelled_one(
    meeting, smtp_server, task_worker, django_capture_on_commit_callbacks
):
    request = meeting["request"]("")
    start = dt.datetime(2028, 3, 28, 10, 0, tzinfo=HELSINKI)
    kept = _book(django_capture_on_commit_callbacks, request, start, SPRING_NOW)
    gone = _book(
        django_capture_on_commit_callbacks,
        request,
        start + dt.timedelta(hours=1),
        SPRING_NOW,
        CustomerContact(name="Eero", email="eero@example.fi"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=gone, now=SPRING_NOW)
    task_worker(queue_name="default")
    smtp_server.received.clear()

    hours = settings.APPOINTMENT_REMINDER_HOURS
    with django_capture_on_commit_callbacks(execute=True):
        early = appointment_reminders_send(now=start - dt.timedelta(hours=hours + 1))
    with django_capture_on_commit_callbacks(execute=True):
        due = appointment_reminders_send(now=start - dt.timedelta(hours=hours - 1))
    with django_capture_on_commit_callbacks(execute=True):
        again = appointment_reminders_send(now=start - dt.timedelta(hours=hours - 2))
    task_worker(queue_name="default")

    assert (early["sent"], due["sent"], again["sent"]) == (0, 1, 0)
    (reminder,) = smtp_server.received
    assert reminder["To"] == "aino@example.fi"
    assert kept.code in reminder["Subject"]
    assert str(_invitation(reminder)["METHOD"]) == "REQUEST"


def test_appointment_reminders__moved_after_the_reminder__reminds_again_before_the_new_time(
    meeting, smtp_server, task_worker, django_capture_on_commit_callbacks
):
    request = meeting["request"]("")
    start = dt.datetime(2028, 3, 28, 10, 0, tzinfo=HELSINKI)
    appointment = _book(django_capture_on_commit_callbacks, request, start, SPRING_NOW)
    first_run = start - dt.timedelta(hours=20)
    assert appointment_reminders_send(now=first_run)["sent"] == 1

    new_start = dt.datetime(2028, 3, 31, 10, 0, tzinfo=HELSINKI)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_reschedule(appointment=appointment, start=new_start, now=first_run)
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at is None
    task_worker(queue_name="default")
    smtp_server.received.clear()

    assert appointment_reminders_send(now=start - dt.timedelta(hours=1))["sent"] == 0  # not due yet
    with django_capture_on_commit_callbacks(execute=True):
        assert appointment_reminders_send(now=new_start - dt.timedelta(hours=2))["sent"] == 1
    task_worker(queue_name="default")
    (reminder,) = smtp_server.received
    event = _event(_invitation(reminder))
    assert event.decoded("DTSTART").astimezone(dt.UTC) == new_start and event.decoded("SEQUENCE") == 1


def test_appointment_reminders__booked_inside_the_reminder_window__confirmation_is_the_reminder(meeting):
    request = meeting["request"]("")
    start = dt.datetime(2028, 3, 27, 14, 0, tzinfo=HELSINKI)
    appointment = _book(lambda execute: _NoCapture(), request, start, SPRING_NOW)
    appointment.changes.update(occurred_at=start - dt.timedelta(hours=3))
    assert appointment_reminders_send(now=start - dt.timedelta(hours=2)) == {"sent": 0, "skipped": 1}
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at is not None


class _NoCapture:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def test_periodic_tasks__reminders__run_every_quarter_hour():
    entry = settings.PERIODIC_TASKS["appointment-reminders"]
    assert entry == {"task": "asiointi.scheduling.tasks.appointment_reminders_task", "every": 15}


def test_sms__customer_with_phone_only__gets_texts_in_their_language_and_no_mail(
    meeting, setting, smtp_server, task_worker, django_capture_on_commit_callbacks
):
    point, services = meeting["point"], meeting["services"]
    request = slot_request_build(
        point=point, service_ids=[services[0].pk], channel=Channel.REMOTE_MEETING, language="sv"
    )
    start = dt.datetime(2028, 3, 28, 10, 0, tzinfo=HELSINKI)
    customer = CustomerContact(name="Britt Kund", phone="040 123 4567")
    appointment = _book(django_capture_on_commit_callbacks, request, start, SPRING_NOW, customer)
    task_worker(queue_name="default")
    with django_capture_on_commit_callbacks(execute=True):
        appointment_reminders_send(now=start - dt.timedelta(hours=2))
    task_worker(queue_name="default")
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment, now=SPRING_NOW)
    task_worker(queue_name="default")

    assert [s["to"] for s in RecordingSms.sent] == ["040 123 4567"] * 3
    assert all(s["language"] == "sv" for s in RecordingSms.sent)
    booked, reminder, cancelled = (s["text"] for s in RecordingSms.sent)
    assert appointment.code in booked and "28.3.2028 10:00" in booked
    assert reminder.startswith("Påminnelse")
    assert appointment.code not in cancelled
    assert not [m for m in smtp_server.received if m["To"] not in ("asiantuntija@example.fi",)]


def test_sms__customer_with_email__gets_no_text(
    meeting, setting, task_worker, smtp_server, django_capture_on_commit_callbacks
):
    _book(
        django_capture_on_commit_callbacks,
        meeting["request"](""),
        dt.datetime(2028, 3, 28, 10, tzinfo=HELSINKI),
        SPRING_NOW,
    )
    task_worker(queue_name="default")
    assert RecordingSms.sent == []


def test_log_sms_sender__default__writes_the_message_to_the_log_with_the_number_masked(caplog):
    from asiointi.scheduling.sms import sms_sender

    with caplog.at_level("INFO", logger="asiointi.scheduling.sms"):
        sms_sender().send(to="040 123 4567", text="Hei", language="fi")
    assert "Hei" in caplog.text and "*567" in caplog.text and "040 123" not in caplog.text


# --- the calendar feed ---------------------------------------------------------------------------


def _feed(client: Client, token: str) -> Any:
    return client.get(reverse("calendar:feed", kwargs={"token": token}))


def test_calendar_feed__expert__lists_own_active_appointments_without_customer_contact(
    meeting, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(feed_views, "_now", lambda: SPRING_NOW)
    request = meeting["request"]("")
    day = dt.datetime(2028, 3, 28, 10, 0, tzinfo=HELSINKI)
    kept = appointment_book(request=request, start=day, customer=CUSTOMER, now=SPRING_NOW)
    gone = appointment_book(
        request=request, start=day + dt.timedelta(hours=1), customer=CUSTOMER, now=SPRING_NOW
    )
    appointment_cancel(appointment=gone, now=SPRING_NOW)
    # Someone else's appointment: another expert of another agency at the same point.
    point, services = meeting["point"], meeting["services"]
    _p, _b, others = remote_service_point(booths=1, agencies=1)
    stranger = expert_create(agency=others[0].agency, services=others)
    token = feed_token_issue(resource=meeting["expert"].resource)
    stranger_token = feed_token_issue(resource=stranger.resource)

    with django_assert_max_num_queries(6):
        response = _feed(Client(), token)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["UID"]).split("@")[0] for e in events] == [f"appointment-{kept.pk}"]
    assert events[0].decoded("DTSTART").astimezone(dt.UTC) == day
    assert events[0]["DTSTART"].params["TZID"] == "Europe/Helsinki"
    text = response.content.decode()
    assert "Aino" in text
    assert "Asiakas" not in text and "aino@example.fi" not in text and kept.code not in text
    assert icalendar.Calendar.from_ical(_feed(Client(), stranger_token).content).walk("VEVENT") == []
    assert point and services


def test_calendar_feed__revoked_replaced_or_unknown_address__answers_404(meeting):
    resource = meeting["interpreter"].resource
    old = feed_token_issue(resource=resource)
    new = feed_token_issue(resource=resource)
    assert _feed(Client(), old).status_code == 404
    assert _feed(Client(), new).status_code == 200
    feed_token_revoke(resource=resource)
    assert _feed(Client(), new).status_code == 404
    assert _feed(Client(), "x" * 32).status_code == 404


def test_feed_settings__expert__creates_sees_once_and_switches_off_their_feed(meeting):
    expert = meeting["expert"]
    client = Client()
    login_staff(client, expert.user)
    url = reverse("staff:calendar_feed")

    assert "off" in client.get(url).content.decode() or client.get(url).status_code == 200
    response = client.post(url, {"resource": expert.resource.pk, "action": "issue"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    expert.resource.refresh_from_db()
    start = page.index("/calendar/")
    address = page[start : page.index('"', start)]
    assert Client().get(address).status_code == 200
    assert address not in client.get(url).content.decode()  # shown once only

    client.post(url, {"resource": expert.resource.pk, "action": "revoke"})
    assert Client().get(address).status_code == 404


def test_feed_settings__someone_elses_feed__changes_nothing(meeting):
    expert, interpreter = meeting["expert"], meeting["interpreter"]
    token = feed_token_issue(resource=interpreter.resource)
    client = Client()
    login_staff(client, expert.user)
    client.post(reverse("staff:calendar_feed"), {"resource": interpreter.resource.pk, "action": "revoke"})
    assert _feed(Client(), token).status_code == 200


def test_feed_settings__advisor__is_refused(meeting):
    from asiointi.accounts.models import Role
    from asiointi.factories import MembershipFactory

    advisor = UserFactory.create()
    MembershipFactory.create(user=advisor, role=Role.ADVISOR, point=meeting["point"])
    client = Client()
    login_staff(client, advisor)
    assert client.get(reverse("staff:calendar_feed")).status_code == 403
    assert Appointment.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {"resource": "abc", "action": "issue"},
        {"resource": "9" * 30, "action": "revoke"},
        {"resource": "1\x00", "action": "issue"},
        {"action": "issue"},
        {"resource": "{pk}", "action": "delete-everything"},
    ],
)
def test_feed_settings__bad_input__answers_with_a_translated_error_and_changes_nothing(meeting, data):
    expert = meeting["expert"]
    token = feed_token_issue(resource=expert.resource)
    client = Client()
    login_staff(client, expert.user)
    url = reverse("staff:calendar_feed")
    if data.get("resource") == "{pk}":
        data = {**data, "resource": str(expert.resource.pk)}

    response = client.post(url, data, follow=True)

    assert response.status_code == 200
    assert "Valitse jokin omista kalenterisyötteistäsi" in response.content.decode()
    assert _feed(Client(), token).status_code == 200
