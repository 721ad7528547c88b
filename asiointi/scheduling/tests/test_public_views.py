"""The resident's booking pages: plain GETs and POSTs (no JavaScript), in Swedish and Finnish."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from asiointi.catalogue.models import Channel
from asiointi.factories import expert_create, interpreter_create, remote_service_point
from asiointi.scheduling.models import Appointment, AppointmentState
from asiointi.scheduling.selectors import slot_request_build
from asiointi.scheduling.services import CustomerContact, appointment_book
from asiointi.web.tests.html import parse

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")
#: Monday 4 January 2027, 08:00 in Helsinki; Wednesday 6 January is Epiphany.
NOW = dt.datetime(2027, 1, 4, 8, 0, tzinfo=HELSINKI)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2027, 1, day, hour, minute, tzinfo=HELSINKI)


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(dt.UTC))
    cache.clear()


@pytest.fixture
def setup():
    point, _booths, services = remote_service_point(booths=1, agencies=2)
    for service in services:
        expert_create(agency=service.agency, services=[service], languages=("fi", "sv"))
    interpreter_create(languages=("fi", "sv", "ar"))
    return point, services


def query(point, services, language="sv", interpreter="", **extra) -> str:
    pairs = [("point", point.slug), ("channel", "remote_meeting")]
    pairs += [("services", str(s.pk)) for s in services]
    pairs += [("language", language), ("interpreter", interpreter), *extra.items()]
    return urlencode(pairs)


def errors_of(response) -> dict[str, str]:
    """Each field's error, as shown beside it (id_<field>_error)."""
    return dict(re.findall(r'id="id_(\w+?)_error">([^<]*)<', response.content.decode()))


