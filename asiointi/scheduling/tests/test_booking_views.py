"""The advisor's booking page: at their own point only, staff see the experts and book from now."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone

from asiointi.accounts.models import Role
from asiointi.factories import expert_create, interpreter_create, remote_service_point
from asiointi.scheduling.models import Appointment

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")
NOW = dt.datetime(2027, 1, 4, 8, 0, tzinfo=HELSINKI)


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(dt.UTC))
    cache.clear()


@pytest.fixture
def setup():
    point, _booths, services = remote_service_point(booths=1, agencies=2)
    for service in services:
        expert_create(agency=service.agency, services=[service], full_name=f"Expert {service.agency.code}")
    interpreter_create(languages=("fi", "ar"), full_name="Tulkki Tuominen")
    return point, services


def test_advisor__books_two_agencies_with_an_interpreter__from_now(setup, staff_client):
    point, services = setup
    client = staff_client(Role.ADVISOR, point=point)
    query = urlencode(
        [
            ("services", services[0].pk),
            ("services", services[1].pk),
            ("channel", "remote_meeting"),
            ("language", "fi"),
            ("interpreter", "ar"),
        ]
    )
    page = client.get(f"/fi/staff/booking/{point.slug}/?{query}")
    text = page.content.decode()
    assert page.status_code == 200
    # Staff book from now (08:00), not after the customers' two hours' notice; the point opens at 9.
    assert 'value="2027-01-04T09:00:00+02:00"' in text
    assert "Tulkki Tuominen" in text and "Expert" in text
    booked = client.post(
        f"/fi/staff/booking/{point.slug}/?{query}",
        {"start": "2027-01-04T09:00:00+02:00", "name": "Aino Asiakas", "phone": "040 123 4567"},
    )
    assert booked.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.booked_by is not None
    assert appointment.interpreter_language == "ar"
    assert appointment.reservations.count() == 4  # booth, two experts, interpreter
    summary = client.get(booked["Location"])
    assert f"{appointment.code[:4]}-{appointment.code[4:]}" in summary.content.decode()


def test_advisor__missing_customer_name__nothing_is_booked(setup, staff_client):
    point, services = setup
    client = staff_client(Role.ADVISOR, point=point)
    query = urlencode({"services": services[0].pk, "channel": "remote_meeting", "language": "fi"})
    response = client.post(
        f"/fi/staff/booking/{point.slug}/?{query}",
        {"start": "2027-01-04T09:00:00+02:00", "phone": "0401234567"},
    )
    assert response.status_code == 400
    assert 'id="id_name_error"' in response.content.decode()
    assert not Appointment.objects.exists()


def test_advisor__of_another_point__gets_404(setup, staff_client):
    point, _services = setup
    other, _b, _s = remote_service_point()
    client = staff_client(Role.ADVISOR, point=other)
    assert client.get(f"/fi/staff/booking/{point.slug}/").status_code == 404
    assert client.get(f"/fi/staff/booking/{other.slug}/").status_code == 200


def test_point_manager__books_at_own_point__expert_gets_403(setup, staff_client):
    point, services = setup
    assert (
        staff_client(Role.POINT_MANAGER, point=point).get(f"/fi/staff/booking/{point.slug}/").status_code
        == 200
    )
    expert = staff_client(Role.EXPERT, agency=services[0].agency)
    assert expert.get(f"/fi/staff/booking/{point.slug}/").status_code == 403
    assert expert.get("/fi/staff/booking/").status_code == 403


def test_advisor__other_choices_with_hx_request__answers_the_times_and_keeps_typed_customer(
    setup, staff_client
):
    point, services = setup
    client = staff_client(Role.ADVISOR, point=point)
    query = urlencode({"services": services[0].pk, "channel": "remote_meeting", "language": "fi"})
    url = f"/fi/staff/booking/{point.slug}/?{query}"

    whole = client.get(url)
    part = client.get(url, HTTP_HX_REQUEST="true")

    assert "<html" in whole.content.decode() and 'id="book-region"' in whole.content.decode()
    text = part.content.decode()
    assert part.status_code == 200 and "HX-Request" in part["Vary"]
    assert "<html" not in text and 'id="query-form"' not in text
    assert 'value="2027-01-04T09:00:00+02:00"' in text and f'action="{url}"' in text.replace("&amp;", "&")
    assert 'id="id_name"' in text and 'hx-preserve="true"' in text  # the typed name stays
    assert 'id="book-status" hx-swap-oob="innerHTML"' in text


def test_advisor__bad_choices_with_hx_request__whole_page_shows_the_errors_by_the_fields(setup, staff_client):
    point, _services = setup
    client = staff_client(Role.ADVISOR, point=point)
    url = f"/fi/staff/booking/{point.slug}/?services=999999&channel=remote_meeting&language=fi"

    part = client.get(url, HTTP_HX_REQUEST="true")
    whole = client.get(url)

    assert part["HX-Redirect"] == url and part.content == b""
    assert 'id="id_services_error"' in whole.content.decode()
