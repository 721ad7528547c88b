"""The accessibility statement (Act 306/2019) and its feedback form, used without JavaScript."""

from __future__ import annotations

import re

import pytest

from asiointi.accounts.models import Role
from asiointi.accounts.testing import login_staff
from asiointi.factories import AccessibilityFeedbackFactory, MembershipFactory, UserFactory
from asiointi.web.models import AccessibilityFeedback

from .html import parse

URL = "/en/accessibility/"


@pytest.fixture
def administrator(db):
    return UserFactory.create(
        email="yllapito@example.fi", password="x" * 16, full_name="Ylläpitäjä", language="fi", superuser=True
    )


def _post(client, **data):
    form = {"message": "", "page": "", "name": "", "email": "", **data}
    return client.post(URL, form)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_statement__in_each_language__names_the_status_and_the_supervising_authority(client, db, language):
    response = client.get(f"/{language}/accessibility/")

    assert response.status_code == 200
    page = parse(response.content)
    assert page.find_all("html")[0].attrs["lang"] == language
    assert len(page.find_all("h1")) == 1
    html = response.content.decode()
    assert "https://www.saavutettavuusvaatimukset.fi/" in html
    assert "23.11.2026" in html  # the last assessment, written the Finnish way in every language


@pytest.mark.parametrize(
    ("language", "authority", "closed_agency"),
    [
        ("fi", "Lupa- ja valvontavirasto", "aluehallintovirasto"),
        ("sv", "Tillstånds- och tillsynsverket", "Regionförvaltningsverket"),
        ("en", "Finnish Supervisory Agency", "Regional State Administrative Agency"),
    ],
)
def test_statement__in_each_language__names_the_supervising_authority_of_2026(
    client, db, language, authority, closed_agency
):
    page = parse(client.get(f"/{language}/accessibility/").content)

    text = " ".join(page.text_of("main"))
    assert authority in text  # the accessibility supervision moved to it on 1 January 2026
    assert closed_agency not in text
    assert "avi.fi" not in client.get(f"/{language}/accessibility/").content.decode()


def test_statement__in_english__says_partially_conforms_and_lists_what_does_not(client, db):
    page = parse(client.get(URL).content)

    text = " ".join(page.text_of("main"))
    assert "partially conforms to level AA of the Web Content Accessibility Guidelines (WCAG) 2.1" in text
    assert "label-content-name-mismatch" in text
    assert "aria-prohibited-attr" in text
    assert "list of links beside the map" in text
    assert "Finnish Supervisory Agency" in text


def test_statement__has_no_inline_styles_or_scripts(client, db):
    html = client.get(URL).content.decode()

    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_feedback__plain_post__saves_one_row_and_mails_the_administrators_after_commit(
    client, administrator, mailoutbox, django_capture_on_commit_callbacks, task_worker
):
    coordinator = UserFactory.create(
        email="ylla2@example.fi", full_name="Toinen", language="sv", is_staff=False
    )
    MembershipFactory.create(user=coordinator, role=Role.ADMINISTRATOR)
    UserFactory.create(email="neuvoja@example.fi", full_name="Neuvoja", is_staff=False)  # not told

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post(
            client,
            message="The map cannot be used with a keyboard.",
            page="/fi/",
            name="Maija",
            email="maija@example.fi",
            wants_reply="on",
        )
        assert mailoutbox == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()
    assert mailoutbox == []  # the worker sends it, not the request
    task_worker()

    assert response.status_code == 302
    assert response["Location"] == "/en/accessibility/#feedback"
    feedback = AccessibilityFeedback.objects.get()
    assert (feedback.message, feedback.page, feedback.email, feedback.wants_reply, feedback.language) == (
        "The map cannot be used with a keyboard.",
        "/fi/",
        "maija@example.fi",
        True,
        "en",
    )
    assert feedback.handled_at is None
    # One mail per language of the administrators, each in their own language.
    assert sorted(tuple(m.to) for m in mailoutbox) == [("ylla2@example.fi",), ("yllapito@example.fi",)]
    assert all("The map cannot be used with a keyboard." in m.body for m in mailoutbox)
    assert all("maija@example.fi" in m.body for m in mailoutbox)
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects == {
        "ylla2@example.fi": "Respons om tillgängligheten",
        "yllapito@example.fi": "Palaute saavutettavuudesta",
    }


def test_feedback__configured_address__is_also_told_and_without_a_reply_gets_no_contact_details(
    client, administrator, mailoutbox, settings, django_capture_on_commit_callbacks, task_worker
):
    settings.ACCESSIBILITY_FEEDBACK_EMAIL = "saavutettavuus@example.fi"

    with django_capture_on_commit_callbacks(execute=True):
        _post(client, message="Too little contrast.", name="Maija", email="maija@example.fi")
    task_worker()

    assert len(mailoutbox) == 1  # the administrator and the address both read Finnish
    assert sorted(mailoutbox[0].to) == ["saavutettavuus@example.fi", "yllapito@example.fi"]
    assert "maija@example.fi" not in mailoutbox[0].body


