"""Password reset by email: a one-time link in the account's language; the same answer for an
address without an account; the second factor stays."""

from __future__ import annotations

import re
import secrets

import pytest
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from asiointi.accounts.models import AuditAction, AuditEvent, User
from asiointi.factories import UserFactory
from asiointi.web.tests.html import parse

from .conftest import fresh_address
from .helpers import authenticator_code, sign_in_with_password

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Uusi pitkä salasana 2026"


@pytest.fixture
def advisor() -> User:
    user = UserFactory.create(email="neuvoja@example.fi", language="sv")
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def _ask(client: Client, email: str, django_capture_on_commit_callbacks, language: str = "fi"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"/{language}/accounts/password-reset/", {"email": email})


def _link(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://testserver(/\S+)", message.body)
    assert found is not None, message.body
    return found.group(1)


def test_password_reset__mail_in_the_users_language__link_sets_a_password_that_signs_in(
    client: Client, advisor: User, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    response = _ask(client, "Neuvoja@Example.fi", django_capture_on_commit_callbacks)

    assert response["Location"] == "/fi/accounts/password-reset/sent/"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["neuvoja@example.fi"]
    assert message.subject == "Nytt lösenord till Asiointi"
    link = _link(message)
    assert link.startswith("/sv/accounts/password-reset/")

    form = client.get(link, follow=True)
    assert form.status_code == 200
    assert 'autocomplete="new-password"' in form.text
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert done["Location"] == "/sv/accounts/password-reset/done/"
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET, actor_id=advisor.pk).exists()
    fresh = Client()
    signed_in = sign_in_with_password(fresh, advisor.email, NEW_PASSWORD)
    # The second factor stays: the password leads to the code, not past it.
    assert signed_in["Location"].startswith("/fi/accounts/second-factor/?next=")
    device = TOTPDevice.objects.get(user=advisor)
    fresh.post("/fi/accounts/second-factor/", {"code": authenticator_code(device)})
    assert fresh.get("/fi/").status_code == 200
    # The link works once.
    assert "Länken fungerar inte" in client.get(link, follow=True).text


def test_password_reset__unknown_address__same_page_and_no_mail(
    client: Client, advisor: User, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    known = _ask(client, advisor.email, django_capture_on_commit_callbacks)
    mailoutbox.clear()

    unknown = _ask(client, "ei-ketaan@example.fi", django_capture_on_commit_callbacks)

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert client.get(unknown["Location"]).text == client.get(known["Location"]).text
    assert mailoutbox == []


def test_password_reset__invalid_address__error_names_the_field(client: Client, db: None, mailoutbox) -> None:
    response = client.post("/fi/accounts/password-reset/", {"email": "ei osoite"})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text
    assert 'aria-describedby="id_email_error"' in response.text
    assert mailoutbox == []


def test_login_page__links_to_password_reset(client: Client, db: None) -> None:
    assert 'href="/sv/accounts/password-reset/"' in client.get("/sv/accounts/login/").text


def _ask_from(client: Client, email: str, address: str, capture, language: str = "fi"):
    with capture(execute=True):
        return client.post(f"/{language}/accounts/password-reset/", {"email": email}, REMOTE_ADDR=address)


def test_password_reset__over_the_limit_of_one_address__refused_kept_in_the_form_and_no_mail(
    client: Client, mailoutbox, django_capture_on_commit_callbacks, settings, shared_cache
) -> None:
    settings.PASSWORD_RESET_LIMIT_PER_HOUR = 3
    advisor = UserFactory.create(email=f"neuvoja-{secrets.token_hex(3)}@example.fi")
    address = fresh_address()
    for n in range(3):
        assert (
            _ask_from(
                client, f"arvaus-{n}@example.fi", address, django_capture_on_commit_callbacks
            ).status_code
            == 302
        )
    requested = AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET_REQUESTED).count()

    response = _ask_from(client, advisor.email, address, django_capture_on_commit_callbacks)

    assert response.status_code == 429
    page = parse(response.content)
    summary = page.text_of("section", id="error-summary")
    assert summary and "joten linkkiä ei lähetetty nyt. Yritä uudelleen tunnin kuluttua." in summary[0]
    assert page.find_all("input", name="email")[0].attrs["value"] == advisor.email
    assert mailoutbox == []
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET_REQUESTED).count() == requested
    # Another address is not touched.
    assert (
        _ask_from(Client(), advisor.email, fresh_address(), django_capture_on_commit_callbacks).status_code
        == 302
    )
    assert len(mailoutbox) == 1


def test_password_reset__over_the_limit_of_one_email__refused_from_any_address_alike_with_or_without_account(
    mailoutbox, django_capture_on_commit_callbacks, settings, shared_cache
) -> None:
    advisor = UserFactory.create(email=f"neuvoja-{secrets.token_hex(3)}@example.fi")
    unknown = f"ei-ketaan-{secrets.token_hex(3)}@example.fi"
    answers = {}
    for email in (advisor.email, unknown):
        for _n in range(settings.PASSWORD_RESET_LIMIT_PER_EMAIL_PER_HOUR):
            assert (
                _ask_from(
                    Client(), email.upper(), fresh_address(), django_capture_on_commit_callbacks
                ).status_code
                == 302
            )
        mailoutbox.clear()
        answers[email] = _ask_from(
            Client(), email, fresh_address(), django_capture_on_commit_callbacks, language="sv"
        )

    assert {r.status_code for r in answers.values()} == {429}
    known_text, unknown_text = (
        re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", answers[e].text).replace(e, "EMAIL")
        for e in (advisor.email, unknown)
    )
    assert known_text == unknown_text
    assert "Försök igen om en timme." in known_text
    assert mailoutbox == []
