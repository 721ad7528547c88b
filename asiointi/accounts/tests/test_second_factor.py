"""Staff sign in with the password and then a second factor: an authenticator app (TOTP) or a
single-use recovery code. Without the second factor a signed-in user reaches nothing but it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.checks import run_checks
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from asiointi.accounts.models import AuditAction, AuditEvent, User
from asiointi.accounts.recovery import recovery_code_hash
from asiointi.accounts.testing import login_staff
from asiointi.factories import TEST_PASSWORD, TOTPDeviceFactory, UserFactory

from .helpers import authenticator_code, sign_in_with_password

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager() -> User:
    return UserFactory.create(email="esihenkilo@example.fi", is_superuser=True)


def _enrolled(user: User) -> TOTPDevice:
    return TOTPDeviceFactory.create(user=user)


def _codes_on(page: str) -> list[str]:
    return re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", page)


def test_login__without_device__reaches_only_enrolment(client: Client, manager: User) -> None:
    response = sign_in_with_password(client, manager.email, TEST_PASSWORD, next_url="/fi/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/fi/accounts/second-factor/setup/?next=%2Ffi%2Fadmin%2F"
    for path in (
        "/fi/admin/",
        "/fi/admin/accounts/user/",
        "/fi/",
        "/fi/accounts/second-factor/recovery-codes/",
    ):
        refused = client.get(path)
        assert refused.status_code == 302, path
        assert refused["Location"].startswith("/fi/accounts/second-factor/setup/?next="), path
        # The redirect carries the security headers as every response does.
        assert "script-src 'self'" in refused["Content-Security-Policy"], path
        assert refused["X-Frame-Options"] == "DENY", path
    assert client.post("/fi/admin/accounts/user/", {}).status_code == 302
    page = client.get("/fi/accounts/second-factor/setup/")
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.text
    assert 'autocomplete="one-time-code"' in page.text


def test_enrolment__first_code_confirms__recovery_codes_shown_once_then_the_admin_opens(
    client: Client, manager: User
) -> None:
    sign_in_with_password(client, manager.email, TEST_PASSWORD)
    setup = client.get("/fi/accounts/second-factor/setup/?next=/fi/admin/")
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    shown_key = re.search(r'<code id="setup-key">([A-Z2-7 ]+)</code>', setup.text)
    assert shown_key is not None and len(shown_key.group(1).replace(" ", "")) == 32

    confirmed = client.post(
        "/fi/accounts/second-factor/setup/", {"code": authenticator_code(device), "next": "/fi/admin/"}
    )

    assert confirmed["Location"] == "/fi/accounts/second-factor/recovery-codes/?next=%2Ffi%2Fadmin%2F"
    codes_page = client.get(confirmed["Location"])
    codes = _codes_on(codes_page.text)
    assert len(codes) == 10
    assert 'href="/fi/admin/"' in codes_page.text
    assert _codes_on(client.get("/fi/accounts/second-factor/recovery-codes/").text) == []
    assert client.get("/fi/admin/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_ENROLLED, actor_id=manager.pk).exists()


def test_enrolment__wrong_first_code__shows_an_error_and_sets_nothing_up(
    client: Client, manager: User
) -> None:
    sign_in_with_password(client, manager.email, TEST_PASSWORD)
    client.get("/fi/accounts/second-factor/setup/")

    response = client.post("/fi/accounts/second-factor/setup/", {"code": "000000"})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text
    assert "Koodi on väärä tai vanhentunut" in response.text
    assert not TOTPDevice.objects.filter(user=manager, confirmed=True).exists()
    assert client.get("/fi/admin/").status_code == 302


def test_sign_in__with_an_app__asks_for_the_code_then_reaches_the_admin(
    client: Client, manager: User
) -> None:
    device = _enrolled(manager)

    response = sign_in_with_password(client, manager.email, TEST_PASSWORD, next_url="/fi/admin/")

    assert response["Location"] == "/fi/accounts/second-factor/?next=%2Ffi%2Fadmin%2F"
    assert client.get("/fi/admin/")["Location"].startswith("/fi/accounts/second-factor/?next=")
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_ACCEPTED, actor_id=manager.pk).exists()

    verified = client.post(
        "/fi/accounts/second-factor/", {"code": authenticator_code(device), "next": "/fi/admin/"}
    )

    assert verified["Location"] == "/fi/admin/"
    assert client.get("/fi/admin/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor_id=manager.pk).count() == 1


def test_sign_in__with_an_app__password_alone_cannot_set_up_another_app(
    client: Client, manager: User
) -> None:
    _enrolled(manager)
    sign_in_with_password(client, manager.email, TEST_PASSWORD)

    response = client.get("/fi/accounts/second-factor/setup/")

    assert response.status_code == 302
    assert response["Location"].startswith("/fi/accounts/second-factor/?next=")
    assert TOTPDevice.objects.filter(user=manager).count() == 1


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fi", "Koodi on väärä tai vanhentunut"),
        ("sv", "Koden är fel eller har gått ut"),
        ("en", "The code is wrong or has expired"),
    ],
)
def test_second_factor__wrong_code__shows_an_error_in_the_users_language_and_is_recorded(
    client: Client, manager: User, language: str, message: str
) -> None:
    _enrolled(manager)
    sign_in_with_password(client, manager.email, TEST_PASSWORD, language=language)

    response = client.post(f"/{language}/accounts/second-factor/", {"code": "123 456"})

    assert response.status_code == 200
    assert message in response.text
    assert 'id="error-summary"' in response.text
    assert (
        AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_FAILED, actor_id=manager.pk).count() == 1
    )
    assert client.get(f"/{language}/admin/").status_code == 302


@pytest.mark.parametrize("wrong", ["123456", "000000 00", "aaaa-bbbb"])
def test_second_factor__right_code_right_after_a_wrong_one__signs_in_at_once(
    client: Client, manager: User, wrong: str
) -> None:
    device = _enrolled(manager)
    sign_in_with_password(client, manager.email, TEST_PASSWORD)

    typo = client.post("/fi/accounts/second-factor/", {"code": wrong})
    right = client.post(
        "/fi/accounts/second-factor/", {"code": authenticator_code(device), "next": "/fi/admin/"}
    )

    assert "Koodi on väärä" in typo.text
    assert right.status_code == 302
    assert right["Location"] == "/fi/admin/"
    assert client.get("/fi/admin/").status_code == 200


def test_second_factor__two_typos_then_the_right_code__signs_in_and_the_third_typo_waits(
    client: Client, manager: User
) -> None:
    device = _enrolled(manager)
    sign_in_with_password(client, manager.email, TEST_PASSWORD)
    for _ in range(2):
        client.post("/fi/accounts/second-factor/", {"code": "123456"})

    assert client.post("/fi/accounts/second-factor/", {"code": authenticator_code(device)}).status_code == 302

    other = Client()
    sign_in_with_password(other, manager.email, TEST_PASSWORD)
    for _ in range(3):
        other.post("/fi/accounts/second-factor/", {"code": "123456"})
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 3
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now())
    refused = other.post("/fi/accounts/second-factor/", {"code": authenticator_code(device)})
    assert "Liian monta väärää koodia" in refused.text
    assert other.get("/fi/admin/").status_code == 302


def test_second_factor__after_many_wrong_codes__refuses_even_the_right_code_for_a_while(
    client: Client, manager: User
) -> None:
    device = _enrolled(manager)
    device.throttling_failure_count = 6
    device.throttling_failure_timestamp = timezone.now()
    device.save(update_fields=["throttling_failure_count", "throttling_failure_timestamp"])
    sign_in_with_password(client, manager.email, TEST_PASSWORD)

    response = client.post("/fi/accounts/second-factor/", {"code": authenticator_code(device)})

    assert response.status_code == 200
    assert "Liian monta väärää koodia" in response.text
    assert client.get("/fi/admin/").status_code == 302

    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(minutes=5)
    )
    assert client.post("/fi/accounts/second-factor/", {"code": authenticator_code(device)}).status_code == 302
    assert client.get("/fi/admin/").status_code == 200


def test_recovery_code__signs_in_once_and_then_no_more(client: Client, manager: User) -> None:
    _enrolled(manager)
    elsewhere = Client()
    login_staff(elsewhere, manager)
    codes = _codes_on(
        elsewhere.get(elsewhere.post("/fi/accounts/second-factor/recovery-codes/")["Location"]).text
    )
    assert len(codes) == 10
    sign_in_with_password(client, manager.email, TEST_PASSWORD)

    used = client.post("/fi/accounts/second-factor/", {"code": codes[0].upper()})

    assert used.status_code == 302
    assert client.get("/fi/admin/").status_code == 200
    assert StaticToken.objects.filter(device__user=manager).count() == 9
    assert AuditEvent.objects.filter(action=AuditAction.RECOVERY_CODE_USED, actor_id=manager.pk).exists()
    again = Client()
    sign_in_with_password(again, manager.email, TEST_PASSWORD)
    refused = again.post("/fi/accounts/second-factor/", {"code": codes[0]})
    assert refused.status_code == 200
    assert again.get("/fi/admin/").status_code == 302


def test_recovery_codes__made_again__the_old_ones_stop_working(client: Client, manager: User) -> None:
    login_staff(client, manager)
    first = _codes_on(client.get(client.post("/fi/accounts/second-factor/recovery-codes/")["Location"]).text)

    second = _codes_on(client.get(client.post("/fi/accounts/second-factor/recovery-codes/")["Location"]).text)

    assert len(second) == 10
    stored = set(StaticToken.objects.filter(device__user=manager).values_list("token", flat=True))
    # Only keyed hashes are stored, never the codes themselves.
    assert stored == {recovery_code_hash(code) for code in second}
    assert not stored & {code.replace("-", "") for code in first + second}
    assert not stored & {recovery_code_hash(code) for code in first}


def test_admin_login__sends_to_the_staff_sign_in_with_the_page_asked_for(client: Client, db: None) -> None:
    response = client.get("/fi/admin/ledger/")

    assert response.status_code == 302
    login = client.get(response["Location"])
    assert login.status_code == 302
    assert login["Location"] == "/fi/accounts/login/?next=%2Ffi%2Fadmin%2Fledger%2F"


def test_admin_login__posting_a_password_there__does_not_sign_in(client: Client, manager: User) -> None:
    client.post("/fi/admin/login/", {"username": manager.email, "password": TEST_PASSWORD})

    assert "_auth_user_id" not in client.session
    assert client.get("/fi/admin/").status_code == 302


def test_remove_second_factor__by_an_administrator__the_user_sets_up_a_new_app(
    client: Client, manager: User
) -> None:
    advisor = UserFactory.create(email="neuvoja@example.fi")
    advisor_client = Client()
    login_staff(advisor_client, advisor)
    assert advisor_client.get("/fi/").status_code == 200
    login_staff(client, manager)

    client.post(
        "/fi/admin/accounts/user/", {"action": "remove_second_factor", "_selected_action": [advisor.pk]}
    )

    assert not TOTPDevice.objects.filter(user=advisor).exists()
    assert advisor_client.get("/fi/")["Location"].startswith("/fi/accounts/second-factor/setup/")
    event = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_REMOVED)
    assert (event.actor_id, event.target_id) == (manager.pk, str(advisor.pk))


def test_login_staff__gives_a_session_that_has_passed_the_second_factor(
    client: Client, manager: User
) -> None:
    login_staff(client, manager)

    assert client.get("/fi/admin/").status_code == 200
    assert client.get("/fi/accounts/second-factor/recovery-codes/").status_code == 200


# -- the demo switch ------------------------------------------------------------------------------


@pytest.fixture
def demo_account() -> User:
    user = UserFactory.create(email="esihenkilo.karstula@demo.asiointi.fi", is_superuser=True)
    User.objects.filter(pk=user.pk).update(is_demo_account=True)
    user.refresh_from_db()
    return user


def test_demo_account__exemption_on__reaches_the_pages_without_a_device(
    client: Client, demo_account: User, settings
) -> None:
    settings.SECOND_FACTOR_EXEMPT_DEMO_ACCOUNTS = True

    response = sign_in_with_password(client, demo_account.email, TEST_PASSWORD, next_url="/fi/admin/")

    assert response["Location"] == "/fi/admin/"
    assert client.get("/fi/admin/").status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN_WITHOUT_SECOND_FACTOR, actor_id=demo_account.pk
    ).exists()


def test_demo_account__exemption_off__reaches_only_enrolment(
    client: Client, demo_account: User, settings
) -> None:
    settings.SECOND_FACTOR_EXEMPT_DEMO_ACCOUNTS = False

    sign_in_with_password(client, demo_account.email, TEST_PASSWORD)

    assert client.get("/fi/admin/")["Location"].startswith("/fi/accounts/second-factor/setup/")


def test_other_account__exemption_on__still_needs_the_second_factor(
    client: Client, manager: User, settings
) -> None:
    settings.SECOND_FACTOR_EXEMPT_DEMO_ACCOUNTS = True
    demo_domain = UserFactory.create(email="keksitty@demo.asiointi.fi")

    for user in (manager, demo_domain):
        other = Client()
        sign_in_with_password(other, user.email, TEST_PASSWORD)
        assert other.get("/fi/admin/")["Location"].startswith("/fi/accounts/second-factor/setup/")


def test_check_deploy__exemption_on__warns(settings) -> None:
    settings.SECOND_FACTOR_EXEMPT_DEMO_ACCOUNTS = True

    assert "asiointi.W001" in {m.id for m in run_checks(include_deployment_checks=True)}


def test_login_page__no_autofocus_in_the_form__errors_summarised_as_an_alert_that_takes_focus(client, db):
    page = client.get("/fi/accounts/login/").content.decode()
    assert "autofocus" not in page

    failed = client.post(
        "/fi/accounts/login/", {"username": "ei@example.fi", "password": "väärä"}
    ).content.decode()
    summary = failed[failed.index('id="error-summary"') - 200 : failed.index('id="error-summary"') + 300]
    assert 'role="alert"' in summary
    assert "autofocus" in summary
    assert "Kirjautuminen ei onnistunut" in failed
