"""The meeting page, the day's meetings, the booth's kiosk and its feedback after a meeting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from asiointi.accounts.testing import login_booth_device, login_staff
from asiointi.factories import BoothFactory
from asiointi.ledger.models import Feedback, Transaction
from asiointi.meetings import services
from asiointi.meetings.tokens import join_token_issue, join_token_participant

from .conftest import STARTS, Meeting, move_to_now

pytestmark = pytest.mark.django_db
MINUTE = dt.timedelta(minutes=1)


def staff(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    login_staff(client, user)
    return client


def booth_client(booth) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    login_booth_device(client, booth)
    return client


def test_meeting_room__own_link__page_with_camera_allowed_and_strict_csp(meeting: Meeting):
    move_to_now(meeting)
    url = reverse("meetings:room", kwargs={"token": join_token_issue(participant=meeting.kela)})
    response = staff(meeting.kela.user).get(url)
    assert response.status_code == 200
    assert "camera=(self)" in response["Permissions-Policy"]
    assert "microphone=(self)" in response["Permissions-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    body = response.content.decode()
    assert 'id="end-meeting"' in body  # an expert ends the meeting
    assert f"/ws/meetings/{meeting.room.pk}/" in body


def test_meeting_room__interpreter__no_end_button(meeting: Meeting):
    move_to_now(meeting)
    url = reverse("meetings:room", kwargs={"token": join_token_issue(participant=meeting.interpreter)})
    response = staff(meeting.interpreter.user).get(url)
    assert response.status_code == 200 and 'id="end-meeting"' not in response.content.decode()


def test_meeting_room__someone_elses_link__403_and_forged_404(meeting: Meeting):
    move_to_now(meeting)
    url = reverse("meetings:room", kwargs={"token": join_token_issue(participant=meeting.kela)})
    assert staff(meeting.tax.user).get(url).status_code == 403
    forged = reverse("meetings:room", kwargs={"token": "eyJyIjoxLCJwIjoxfQ:forged"})
    assert staff(meeting.kela.user).get(forged).status_code == 404


def test_meeting_room__after_the_end__410_with_the_reason(meeting: Meeting):
    move_to_now(meeting, minutes_from_now=-40)
    url = reverse("meetings:room", kwargs={"token": join_token_issue(participant=meeting.kela)})
    response = staff(meeting.kela.user).get(url)
    assert response.status_code == 410
    assert "Tämän tapaamisen aika on päättynyt" in response.content.decode()


def test_meetings_today__expert__lists_the_meeting_with_its_join_link(meeting: Meeting):
    move_to_now(meeting)
    response = staff(meeting.kela.user).get(reverse("meetings:today"))
    assert response.status_code == 200
    [link] = response.context["links"]
    assert link.participant.pk == meeting.kela.pk
    assert reverse("meetings:room", kwargs={"token": link.token}) in response.content.decode()


def test_kiosk__booth_with_a_meeting_today__joins_it_and_other_booth_is_idle(meeting: Meeting):
    move_to_now(meeting, minutes_from_now=5)
    response = booth_client(meeting.booth.booth).get(reverse("meetings:kiosk"))
    assert response.status_code == 200
    assert "camera=(self)" in response["Permissions-Policy"]
    config = response.context["config"]
    assert config["id"] == meeting.booth.pk and config["socket"] == f"/ws/meetings/{meeting.room.pk}/"
    assert join_token_participant(token=config["token"], now=meeting.room.starts).pk == meeting.booth.pk
    other = booth_client(BoothFactory.create(point=meeting.room.point)).get(reverse("meetings:kiosk"))
    assert 'id="kiosk-idle"' in other.content.decode()
    assert "meeting-config" not in other.content.decode()
    # The idle screen looks again by itself (a call now taken meanwhile opens on it).
    assert 'data-look-again-seconds="15"' in other.content.decode()
    assert "meetings/kiosk-idle.js" in other.content.decode()


def _ended(meeting: Meeting) -> None:
    services.participant_join(participant=meeting.kela, now=STARTS)
    services.participant_join(participant=meeting.booth, now=STARTS)
    services.participant_admit(participant=meeting.booth, by=meeting.kela, now=STARTS + MINUTE)
    services.meeting_end(room=meeting.room, by=meeting.kela, now=STARTS + 20 * MINUTE)


def test_kiosk_feedback__after_the_meeting__stored_as_the_transactions_feedback_then_idle(meeting: Meeting):
    _ended(meeting)
    client = booth_client(meeting.booth.booth)
    url = reverse("meetings:kiosk_feedback", kwargs={"key": meeting.room.key})
    assert client.get(url).status_code == 200
    response = client.post(url, {"rating": "4", "met_need": "yes"})
    assert response.status_code == 302 and response["Location"].endswith("?thanks=1")
    feedback = Feedback.objects.get()
    assert feedback.rating == 4 and feedback.met_need is True
    assert feedback.transaction_id == Transaction.objects.get(agency_id=meeting.kela.agency_id).pk


def test_kiosk_feedback__no_rating__400_with_the_error_and_nothing_stored(meeting: Meeting):
    _ended(meeting)
    url = reverse("meetings:kiosk_feedback", kwargs={"key": meeting.room.key})
    response = booth_client(meeting.booth.booth).post(url, {"met_need": "yes"})
    assert response.status_code == 400
    assert "Valitse arvio 1–5." in response.content.decode()
    assert Feedback.objects.count() == 0


def test_kiosk_feedback__another_booths_meeting__404(meeting: Meeting):
    _ended(meeting)
    url = reverse("meetings:kiosk_feedback", kwargs={"key": meeting.room.key})
    assert booth_client(BoothFactory.create(point=meeting.room.point)).get(url).status_code == 404
