"""Before the lockout, failed sign-ins slow signing in down: each failure after the first makes the
next try for the same account, or from the same address, wait longer. A try that comes too soon
is refused with 429 without checking the password, and says how long to wait."""

from __future__ import annotations

import secrets

import pytest
from axes.models import AccessAttempt
from django.test import Client

from asiointi.accounts import services
from asiointi.accounts.models import AuditAction, AuditEvent, User
from asiointi.core import throttle
from asiointi.factories import UserFactory
from asiointi.web.tests.html import parse

from .conftest import Clock, fresh_address

pytestmark = pytest.mark.django_db

PASSWORD = "oikea salasana 2026"


@pytest.fixture
def email() -> str:
    return f"neuvoja-{secrets.token_hex(4)}@example.fi"


@pytest.fixture
def advisor(email: str) -> User:
    return UserFactory.create(email=email, password=PASSWORD, full_name="Neuvoja")


def _sign_in(client: Client, email: str, password: str, address: str, language: str = "fi"):
    return client.post(
        f"/{language}/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=address
    )


def _failures() -> int:
    return AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count()


def test_sign_in_delay__none_after_the_first_failure__then_doubles_up_to_the_maximum(settings) -> None:
    settings.LOGIN_SLOWDOWN_SECONDS = 3
    settings.LOGIN_SLOWDOWN_MAX_SECONDS = 20

    assert [services.sign_in_delay(failures=n) for n in range(8)] == [0, 0, 3, 6, 12, 20, 20, 20]


def test_sign_in__failures__make_the_next_try_wait_longer_each_time_and_the_right_password_then_works(
    client: Client, advisor: User, email: str, clock: Clock, shared_cache: str
) -> None:
    address = fresh_address()
    assert _sign_in(client, email, "väärä 1", address).status_code == 200
    assert _sign_in(client, email, "väärä 2", address).status_code == 200  # no wait after the first

    too_soon = _sign_in(client, email, PASSWORD, address)

    assert too_soon.status_code == 429
    assert too_soon["Retry-After"] == "2"
    page = parse(too_soon.content)
    summary = page.text_of("section", id="error-summary")
    assert summary and "Liian monta kirjautumisyritystä lyhyessä ajassa. Odota 2 sekuntia" in summary[0]
    assert page.find_all("input", name="username")[0].attrs["value"] == email
    assert "_auth_user_id" not in client.session
    # The refused try checked no password: it is no failure in the audit log or for django-axes.
    assert _failures() == 2
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 2

    clock.advance(2)
    assert _sign_in(client, email, "väärä 3", address).status_code == 200
    longer = _sign_in(client, email, PASSWORD, address)
    assert longer.status_code == 429
    assert "Odota 4 sekuntia" in longer.text
    clock.advance(3)
    assert "Odota 1 sekunti " in _sign_in(client, email, PASSWORD, address).text

    clock.advance(1)
    signed_in = _sign_in(client, email, PASSWORD, address)

    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(advisor.pk)
    # A success forgets the failures: the next mistake is again a first one.
    again = Client()
    assert _sign_in(again, email, "väärä", address).status_code == 200
    assert _sign_in(again, email, "väärä", address).status_code == 200


def test_sign_in__failures_from_one_address__slow_down_other_accounts_there_but_not_elsewhere(
    client: Client, advisor: User, email: str, clock: Clock, shared_cache: str
) -> None:
    address = fresh_address()
    for n in range(2):
        _sign_in(client, f"arvaus-{n}-{secrets.token_hex(3)}@example.fi", "väärä", address)

    assert _sign_in(client, email, PASSWORD, address).status_code == 429
    assert _sign_in(Client(), email, PASSWORD, fresh_address()).status_code == 302


def test_sign_in__success_of_another_account__keeps_the_addresss_failures_and_its_wait(
    client: Client, advisor: User, email: str, clock: Clock, shared_cache: str
) -> None:
    """Password spraying: a sign-in to one's own account does not clear the address's failures at
    other accounts, so the next guess from the address still waits."""
    address = fresh_address()
    _sign_in(client, email, "väärä oma", address)  # one's own mistake: forgiven by the success
    for n in range(2):
        _sign_in(client, f"kohde-{n}-{secrets.token_hex(3)}@example.fi", "arvaus", address)
        clock.advance(60)
    assert _sign_in(client, email, PASSWORD, address).status_code == 302
    clock.advance(60)

    guess = _sign_in(Client(), f"kohde-{secrets.token_hex(3)}@example.fi", "arvaus", address)
    assert guess.status_code == 200
    too_soon = _sign_in(Client(), f"kohde-{secrets.token_hex(3)}@example.fi", "arvaus", address)

    assert too_soon.status_code == 429
    assert too_soon["Retry-After"] == "4"  # the third failure of the address at other accounts


def test_sign_in__failures_of_one_account__slow_it_down_from_any_address(
    client: Client, advisor: User, email: str, clock: Clock, shared_cache: str
) -> None:
    for _ in range(2):
        _sign_in(client, email.upper(), "väärä", fresh_address())

    assert _sign_in(Client(), email, PASSWORD, fresh_address()).status_code == 429
    clock.advance(2)
    assert _sign_in(Client(), email, PASSWORD, fresh_address()).status_code == 302


def test_sign_in__while_another_process_checks_a_try_of_the_account__a_parallel_try_waits(
    client: Client, advisor: User, email: str, clock: Clock, shared_cache: str
) -> None:
    address = fresh_address()
    _sign_in(client, email, "väärä", address)
    # Another web process has taken the account's one try in flight (and holds it while the
    # password is being checked).
    key = f"account:{throttle.email_key(email)}"
    assert throttle.backoff_claim(scope=services.SIGN_IN_SCOPE, key=key, seconds=30)

    response = _sign_in(client, email, PASSWORD, address)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    throttle.backoff_release(scope=services.SIGN_IN_SCOPE, key=key)
    assert _sign_in(client, email, PASSWORD, address).status_code == 302


def test_sign_in__too_soon_in_swedish__says_so_in_swedish(
    client: Client, advisor: User, email: str, clock: Clock
) -> None:
    address = fresh_address()
    for _ in range(2):
        _sign_in(client, email, "fel", address, language="sv")

    response = _sign_in(client, email, PASSWORD, address, language="sv")

    assert response.status_code == 429
    assert '<html lang="sv"' in response.text
    assert "För många inloggningsförsök på kort tid. Vänta 2 sekunder" in response.text


def test_sign_in__slowdown_switched_off__no_wait_before_the_lockout(
    client: Client, advisor: User, email: str, clock: Clock, settings
) -> None:
    settings.LOGIN_SLOWDOWN_SECONDS = 0
    address = fresh_address()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, email, "väärä", address).status_code == 200

    assert _sign_in(client, email, PASSWORD, address).status_code == 302
