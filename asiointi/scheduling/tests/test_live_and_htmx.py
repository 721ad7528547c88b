"""htmx on the scheduling pages (the part that changes when htmx asks, the whole page otherwise, under
the strict CSP) and the point's live day view (a booking at a point reaches those who follow that
point's day, and nobody else's)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import Client

from asiointi.accounts.models import Role
from asiointi.catalogue.models import Channel
from asiointi.core.sockets import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND
from asiointi.factories import expert_create, remote_service_point
from asiointi.scheduling.routing import point_day_live_path
from asiointi.scheduling.selectors import slot_request_build
from asiointi.scheduling.services import CustomerContact, appointment_book, appointment_cancel
from asiointi.websocket_testing import socket_communicator, socket_outcome

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")
CUSTOMER = CustomerContact(name="Aino Asiakas", email="aino@example.fi")
HTMX = {"HTTP_HX_REQUEST": "true"}


def _book_query(point: Any, services: Any) -> str:
    pairs = [("point", point.slug), ("channel", "remote_meeting")]
    pairs += [("services", str(s.pk)) for s in services]
    return urlencode([*pairs, ("language", "fi"), ("interpreter", "")])


@pytest.fixture
def bookable() -> tuple[Any, Any]:
    point, _booths, services = remote_service_point(booths=1, agencies=1)
    expert_create(agency=services[0].agency, services=services)
    return point, services


def _csp_clean(html: str) -> None:
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script"
    assert " hx-on" not in html and "js:" not in html


def test_book_page__next_week_with_hx_request__answers_only_the_times_and_the_live_region(bookable):
    point, services = bookable
    url = f"/fi/appointments/?{_book_query(point, services)}&week=2099-01-05"

    whole = Client().get(url)
    part = Client().get(url, **HTMX)

    assert whole.status_code == part.status_code == 200
    assert "HX-Request" in whole["Vary"] and "HX-Request" in part["Vary"]
    whole_html, part_html = whole.content.decode(), part.content.decode()
    assert "<html" in whole_html and 'id="times"' in whole_html and "htmx.min.js" in whole_html
    assert "<html" not in part_html and "<form" not in part_html
    assert 'id="times-title"' in part_html and "data-swap-focus" in part_html
    assert 'id="times-status" hx-swap-oob="innerHTML"' in part_html  # the screen reader hears the week
    assert 'hx-push-url="true"' in part_html and 'href="?' in part_html  # links work without htmx too
    _csp_clean(whole_html)
    _csp_clean(part_html)


def test_book_page__history_restore__answers_the_whole_page(bookable):
    point, services = bookable
    response = Client().get(
        f"/fi/appointments/?{_book_query(point, services)}", HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX
    )

    assert "<html" in response.content.decode()


def test_htmx_config__forbids_eval_and_scripts_from_swapped_content(bookable):
    point, services = bookable
    html = Client().get(f"/fi/appointments/?{_book_query(point, services)}").content.decode()

    config = json.loads(re.search(r"<meta name=\"htmx-config\" content='([^']*)'", html).group(1))
    assert config["allowEval"] is False and config["allowScriptTags"] is False
    assert config["includeIndicatorStyles"] is False and config["selfRequestsOnly"] is True


@pytest.fixture
def two_points(staff_user: Any) -> dict[str, Any]:
    made: dict[str, Any] = {}
    for name in ("a", "b"):
        point, _booths, services = remote_service_point(booths=1, agencies=1)
        expert_create(agency=services[0].agency, services=services)
        made[name] = point
        made[f"request_{name}"] = slot_request_build(
            point=point, service_ids=[services[0].pk], channel=Channel.REMOTE_MEETING, language="fi"
        )
        made[f"advisor_{name}"] = staff_user(Role.ADVISOR, point=point)
    return made


def _signed_in(user: Any) -> Client:
    from asiointi.accounts.testing import login_staff

    client = Client()
    login_staff(client, user)
    return client


def test_point_day__day_navigation_with_hx_request__answers_the_day_only(two_points):
    client = _signed_in(two_points["advisor_a"])
    url = f"/fi/staff/schedule/point-day/?point={two_points['a'].slug}&date=2027-01-05"

    whole, part = client.get(url), client.get(url, **HTMX)

    assert "<html" in whole.content.decode() and "point-day-live.js" in whole.content.decode()
    assert point_day_live_path(two_points["a"].pk) in whole.content.decode()
    part_html = part.content.decode()
    assert "<html" not in part_html and 'id="booths-title"' in part_html
    assert 'id="day-status" hx-swap-oob="innerHTML"' in part_html
    # The page's own refresh (polling, a live event) does not announce or move the focus.
    refresh = client.get(url + "&refresh=1", **HTMX).content.decode()
    assert 'id="booths-title"' in refresh and "hx-swap-oob" not in refresh
    _csp_clean(whole.content.decode())


def test_my_calendar__week_navigation_with_hx_request__answers_the_calendar_only(staff_user):
    _point, _booths, services = remote_service_point(booths=1, agencies=1)
    expert = expert_create(agency=services[0].agency, services=services)
    client = _signed_in(expert.user)
    url = "/fi/staff/schedule/calendar/?view=week&date=2027-01-05"

    whole, part = client.get(url), client.get(url, **HTMX)

    assert whole.status_code == part.status_code == 200
    assert "<html" in whole.content.decode() and "<html" not in part.content.decode()
    assert 'id="calendar-status" hx-swap-oob="innerHTML"' in part.content.decode()
    assert "HX-Request" in part["Vary"]


def test_point_day_socket__other_points_advisor__forbidden_and_unknown_point_not_found(
    two_points, channel_layer
):
    client_b = _signed_in(two_points["advisor_b"])

    assert async_to_sync(socket_outcome)(point_day_live_path(two_points["a"].pk), client=client_b) == (
        False,
        CLOSE_FORBIDDEN,
    )
    assert async_to_sync(socket_outcome)(point_day_live_path(987654), client=client_b) == (
        False,
        CLOSE_NOT_FOUND,
    )


@pytest.mark.django_db(transaction=True)  # the consumer's database calls close the connection
def test_point_day_socket__booking_at_point_a__reaches_a_follower_of_a_and_not_of_b(
    two_points, channel_layer, django_capture_on_commit_callbacks
):
    client_a, client_b = _signed_in(two_points["advisor_a"]), _signed_in(two_points["advisor_b"])
    now = dt.datetime(2027, 1, 4, 8, 0, tzinfo=HELSINKI)

    @sync_to_async
    def book() -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return appointment_book(
                request=two_points["request_a"],
                start=dt.datetime(2027, 1, 5, 10, 0, tzinfo=HELSINKI),
                customer=CUSTOMER,
                now=now,
                notify=False,
            )

    @sync_to_async
    def cancel(appointment: Any) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            appointment_cancel(appointment=appointment, by=two_points["advisor_a"], now=now, notify=False)

    async def follow() -> tuple[list[dict[str, Any]], bool]:
        at_a = socket_communicator(point_day_live_path(two_points["a"].pk), client=client_a)
        at_b = socket_communicator(point_day_live_path(two_points["b"].pk), client=client_b)
        assert (await at_a.connect(timeout=5))[0] and (await at_b.connect(timeout=5))[0]
        appointment = await book()
        received = [await at_a.receive_json_from(timeout=5)]
        await cancel(appointment)
        received.append(await at_a.receive_json_from(timeout=5))
        b_heard = not await at_b.receive_nothing(timeout=0.5)
        await at_a.disconnect()
        await at_b.disconnect()
        return received, b_heard

    received, b_heard = async_to_sync(follow)()

    assert received == [
        {"type": "appointment.changed", "change": "booked"},
        {"type": "appointment.changed", "change": "cancelled"},
    ]
    assert b_heard is False