def test_feedback__after_the_redirect__thanks_in_a_status_region(client, administrator):
    response = client.post(URL, {"message": "Thanks for the list view."}, follow=True)

    page = parse(response.content)
    statuses = page.find_all("div", role="status")
    assert len(statuses) == 1
    assert "Thank you for your feedback." in statuses[0].words
    assert not page.find_all("section", id="error-summary")


def test_feedback__empty_message__shows_the_error_summary_and_saves_nothing(
    client, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, message="   ")

    assert response.status_code == 200
    page = parse(response.content)
    summary = page.find_all("section", id="error-summary")[0]
    assert summary.attrs["role"] == "alert"
    assert summary.attrs["tabindex"] == "-1"
    assert "autofocus" in summary.attrs
    assert "Write your feedback." in summary.words
    assert [a.attrs["href"] for a in page.find_all("a") if a.attrs.get("href", "").startswith("#id_")] == [
        "#id_message"
    ]
    field = page.find_all("textarea", id="id_message")[0]
    assert field.attrs["aria-invalid"] == "true"
    described_by = field.attrs["aria-describedby"].split()
    assert "id_message_error" in described_by
    assert page.text_of("span", id="id_message_error") == ["Write your feedback."]
    assert page.find_all("title")[0].words.startswith(
        "Accessibility statement: your feedback could not be sent"
    )
    assert AccessibilityFeedback.objects.count() == 0
    assert mailoutbox == []


def test_feedback__reply_wanted_without_email__is_refused_on_the_email_field(
    client, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, message="Please call me.", wants_reply="on")

    assert response.status_code == 200
    page = parse(response.content)
    email = page.find_all("input", id="id_email")[0]
    assert email.attrs["aria-invalid"] == "true"
    assert "id_email_error" in email.attrs["aria-describedby"].split()
    assert page.find_all("input", id="id_wants_reply")[0].attrs.get("checked") is not None
    assert AccessibilityFeedback.objects.count() == 0
    assert mailoutbox == []


def test_feedback__invalid_email__is_refused_in_finnish(client, administrator, mailoutbox):
    response = client.post("/fi/accessibility/", {"message": "Viesti", "email": "ei-osoite"})

    assert response.status_code == 200
    assert parse(response.content).find_all("input", id="id_email")[0].attrs["aria-invalid"] == "true"
    assert AccessibilityFeedback.objects.count() == 0


def test_feedback__too_long_message__is_refused(
    client, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, message="x" * 5001)

    assert response.status_code == 200
    assert AccessibilityFeedback.objects.count() == 0
    assert mailoutbox == []


def test_feedback__form_without_csrf_token__is_forbidden(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, {"message": "Hello"})

    assert response.status_code == 403
    assert AccessibilityFeedback.objects.count() == 0


def test_feedback__page_in_the_address__is_filled_in(client, db):
    page = parse(client.get(URL, {"page": "/fi/points/parainen/"}).content)

    assert page.find_all("input", id="id_page")[0].attrs["value"] == "/fi/points/parainen/"


def test_admin__administrator__lists_feedback_and_marks_it_handled(client, administrator):
    feedback = AccessibilityFeedbackFactory.create(message="Hard to read.", language="fi")
    login_staff(client, administrator)

    listing = client.get("/en/admin/web/accessibilityfeedback/")
    assert listing.status_code == 200
    assert "Hard to read." in listing.content.decode()
    assert client.get("/en/admin/web/accessibilityfeedback/add/").status_code == 403

    response = client.post(
        "/en/admin/web/accessibilityfeedback/",
        {"action": "mark_handled", "_selected_action": [feedback.pk]},
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.handled_at is not None


def test_admin__other_staff__cannot_see_feedback(client, point):
    feedback = AccessibilityFeedbackFactory.create(message="Hard to read.", language="fi")
    manager = UserFactory.create(email="esihenkilo@example.fi", full_name="E")
    MembershipFactory.create(user=manager, role=Role.POINT_MANAGER, point=point)
    login_staff(client, manager)

    assert client.get("/en/admin/web/accessibilityfeedback/").status_code == 403
    assert client.get(f"/en/admin/web/accessibilityfeedback/{feedback.pk}/change/").status_code in {403, 404}
    response = client.post(
        "/en/admin/web/accessibilityfeedback/",
        {"action": "mark_handled", "_selected_action": [feedback.pk]},
    )
    assert response.status_code == 403
    feedback.refresh_from_db()
    assert feedback.handled_at is None


@pytest.mark.django_db
def test_feedback__name_with_a_right_to_left_override__refused_with_a_message_and_nothing_saved(client):
    response = client.post(
        "/fi/accessibility/", {"message": "Kartta ei toimi.", "name": "Maija\u202eexe", "page": "/fi/\r\n"}
    )

    assert response.status_code == 200
    assert response.text.count("Kirjoita tämä yhdelle riville ilman rivinvaihtoja") == 2
    assert not AccessibilityFeedback.objects.exists()
