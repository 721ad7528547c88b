"""A booth's screen signs in as a device of its point with a one-time pairing code: no staff user,
no staff pages, no administration, no idle limit of staff; revoking it ends it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from asiointi.accounts.models import AuditAction, AuditEvent, BoothDevice, Role, User
from asiointi.accounts.testing import login_staff
from asiointi.factories import BoothFactory
from asiointi.network.models import Booth, ServicePoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def booth(point_a: ServicePoint) -> Booth:
    return BoothFactory.create(point=point_a, name="Etäpalvelupiste 1")


@pytest.fixture
def manager_client(point_a: ServicePoint, staff_user: Callable[..., User]) -> Client:
    client = Client()
    login_staff(client, staff_user(Role.POINT_MANAGER, point=point_a))
    return client


def _create_code(manager_client: Client, booth: Booth) -> str:
    response = manager_client.post("/fi/admin/accounts/boothdevice/add/", {"booth": booth.pk}, follow=True)
    assert response.status_code == 200
    found = re.search(r"\b([A-Z2-9]{4}-[A-Z2-9]{4})\b", response.text)
    assert found is not None, response.text
    return found.group(1)


def _pair(kiosk: Client, code: str, address: str = "192.0.2.50"):
    return kiosk.post("/fi/accounts/booth/", {"code": code}, REMOTE_ADDR=address)


def test_booth_pairing__code_from_the_admin__screen_shows_the_booth_and_its_point(
    manager_client: Client, booth: Booth
) -> None:
    code = _create_code(manager_client, booth)
    kiosk = Client()

    response = _pair(kiosk, code.lower().replace("-", " "))

    assert response["Location"] == "/fi/accounts/booth/screen/"
    screen = kiosk.get("/fi/accounts/booth/screen/")
    assert screen.status_code == 200
    assert "Etäpalvelupiste 1" in screen.text
    assert "Karstula yhteispalvelupiste" in screen.text
    assert "Ei tapaamista juuri nyt." in screen.text
    assert "_auth_user_id" not in kiosk.session
    device = BoothDevice.objects.get()
    assert device.paired_at is not None and device.pairing_code_hash == ""
    assert AuditEvent.objects.filter(action=AuditAction.BOOTH_PAIRED, target_id=str(device.pk)).exists()


def test_booth_session__reaches_no_staff_page_and_no_admin_page(manager_client: Client, booth: Booth) -> None:
    kiosk = Client()
    _pair(kiosk, _create_code(manager_client, booth))

    for path in (
        "/fi/admin/",
        "/fi/admin/accounts/user/",
        "/fi/admin/network/booth/",
        "/fi/accounts/login/",
        "/fi/accounts/second-factor/setup/",
        "/fi/accounts/password-reset/",
    ):
        response = kiosk.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/fi/accounts/booth/screen/", path
    assert kiosk.get("/fi/").status_code == 200


def test_booth_session__lasts_days_not_the_staff_idle_limit(
    manager_client: Client, booth: Booth, settings
) -> None:
    kiosk = Client()
    _pair(kiosk, _create_code(manager_client, booth))

    # Nearly expired, and then used again: the count of days starts again.
    Session.objects.update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    assert kiosk.get("/fi/accounts/booth/screen/").status_code == 200

    expires = Session.objects.get(session_key=kiosk.session.session_key).expire_date
    assert expires > timezone.now() + dt.timedelta(days=settings.BOOTH_SESSION_DAYS) - dt.timedelta(minutes=1)


def test_booth_device__revoked_in_the_admin__its_session_ends(manager_client: Client, booth: Booth) -> None:
    kiosk = Client()
    _pair(kiosk, _create_code(manager_client, booth))
    device = BoothDevice.objects.get()

    manager_client.post(
        "/fi/admin/accounts/boothdevice/", {"action": "revoke", "_selected_action": [device.pk]}
    )

    response = kiosk.get("/fi/accounts/booth/screen/")
    assert response["Location"] == "/fi/accounts/booth/"
    assert kiosk.get("/fi/accounts/booth/").status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditAction.BOOTH_DEVICE_REVOKED, target_id=str(device.pk)
    ).exists()


def test_pairing_code__works_once(manager_client: Client, booth: Booth) -> None:
    code = _create_code(manager_client, booth)
    assert _pair(Client(), code).status_code == 302

    again = _pair(Client(), code, address="192.0.2.51")

    assert again.status_code == 200
    assert "Yhdistämiskoodi on väärä, jo käytetty tai ei enää voimassa." in again.text


def test_pairing_code__after_its_time__is_refused(manager_client: Client, booth: Booth) -> None:
    code = _create_code(manager_client, booth)
    BoothDevice.objects.update(pairing_expires_at=timezone.now() - dt.timedelta(seconds=1))

    response = _pair(Client(), code)

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text
    assert BoothDevice.objects.get().paired_at is None


def test_pairing__too_many_wrong_codes__lock_the_address_even_for_the_right_code(
    manager_client: Client, booth: Booth, settings
) -> None:
    code = _create_code(manager_client, booth)
    kiosk = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _pair(kiosk, "AAAA-AAAA")

    response = _pair(kiosk, code)

    assert response.status_code == 200
    assert "liian monta väärää yhdistämiskoodia" in response.text
    assert BoothDevice.objects.get().paired_at is None
    assert (
        AuditEvent.objects.filter(action=AuditAction.BOOTH_PAIRING_FAILED).count()
        == settings.AXES_FAILURE_LIMIT + 1
    )
    assert _pair(Client(), code, address="192.0.2.99").status_code == 302


def test_booth_device_admin__point_manager__cannot_pair_another_points_booth(
    manager_client: Client, point_b: ServicePoint
) -> None:
    other = BoothFactory.create(point=point_b)

    response = manager_client.post("/fi/admin/accounts/boothdevice/add/", {"booth": other.pk})

    assert response.status_code == 200
    assert not BoothDevice.objects.exists()


def test_pairing__signed_in_staff_on_the_computer__is_signed_out(
    manager_client: Client, booth: Booth
) -> None:
    code = _create_code(manager_client, booth)

    _pair(manager_client, code)

    assert "_auth_user_id" not in manager_client.session
    assert manager_client.get("/fi/admin/")["Location"] == "/fi/accounts/booth/screen/"
