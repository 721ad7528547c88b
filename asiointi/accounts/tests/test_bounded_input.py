"""Over-long input to the public forms of the accounts app is refused by the form, with a
translated message, before it reaches the database."""

import pytest

from asiointi.factories import UserFactory

HUGE = "a" * 50_001 + "@example.fi"


@pytest.fixture
def advisor(db):
    return UserFactory.create(email="neuvoja@example.fi", password="oikea salasana 2026", full_name="")


def test_sign_in__username_of_50001_characters__refused_by_the_form(client, advisor):
    response = client.post("/fi/accounts/login/", {"username": HUGE, "password": "x"})

    assert response.status_code == 200
    assert "Tämän arvon tulee olla enintään 254 merkkiä pitkä" in response.text
    assert "_auth_user_id" not in client.session


def test_sign_in__password_of_a_megabyte__refused_by_the_form(client, advisor):
    response = client.post("/fi/accounts/login/", {"username": advisor.email, "password": "x" * 1_000_000})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_password_reset__address_of_50001_characters__refused_by_the_form(client, advisor):
    response = client.post("/fi/accounts/password-reset/", {"email": HUGE})

    assert response.status_code == 200
    assert "Tämän arvon tulee olla enintään 254 merkkiä pitkä" in response.text
