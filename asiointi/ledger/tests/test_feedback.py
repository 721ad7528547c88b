"""Customer feedback: the single-use link, the masking of contact details, who reads the free text,
and its retention."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone, translation

from asiointi.accounts.models import Role
from asiointi.accounts.retention import retention_apply
from asiointi.factories import AgencyFactory, TransactionFactory
from asiointi.ledger.models import Feedback, FeedbackToken
from asiointi.ledger.selectors import feedback_token_state
from asiointi.ledger.services import (
    FeedbackRefused,
    feedback_submit,
    feedback_text_mask,
    feedback_token_hash,
    feedback_token_issue,
    feedback_url,
)

pytestmark = pytest.mark.django_db


def _post(client: Client, token: str, language: str = "fi", **data: str):
    return client.post(
        feedback_url(token=token, language=language),
        {"rating": "4", "met_need": "yes", "text": "", **data},
    )


def test_feedback_token_issue__stores_only_the_hash_of_a_key_that_expires():
    row = TransactionFactory.create()
    token = feedback_token_issue(transaction=row)

    stored = FeedbackToken.objects.get()
    assert stored.token_hash == feedback_token_hash(token)
    assert token not in stored.token_hash
    assert stored.transaction_id == row.pk
    assert stored.expires_at - stored.created_at == pytest.approx(
        dt.timedelta(days=14), abs=dt.timedelta(seconds=5)
    )


def test_feedback_url__is_translated_by_language():
    assert feedback_url(token="abc", language="fi") == "/fi/palaute/abc/"
    assert feedback_url(token="abc", language="sv") == "/sv/respons/abc/"
    assert feedback_url(token="abc", language="en") == "/en/feedback/abc/"


def test_feedback_page__valid_link__takes_the_answer_once_then_says_it_was_used():
    row = TransactionFactory.create()
    token = feedback_token_issue(transaction=row)
    client = Client()

    page = client.get(feedback_url(token=token))
    assert page.status_code == 200
    assert "Millaista palvelua sait?" in page.content.decode()

    sent = _post(client, token, rating="5", met_need="no", text="Hyvä palvelu")
    assert sent.status_code == 302
    assert sent["Location"] == "/fi/palaute/kiitos/"
    assert client.get(sent["Location"]).status_code == 200
    feedback = Feedback.objects.get()
    assert (feedback.transaction_id, feedback.rating, feedback.met_need, feedback.text) == (
        row.pk,
        5,
        False,
        "Hyvä palvelu",
    )

    again = _post(client, token, rating="1")
    assert again.status_code == 410
    assert "Tällä linkillä on jo annettu palautetta" in again.content.decode()
    assert client.get(feedback_url(token=token)).status_code == 410
    assert Feedback.objects.get().rating == 5


def test_feedback_page__unknown_link__is_refused_in_the_visitors_language_and_writes_nothing():
    response = _post(Client(), "not-a-real-key-at-all", language="sv")

    assert response.status_code == 404
    assert "Den här responslänken är inte giltig" in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_page__expired_link__is_gone_and_writes_nothing():
    row = TransactionFactory.create()
    token = feedback_token_issue(transaction=row, now=timezone.now() - dt.timedelta(days=15))

    response = _post(Client(), token)

    assert response.status_code == 410
    assert "vanhentunut" in response.content.decode()
    assert not Feedback.objects.exists()
    assert FeedbackToken.objects.get().used_at is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rating": "7"}, "Valitse arvio 1–5."),
        ({"rating": ""}, "Valitse arvio 1–5."),
        ({"met_need": "maybe"}, "Vastaa kyllä tai ei."),
        ({"text": "x" * 2001}, "Kirjoita enintään 2 000 merkkiä."),
    ],
)
def test_feedback_page__bad_answer__translated_error_and_the_link_still_works(data, message):
    row = TransactionFactory.create()
    token = feedback_token_issue(transaction=row)

    response = _post(Client(), token, **data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Feedback.objects.exists()
    assert feedback_token_state(token=token) == "valid"


def test_feedback_submit__a_second_key_of_the_same_transaction__is_refused():
    row = TransactionFactory.create()
    first, second = feedback_token_issue(transaction=row), feedback_token_issue(transaction=row)
    feedback_submit(token=first, rating=3, met_need=True)

    with pytest.raises(FeedbackRefused) as refused:
        feedback_submit(token=second, rating=1, met_need=False)

    assert refused.value.reason == "used"
    assert Feedback.objects.get().rating == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
def test_feedback_submit__two_posts_at_once__exactly_one_is_taken():
    row = TransactionFactory.create()
    token = feedback_token_issue(transaction=row)
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def post() -> None:
        barrier.wait()
        try:
            feedback_submit(token=token, rating=4, met_need=True)
            outcomes.append("taken")
        except FeedbackRefused as refused:
            outcomes.append(refused.reason)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["taken", "used", "used", "used"]
    assert Feedback.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (
            "Vastatkaa osoitteeseen matti.meikalainen@example.fi kiitos",
            "Vastatkaa osoitteeseen [email] kiitos",
        ),
        ("sähköposti: anna (at) posti . fi", "sähköposti: [email]"),
        ("Soita 040 123 4567 tai +358 40 1234567.", "Soita [phone] tai [phone]."),
        ("numero 040-1234567, (09) 310 1234", "numero [phone], [phone]"),
        ("hetu 010190-123A mukana", "hetu [id] mukana"),
        (
            "Kävin 12.3.2026 kello 10 ja jonotin 45 min, 3 asiaa.",
            "Kävin 12.3.2026 kello 10 ja jonotin 45 min, 3 asiaa.",
        ),
    ],
)
def test_feedback_text_mask__hides_email_addresses_phone_numbers_and_identity_codes(text, masked):
    assert feedback_text_mask(text) == masked


def test_feedback_submit__masks_contact_details_before_storing():
    token = feedback_token_issue(transaction=TransactionFactory.create())

    _post(Client(), token, text="Soittakaa 0401234567 tai laittakaa viestiä liisa@example.com")

    assert Feedback.objects.get().text == "Soittakaa [phone] tai laittakaa viestiä [email]"


def _feedback_of(agency, text: str) -> Feedback:
    row = TransactionFactory.create(agency=agency)
    token = feedback_token_issue(transaction=row)
    return feedback_submit(token=token, rating=2, met_need=False, text=text)


def test_feedback_texts__only_the_coordinators_of_the_agency_and_administrators_read_them(
    staff_client, superuser_client
):
    kela, vero = AgencyFactory.create(code="kela"), AgencyFactory.create(code="vero")
    _feedback_of(kela, "Kelan jono oli pitkä.")
    _feedback_of(vero, "Verokortti jäi kesken.")
    url = "/fi/staff/feedback/"

    kela_page = staff_client(Role.AGENCY_COORDINATOR, agency=kela).get(url).content.decode()
    assert "Kelan jono oli pitkä." in kela_page
    assert "Verokortti jäi kesken." not in kela_page

    admin_page = superuser_client.get(url).content.decode()
    assert "Kelan jono oli pitkä." in admin_page and "Verokortti jäi kesken." in admin_page

    for role, scope in (
        (Role.POINT_MANAGER, {"point": Feedback.objects.first().transaction.point}),
        (Role.NETWORK_PLANNER, {}),
        (Role.EXPERT, {"agency": kela}),
        (Role.ADVISOR, {"point": Feedback.objects.first().transaction.point}),
    ):
        assert staff_client(role, **scope).get(url).status_code == 403, role
    assert Client().get(url).status_code == 302


def test_feedback_texts__query_count_does_not_grow_with_the_rows(staff_client, django_assert_num_queries):
    kela = AgencyFactory.create(code="kela")
    client = staff_client(Role.AGENCY_COORDINATOR, agency=kela)
    _feedback_of(kela, "Yksi.")
    client.get("/fi/staff/feedback/")
    with django_assert_num_queries(8) as one:
        client.get("/fi/staff/feedback/")
    for text in ("Kaksi.", "Kolme.", "Neljä."):
        _feedback_of(kela, text)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/fi/staff/feedback/")


def test_retention__removes_the_free_text_after_its_period_and_keeps_the_rating(settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "feedback_text": 30}
    old = _feedback_of(AgencyFactory.create(), "Vanha teksti.")
    Feedback.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=31))
    new = _feedback_of(AgencyFactory.create(), "Uusi teksti.")

    results = {r.kind: r.anonymised for r in retention_apply()}

    assert results["feedback_text"] == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.text, old.rating, old.text_removed_at is not None) == ("", 2, True)
    assert new.text == "Uusi teksti."
    assert {r.kind: r.anonymised for r in retention_apply()}["feedback_text"] == 0


def test_feedback_page__in_swedish__asks_in_swedish():
    token = feedback_token_issue(transaction=TransactionFactory.create())
    with translation.override("sv"):
        page = Client().get(feedback_url(token=token, language="sv")).content.decode()
    assert "Fick du ditt ärende skött?" in page
    assert 'lang="sv"' in page
