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
from asiointi.factories import TOTPDeviceFactory, UserFactory
from asiointi.web.tests.html import parse

from .conftest import fresh_address
from .helpers import authenticator_code, sign_in_with_password

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Uusi pitkä salasana 2026"


@pytest.fixture
def advisor() -> User:
    user = UserFactory.create(email="neuvoja@example.fi", language="sv")
    TOTPDeviceFactory.create(user=user)
    return user


def _ask(client: Client, email: str, django_capture_on_commit_callbacks, language: str = "fi"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"/{language}/accounts/password-reset/", {"email": email})


def _link(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://testserver(/\S+)", message.body)
    assert found is not None, message.body
    return found.group(1)


def test_password_reset__mail_in_the_users_language__link_sets_a_password_that_signs_in(
    client: Client, advisor: User, mailoutbox, django_capture_on_commit_callbacks, task_worker
) -> None:
    response = _ask(client, "Neuvoja@Example.fi", django_capture_on_commit_callbacks)

    assert response["Location"] == "/fi/accounts/password-reset/sent/"
    assert mailoutbox == []  # the worker sends it, not the request
    task_worker()
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
    client: Client, mailoutbox, django_capture_on_commit_callbacks, settings, shared_cache, task_worker
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

    task_worker()
    response = _ask_from(client, advisor.email, address, django_capture_on_commit_callbacks)
    task_worker()

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
    task_worker()
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


def test_password_reset__real_smtp__nothing_sent_in_the_request_and_the_worker_sends_it_in_swedish(
    client: Client, advisor: User, smtp_server, task_worker, django_capture_on_commit_callbacks
) -> None:
    response = _ask(client, advisor.email, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert smtp_server.received == []  # the request only queued the task
    task_worker()
    (message,) = smtp_server.received
    assert message["To"] == advisor.email
    assert message["Subject"] == "Nytt lösenord till Asiointi"
    assert message["Content-Language"] == "sv"
    assert "/sv/accounts/password-reset/" in message.get_content()


def test_password_reset__known_and_unknown_address__the_request_takes_the_same_path(
    advisor: User, mailoutbox, django_capture_on_commit_callbacks, task_worker
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks_db.models import DBTaskResult

    def queries_of(email: str) -> list[str]:
        client = Client()
        with CaptureQueriesContext(connection) as captured:
            response = _ask_from(client, email, fresh_address(), django_capture_on_commit_callbacks)
        assert response.status_code == 302
        # The statements, without the values in them (the email address, times, ids).
        return [re.sub(r"'[^']*'|\d+", "?", q["sql"]) for q in captured.captured_queries]

    known = queries_of(advisor.email)
    unknown = queries_of("ei-ketaan@example.fi")

    assert known == unknown
    assert not any('"accounts_user"' in sql for sql in known)  # nobody is looked up in the request
    assert mailoutbox == []
    queued = DBTaskResult.objects.order_by("enqueued_at")
    assert [t.args_kwargs["kwargs"]["builder"] for t in queued] == [
        "asiointi.accounts.services.password_reset_mails"
    ] * 2
    task_worker()
    assert [m.to for m in mailoutbox] == [[advisor.email]]
