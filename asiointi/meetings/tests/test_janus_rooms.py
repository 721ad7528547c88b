"""The meeting's media through a real Janus (started by the tests with a configuration folder of their
own): the room is made in Janus when its meeting page first opens, the page shows only that room's pin,
the room is destroyed at the meeting's end, and a Janus that does not answer gives browser to browser
(logged, and said on the expert's screen). The CSP's connect-src names Janus only on the meeting pages."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from asiointi.accounts.testing import login_booth_device, login_staff
from asiointi.meetings import selectors, services
from asiointi.meetings.janus import janus_room_exists, janus_rooms_list
from asiointi.meetings.models import Room, VideoRoute
from asiointi.meetings.testing import RunningJanus, free_port, janus_running
from asiointi.meetings.tokens import join_token_issue

from .conftest import BOOKED_AT, STARTS, Meeting, _meeting, move_to_now

pytestmark = pytest.mark.django_db
FALLBACK_NOTICE = "The video server cannot be reached"


@pytest.fixture(scope="module")
def janus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningJanus]:
    with janus_running(folder=tmp_path_factory.mktemp("janus")) as running:
        yield running


@pytest.fixture
def with_janus(settings, janus: RunningJanus) -> RunningJanus:
    settings.JANUS_URL = janus.url
    settings.JANUS_PUBLIC_URL = janus.ws_url
    settings.JANUS_ADMIN_KEY = janus.config.admin_key
    settings.JANUS_TIMEOUT_SECONDS = 5
    return janus


def _page(meeting: Meeting, participant) -> tuple[str, dict, str]:  # type: ignore[no-untyped-def]
    client = Client()
    login_staff(client, participant.user)
    response = client.get(
        reverse("meetings:room", kwargs={"token": join_token_issue(participant=participant)})
    )
    assert response.status_code == 200
    body = response.content.decode()
    found = re.search(r'<script id="meeting-config" type="application/json">(.*?)</script>', body, re.S)
    assert found is not None
    return body, json.loads(found.group(1)), response["Content-Security-Policy"]


def test_meeting_page__janus__room_made_in_janus_and_page_gives_its_pin_only(with_janus: RunningJanus):
    first = _meeting(start=_start(), booked_at=_booked())
    move_to_now(first)
    other = _meeting(start=_start(hours=2), booked_at=_booked())
    move_to_now(other, minutes_from_now=0)

    body, config, _csp = _page(first, first.kela)

    first.room.refresh_from_db()
    assert first.room.video_route == VideoRoute.JANUS
    assert first.room.janus_room_id is not None
    assert janus_room_exists(room_id=first.room.janus_room_id)
    listed = {room.room_id: room for room in janus_rooms_list()}
    assert listed[first.room.janus_room_id].pin_required
    video = config["video"]
    assert video == {
        "route": "janus",
        "server": with_janus.ws_url,
        "room": first.room.janus_room_id,
        "pin": first.room.janus_pin,
        "module": video["module"],
    }
    assert first.room.janus_secret not in body and with_janus.config.admin_key not in body
    # The page opened again (or by another participant): the same Janus room and pin.
    _body, again, _csp = _page(first, first.tax)
    assert (
        again["video"]["room"] == first.room.janus_room_id and again["video"]["pin"] == first.room.janus_pin
    )

    # Another meeting's room has a Janus room and pin of its own, never on the first meeting's page.
    _other_body, other_config, _ = _page(other, other.kela)
    other.room.refresh_from_db()
    assert other_config["video"]["pin"] == other.room.janus_pin != first.room.janus_pin
    assert other.room.janus_pin not in body and str(other.room.janus_room_id) not in body


def test_meeting_end__janus_room__destroyed_and_forgotten(
    with_janus: RunningJanus, django_capture_on_commit_callbacks
):
    meeting = _meeting(start=_start(), booked_at=_booked())
    move_to_now(meeting)
    _page(meeting, meeting.kela)
    meeting.room.refresh_from_db()
    janus_id = meeting.room.janus_room_id
    assert janus_room_exists(room_id=janus_id)

    services.participant_join(participant=meeting.kela)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_end(room=meeting.room, by=meeting.kela)

    assert not janus_room_exists(room_id=janus_id)
    meeting.room.refresh_from_db()
    assert (
        meeting.room.janus_room_id is None
        and meeting.room.janus_pin == ""
        and meeting.room.janus_secret == ""
    )


def test_meeting_end__janus_down_at_the_end__cleanup_task_destroys_the_room_later(
    with_janus: RunningJanus, settings, django_capture_on_commit_callbacks
):
    meeting = _meeting(start=_start(), booked_at=_booked())
    move_to_now(meeting)
    _page(meeting, meeting.kela)
    meeting.room.refresh_from_db()
    janus_id = meeting.room.janus_room_id
    services.participant_join(participant=meeting.kela)

    settings.JANUS_URL = f"http://127.0.0.1:{free_port()}/janus"  # nobody answers there
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_end(room=meeting.room, by=meeting.kela)
    assert Room.objects.get(pk=meeting.room.pk).janus_room_id == janus_id
    assert janus_room_exists(room_id=janus_id, server=with_janus.server())

    settings.JANUS_URL = with_janus.url
    from asiointi.meetings.tasks import rooms_janus_cleanup_task

    assert rooms_janus_cleanup_task.call() == 1
    assert not janus_room_exists(room_id=janus_id)
    assert rooms_janus_cleanup_task.call() == 0


def test_meeting_page__janus_down_at_creation__browser_to_browser_logged_and_expert_told(
    settings, caplog: pytest.LogCaptureFixture
):
    settings.JANUS_URL = f"http://127.0.0.1:{free_port()}/janus"
    settings.JANUS_PUBLIC_URL = "wss://video.example.fi/janus-ws"
    settings.JANUS_ADMIN_KEY = "key"
    settings.JANUS_TIMEOUT_SECONDS = 1
    meeting = _meeting(start=_start(), booked_at=_booked())
    move_to_now(meeting)

    with caplog.at_level(logging.WARNING, logger="asiointi.meetings.janus"):
        body, config, _csp = _page(meeting, meeting.kela)

    meeting.room.refresh_from_db()
    assert meeting.room.video_route == VideoRoute.FALLBACK and meeting.room.janus_room_id is None
    assert config["video"] == {"route": "mesh", "fallback": True}
    assert any("browser to browser" in record.getMessage() for record in caplog.records)
    assert FALLBACK_NOTICE in body  # the expert's screen says so
    interpreter_body, _config, _ = _page(meeting, meeting.interpreter)
    assert FALLBACK_NOTICE not in interpreter_body.split('id="meeting-video-notice"')[1].split("</p>")[0]


def test_room_video_fallback__browser_cannot_reach_janus__room_goes_browser_to_browser(
    with_janus: RunningJanus, caplog: pytest.LogCaptureFixture, django_capture_on_commit_callbacks
):
    meeting = _meeting(start=_start(), booked_at=_booked())
    move_to_now(meeting)
    _page(meeting, meeting.kela)
    meeting.room.refresh_from_db()
    janus_id = meeting.room.janus_room_id

    with (
        caplog.at_level(logging.WARNING, logger="asiointi.meetings.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.room_video_fallback(participant=meeting.kela, reason="timeout")

    meeting.room.refresh_from_db()
    assert meeting.room.video_route == VideoRoute.FALLBACK
    assert any("goes browser to browser" in record.getMessage() for record in caplog.records)
    state = selectors.room_state(participant=meeting.booth)
    assert state["room"]["video"] == "mesh" and state["room"]["fallback"] is True
    assert not janus_room_exists(room_id=janus_id)


def test_csp__janus_set__meeting_pages_connect_to_janus_other_pages_do_not(settings, meeting: Meeting):
    settings.JANUS_URL = f"http://127.0.0.1:{free_port()}/janus"
    settings.JANUS_PUBLIC_URL = "wss://video.example.fi/janus-ws"
    settings.JANUS_TIMEOUT_SECONDS = 0.5
    move_to_now(meeting)

    _body, _config, csp = _page(meeting, meeting.kela)
    connect = _directive(csp, "connect-src")
    assert connect == ["'self'", "wss://video.example.fi"]

    booth = Client()
    login_booth_device(booth, meeting.booth.booth)
    kiosk = booth.get(reverse("meetings:kiosk"))
    assert _directive(kiosk["Content-Security-Policy"], "connect-src") == ["'self'", "wss://video.example.fi"]

    other = Client()
    login_staff(other, meeting.kela.user)
    for name in ("meetings:today",):
        response = other.get(reverse(name))
        assert "video.example.fi" not in response["Content-Security-Policy"]
    assert "video.example.fi" not in Client().get("/fi/")["Content-Security-Policy"]


def test_csp__janus_unset__meeting_page_connects_to_its_own_origin_only(settings, meeting: Meeting):
    settings.JANUS_URL = ""
    move_to_now(meeting)
    _body, config, csp = _page(meeting, meeting.kela)
    assert _directive(csp, "connect-src") == ["'self'"]
    assert config["video"] == {"route": "mesh", "fallback": False}
    meeting.room.refresh_from_db()
    assert meeting.room.video_route == VideoRoute.MESH


def _directive(policy: str, name: str) -> list[str]:
    for part in policy.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    return []


def _start(hours: int = 0) -> dt.datetime:
    return STARTS + dt.timedelta(hours=hours)


def _booked() -> dt.datetime:
    return BOOKED_AT
