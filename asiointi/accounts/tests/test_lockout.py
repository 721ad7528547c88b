import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from asiointi.factories import UserFactory

PASSWORD = "oikea salasana 2026"


@pytest.fixture
def advisor(db):
    return UserFactory.create(email="neuvoja@example.fi", password=PASSWORD, full_name="Neuvoja")


def sign_in(client, email, password, *, address="10.0.0.1", language="fi"):
    return client.post(
        f"/{language}/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def fail(client, clock, settings):
    """A failed sign-in, and then the wait that it asks for (the slow-down before the lockout)."""

    def fail(email, *, address="10.0.0.1", language="fi"):
        response = sign_in(client, email, "väärä", address=address, language=language)
        clock.advance(settings.LOGIN_SLOWDOWN_MAX_SECONDS)
        return response

    return fail


def test_sign_in__right_password__signs_in(client, advisor):
    response = sign_in(client, "Neuvoja@Example.fi", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(advisor.pk)


def test_sign_in__after_the_failure_limit__locks_the_account_even_with_the_right_password(
    client, advisor, settings, fail
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert fail(advisor.email).status_code == 200
    assert fail(advisor.email).status_code == 429

    response = sign_in(client, advisor.email, PASSWORD, address="10.0.0.2")

    assert response.status_code == 429
    assert "Kirjautuminen on lukittu" in response.text
    assert "_auth_user_id" not in client.session


def test_sign_in__lockout_message__speaks_the_users_language(client, advisor, settings, fail):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(advisor.email, language="sv")

    response = sign_in(client, advisor.email, PASSWORD, language="sv")

    assert response.status_code == 429
    assert '<html lang="sv"' in response.text
    assert "Inloggningen är spärrad" in response.text


def test_sign_in__failures_from_one_address__lock_that_address_for_other_accounts(
    client, advisor, settings, fail
):
    UserFactory.create(email="toinen@example.fi", password=PASSWORD, full_name="Toinen")
    for i in range(settings.AXES_FAILURE_LIMIT):
        fail(f"arvaus{i}@example.fi", address="10.9.9.9")

    assert sign_in(client, "toinen@example.fi", PASSWORD, address="10.9.9.9").status_code == 429
    assert sign_in(client, "toinen@example.fi", PASSWORD, address="10.0.0.3").status_code == 302


def test_sign_in__after_the_lockout_period__works_again(client, advisor, settings, fail, clock):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(advisor.email)
    locked = sign_in(client, advisor.email, PASSWORD)
    assert locked.status_code == 429
    assert "Kirjautuminen on lukittu" in locked.text

    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1)
    )
    clock.advance(settings.AXES_COOLOFF_TIME.total_seconds())

    assert sign_in(client, advisor.email, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(advisor.pk)


def test_sign_in__success_of_ones_own_account__keeps_the_addresss_failures_at_other_accounts(
    client, advisor, settings, fail, clock
):
    """Password spraying: trying other accounts' passwords from one address, with a sign-in to
    one's own account in between, still locks the address at the failure limit."""
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        fail(f"kohde{i}@example.fi", address="10.8.8.8")
    assert sign_in(client, advisor.email, PASSWORD, address="10.8.8.8").status_code == 302
    client.logout()
    clock.advance(settings.LOGIN_SLOWDOWN_MAX_SECONDS)

    assert fail("viimeinen@example.fi", address="10.8.8.8").status_code == 429
    assert "Kirjautuminen on lukittu" in sign_in(client, advisor.email, PASSWORD, address="10.8.8.8").text

    assert sign_in(client, advisor.email, PASSWORD, address="10.8.8.8").status_code == 429
    assert sign_in(client, advisor.email, PASSWORD, address="10.0.0.4").status_code == 302


def test_sign_in__success__forgets_the_accounts_own_failures(client, advisor, settings, fail):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        fail(advisor.email)
    assert sign_in(client, advisor.email, PASSWORD).status_code == 302
    client.logout()

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert fail(advisor.email).status_code == 200