def test_resident_flow__in_swedish__book_view_move_cancel(setup):
    point, services = setup
    client = Client()
    page = client.get(f"/sv/appointments/?{query(point, services)}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Lediga tider" in text or "Free times" in text
    links = re.findall(r'href="(/sv/appointments/time/\?[^"]+)"', text)
    # Two hours' notice from 08:00: the first time is 10:00 on Monday.
    assert "start=2027-01-04T10%3A00%3A00%2B02%3A00" in links[0]
    contact_url = links[0].replace("&amp;", "&")
    form = client.get(contact_url)
    assert form.status_code == 200
    assert "90" in form.content.decode()  # the retention period in the consent text
    booked = client.post(
        contact_url, {"start": at(4, 10).isoformat(), "name": "Anna Andersson", "email": "anna@example.fi"}
    )
    assert booked.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.starts == at(4, 10)
    assert appointment.language == "sv"
    assert appointment.booked_by is None
    assert sorted(appointment.reservations.values_list("role", flat=True)) == ["booth", "expert", "expert"]
    confirmation = client.get(booked["Location"])
    code = f"{appointment.code[:4]}-{appointment.code[4:]}"
    assert code in confirmation.content.decode()
    assert point.street_address in confirmation.content.decode()
    other = Client()
    # Another browser: the confirmation's address leads to "Manage my appointment", the code filled in.
    elsewhere = other.get(booked["Location"], follow=True)
    assert elsewhere.redirect_chain[-1][0] == f"/sv/appointments/manage/?code={code}"
    assert "appointment-code" not in elsewhere.content.decode()
    assert f'value="{code}"' in elsewhere.content.decode()
    for page in ("", "move/", "cancel/"):
        assert other.get(f"/sv/appointments/manage/{appointment.code}/{page}")["Location"].endswith(f"?code={code}")
    other.post(f"/sv/appointments/manage/{appointment.code}/cancel/")
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.BOOKED
    found = other.post("/sv/appointments/manage/", {"code": code.lower(), "contact": "ANNA@example.fi"})
    assert found.status_code == 302
    detail = other.get(found["Location"])
    assert code in detail.content.decode()
    # Move to 11:00 the same day.
    move_page = other.get(f"/sv/appointments/manage/{appointment.code}/move/")
    assert 'value="2027-01-04T11:00:00+02:00"' in move_page.content.decode()
    moved = other.post(f"/sv/appointments/manage/{appointment.code}/move/", {"start": at(4, 11).isoformat()})
    assert moved.status_code == 302
    appointment.refresh_from_db()
    assert appointment.starts == at(4, 11)
    # Cancel, with a confirmation step.
    ask = other.get(f"/sv/appointments/manage/{appointment.code}/cancel/")
    assert ask.status_code == 200
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.BOOKED
    other.post(f"/sv/appointments/manage/{appointment.code}/cancel/")
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.CANCELLED
    assert not appointment.reservations.filter(active=True).exists()


def test_resident_flow__in_finnish__with_an_interpreter(setup):
    point, services = setup
    client = Client()
    url = f"/fi/appointments/time/?{query(point, services[:1], language='fi', interpreter='ar')}"
    booked = client.post(url, {"start": at(5, 10).isoformat(), "name": "Aino", "phone": "040 123 4567"})
    assert booked.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.interpreter_language == "ar"
    page = client.get(booked["Location"])
    assert "Vahvistuskoodi" in page.content.decode() or appointment.code[:4] in page.content.decode()
    found = Client().post("/fi/appointments/manage/", {"code": appointment.code, "contact": "0401234567"})
    assert found.status_code == 302


@pytest.mark.parametrize(
    ("start", "field"),
    [
        (at(1, 10), "start"),  # past
        (at(4, 9), "start"),  # too near
        (at(6, 10), "start"),  # Epiphany
        ("tomorrow", "start"),
    ],
)
def test_contact__bad_time__is_answered_beside_the_time_and_nothing_is_booked(setup, start, field):
    point, services = setup
    response = Client().post(
        f"/fi/appointments/time/?{query(point, services[:1], language='fi')}",
        {
            "start": start.isoformat() if isinstance(start, dt.datetime) else start,
            "name": "A",
            "email": "a@b.fi",
        },
    )
    assert response.status_code == 400
    assert field in errors_of(response)
    assert 'id="error-summary"' in response.content.decode()
    assert not Appointment.objects.exists()


def test_contact__no_contact__is_answered_beside_the_email_field(setup):
    point, services = setup
    response = Client().post(
        f"/sv/appointments/time/?{query(point, services[:1])}", {"start": at(4, 10).isoformat(), "name": "A"}
    )
    errors = errors_of(response)
    assert "email" in errors
    email = next(i for i in parse(response.content).find_all("input") if i.attrs.get("id") == "id_email")
    assert email.attrs["aria-invalid"] == "true"
    assert "id_email_error" in email.attrs["aria-describedby"].split()
    assert not Appointment.objects.exists()


def test_search__unknown_interpreter_language__is_answered_beside_the_interpreter(setup):
    point, services = setup
    response = Client().get(
        f"/fi/appointments/?{query(point, services[:1], language='fi', interpreter='xx')}"
    )
    assert "interpreter" in errors_of(response)
    assert "slot-button" not in response.content.decode()


def test_search__service_not_offered_through_the_channel__is_answered_beside_the_services(setup):
    _point, _services = setup
    other_point, _b, other_services = remote_service_point(
        booths=1, agencies=1, channel=Channel.VISITING_OFFICIAL
    )
    url = "/fi/appointments/?" + urlencode(
        {
            "point": other_point.slug,
            "channel": "remote_meeting",
            "services": other_services[0].pk,
            "language": "fi",
        }
    )
    response = Client().get(url)
    assert "services" in errors_of(response)
    assert not Appointment.objects.exists()


def test_contact__lost_race__shows_the_next_free_times(setup):
    point, services = setup
    request = slot_request_build(
        point=point, service_ids=[services[0].pk], channel=Channel.REMOTE_MEETING, language="sv"
    )
    appointment_book(
        request=request, start=at(4, 10), customer=CustomerContact(name="B", email="b@b.fi"), now=NOW
    )
    url = f"/sv/appointments/time/?{query(point, services[:1])}"
    response = Client().post(url, {"start": at(4, 10).isoformat(), "name": "A", "email": "a@b.fi"})
    assert response.status_code == 409
    assert "start" in errors_of(response)
    assert "start=2027-01-04T10%3A45%3A00%2B02%3A00" in response.content.decode()
    assert Appointment.objects.count() == 1


def test_manage__wrong_contact__answers_as_an_unknown_code(setup):
    point, services = setup
    request = slot_request_build(
        point=point, service_ids=[services[0].pk], channel=Channel.REMOTE_MEETING, language="fi"
    )
    appointment = appointment_book(
        request=request, start=at(4, 10), customer=CustomerContact(name="B", email="b@b.fi"), now=NOW
    )
    client = Client()
    wrong = client.post("/fi/appointments/manage/", {"code": appointment.code, "contact": "c@b.fi"})
    unknown = client.post("/fi/appointments/manage/", {"code": "AAAAAAAA", "contact": "b@b.fi"})
    assert wrong.status_code == unknown.status_code == 400

    def summary(response):
        return re.search(r'id="error-summary".*?</section>', response.content.decode(), re.S).group(0)

    assert summary(wrong) == summary(unknown)
    malformed = client.post("/fi/appointments/manage/", {"code": "abc", "contact": "b@b.fi"})
    assert "code" in errors_of(malformed)


def test_manage__many_wrong_tries__make_the_next_wait(setup):
    client = Client()
    statuses = [
        client.post("/fi/appointments/manage/", {"code": "AAAAAAAA", "contact": "b@b.fi"}).status_code
        for _ in range(7)
    ]
    assert statuses[:5] == [400] * 5
    assert statuses[-1] == 429


def test_booking_limit__per_address__refuses_with_a_message(setup, settings):
    settings.BOOKING_LIMIT_PER_HOUR = 1
    point, services = setup
    client = Client()
    url = f"/fi/appointments/time/?{query(point, services[:1], language='fi')}"
    assert (
        client.post(url, {"start": at(4, 10).isoformat(), "name": "A", "email": "a@b.fi"}).status_code == 302
    )
    second = client.post(url, {"start": at(4, 11).isoformat(), "name": "A", "email": "a@b.fi"})
    assert second.status_code == 429
    assert Appointment.objects.count() == 1


def test_slot_search_limit__per_address__refuses_with_a_message(setup, settings):
    settings.SLOT_SEARCH_LIMIT_PER_MINUTE = 1
    point, services = setup
    client = Client()
    url = f"/fi/appointments/?{query(point, services[:1], language='fi')}"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 429


def test_book_page__is_not_kept_in_the_cache(setup):
    response = Client().get("/fi/appointments/")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_contact_step__without_a_chosen_time__asks_for_one_under_its_own_title(client):
    page = client.get("/fi/appointments/time/").content.decode()
    assert "<title>Varaa aika: valitse ensin aika" in page
