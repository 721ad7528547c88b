"""Forms in their error state: each field in error is marked invalid and described by its error
text, an error summary at the top takes the focus and its links move to the fields (WCAG 3.3.1,
3.3.3, 1.3.1, 2.4.3); messages after sending are in a live region (WCAG 4.1.3).

The forms are listed in :data:`ERROR_STATES`: one line per form and way of getting it wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page as Tab

from a11y import browser
from a11y.tests.conftest import Site

pytestmark = [pytest.mark.a11y, pytest.mark.slow]

#: A value for a checkbox: tick it.
TICK = object()


@dataclass(frozen=True)
class ErrorState:
    """How to bring a form into an error state: the page, the fields to fill (selector and value;
    :data:`TICK` for a checkbox), the button that sends it, and the ids of the fields that should
    then be marked invalid (none when the error concerns the whole form)."""

    name: str
    route: str
    fill: tuple[tuple[str, Any], ...]
    submit: str
    invalid: tuple[str, ...]
    languages: tuple[str, ...] = ("fi", "sv")
    #: The status of the page with the errors (the planner's form answers 400 Bad Request).
    status: int = 200
    #: Whether the reflow tests (320 px, text at 200 %) also check the form with its errors shown:
    #: the product's own forms; the administration's layout is Django's (docs/accessibility.md).
    layout: bool = True


ERROR_STATES: tuple[ErrorState, ...] = (
    ErrorState(
        "sign-in, empty",
        "accounts:login",
        (),
        "main form button[type=submit]",
        ("id_username", "id_password"),
    ),
    ErrorState(
        "sign-in, wrong password",
        "accounts:login",
        (("#id_username", "nobody@example.fi"), ("#id_password", "not the password")),
        "main form button[type=submit]",
        (),
    ),
    ErrorState(
        "feedback, empty", "web:accessibility", (), "#feedback form button[type=submit]", ("id_message",)
    ),
    ErrorState(
        "feedback, answer wanted without an address",
        "web:accessibility",
        (("#id_message", "Kartta ei toimi."), ("#id_wants_reply", TICK)),
        "#feedback form button[type=submit]",
        ("id_email",),
        languages=("fi",),
    ),
    ErrorState(
        "feedback, address not valid",
        "web:accessibility",
        (("#id_message", "Kartta ei toimi."), ("#id_email", "not an address")),
        "#feedback form button[type=submit]",
        ("id_email",),
        languages=("en",),
    ),
    ErrorState(
        "service, unknown municipality",
        "web:service_detail",
        (("#id_from", "Atlantis"),),
        "main form button[type=submit]",
        ("id_from",),
    ),
    ErrorState(
        "password reset request, empty",
        "accounts:password_reset",
        (),
        "main form button[type=submit]",
        ("id_email",),
    ),
    ErrorState(
        "password reset request, address not valid",
        "accounts:password_reset",
        (("#id_email", "not an address"),),
        "main form button[type=submit]",
        ("id_email",),
        languages=("en",),
    ),
    ErrorState(
        "new password, the two differ",
        "accounts:password_reset_confirm",
        (("#id_new_password1", "Kuusi kuikkaa kaislikossa"), ("#id_new_password2", "Seitsemän kuikkaa")),
        "main form button[type=submit]",
        ("id_new_password2",),
    ),
    ErrorState(
        "new password, too short and too common",
        "accounts:password_reset_confirm",
        (("#id_new_password1", "password"), ("#id_new_password2", "password")),
        "main form button[type=submit]",
        ("id_new_password2",),
        languages=("en",),
    ),
    ErrorState(
        "new password, empty",
        "accounts:password_reset_confirm",
        (),
        "main form button[type=submit]",
        ("id_new_password1", "id_new_password2"),
        languages=("sv",),
    ),
    ErrorState(
        "booth pairing, empty",
        "accounts:booth_pair",
        (),
        "main form button[type=submit]",
        ("id_code",),
    ),
    ErrorState(
        "booth pairing, wrong code",
        "accounts:booth_pair",
        (("#id_code", "AAAA-AAAA"),),
        "main form button[type=submit]",
        ("id_code",),
        languages=("en",),
    ),
    ErrorState(
        "second factor, wrong code",
        "accounts:second_factor",
        (("#id_code", "000000"),),
        "main form.stacked-form button[type=submit]",
        ("id_code",),
    ),
    ErrorState(
        "second factor, empty",
        "accounts:second_factor",
        (),
        "main form.stacked-form button[type=submit]",
        ("id_code",),
        languages=("en",),
    ),
    ErrorState(
        "second factor setup, wrong code",
        "accounts:second_factor_setup",
        (("#id_code", "000000"),),
        "main form.stacked-form button[type=submit]",
        ("id_code",),
    ),
    ErrorState(
        "second factor setup, empty",
        "accounts:second_factor_setup",
        (),
        "main form.stacked-form button[type=submit]",
        ("id_code",),
        languages=("en",),
    ),
    ErrorState(
        "planning scenario, no rule and an unknown site",
        "planning:index",
        (("#id_name", "Saavutettavuus"), ("#id_sites", "Atlantis")),
        "main form.stacked-form button[type=submit]",
        ("id_share", "id_sites"),
        status=400,
    ),
    ErrorState(
        "administration: a new booth, empty",
        "admin:network_booth_add",
        (),
        "[name=_save]",
        ("id_point", "id_name"),
        layout=False,
    ),
)


def send(tab: Tab, fill: tuple[tuple[str, Any], ...], submit: str) -> int:
    """Fill the fields and send the form from its button with the keyboard; the status of the
    page that answers."""
    tab.evaluate("() => document.querySelectorAll('form').forEach((f) => { f.noValidate = true; })")
    for selector, value in fill:
        if value is TICK:
            tab.check(selector)
        else:
            tab.fill(selector, value)
    tab.focus(submit)
    with tab.expect_navigation(wait_until="load") as navigation:
        tab.keyboard.press("Enter")
    response = navigation.value
    return response.status if response else 0


def _field_problems(tab: Tab, expected: tuple[str, ...]) -> list[str]:
    problems = []
    fields = {field.id: field for field in browser.invalid_fields(tab)}
    if set(fields) != set(expected):
        problems.append(f"fields marked invalid: {sorted(fields)}, expected {sorted(expected)}")
    shown = browser.error_texts(tab)
    for field in fields.values():
        if not field.described_by:
            problems.append(f"{field.id} is invalid but has no aria-describedby")
        if None in field.descriptions:
            problems.append(f"{field.id} is described by an id that is not on the page: {field.described_by}")
        if shown.get(field.id) not in field.descriptions:
            problems.append(f"{field.id} is not described by its error text {shown.get(field.id)!r}")
    return problems


def _summary_problems(tab: Tab, expected: tuple[str, ...]) -> list[str]:
    if not tab.evaluate("() => Boolean(document.activeElement.closest('.error-summary'))"):
        return [f"the error summary does not have the focus (the focus is on {browser.focused(tab)})"]
    problems = []
    links = browser.links_in(tab, ".error-summary")
    if not links:
        problems.append("the error summary has no links to the fields")
    missing = [field for field in expected if f"#{field}" not in links]
    if missing:
        problems.append(f"the error summary does not link to {missing}")
    for link in dict.fromkeys(links):
        tab.focus(f".error-summary a[href='{link}']")
        tab.keyboard.press("Enter")
        if not browser.focus_is_on_field(tab, link.removeprefix("#")):
            problems.append(f"the summary's link {link} did not move the focus to its field")
        tab.focus(".error-summary")
    return problems


def test_forms__every_form_in_its_error_state__marks_describes_and_summarises_the_errors(
    site: Site, subtests: Any
) -> None:
    for state in ERROR_STATES:
        for language in state.languages:
            tab = site.new_tab()
            with subtests.test(state.name, language=language):
                assert site.open(tab, state.route, language) == 200
                assert send(tab, state.fill, state.submit) == state.status
                assert browser.page_language(tab) == language
                problems = _field_problems(tab, state.invalid) + _summary_problems(tab, state.invalid)
                assert not problems, "\n".join(problems)
            tab.context.close()


def test_forms__feedback_sent_codes_made_and_search_without_match__are_told_where_a_screen_reader_hears_it(
    site: Site, subtests: Any
) -> None:
    tab = site.new_tab()
    with subtests.test("the thanks for feedback are in a live region"):
        assert site.open(tab, "web:accessibility", "sv") == 200
        assert send(tab, (("#id_message", "Kartan ei toimi."),), "#feedback form button[type=submit]") == 200
        with translation.override("sv"):
            thanks = gettext(
                "Thank you for your feedback. It has been passed on to the maintainers of the service."
            )
        assert thanks in browser.announced_texts(tab)
        assert browser.invalid_fields(tab) == []

    with subtests.test("new recovery codes are in a live region, with the warning to save them"):
        assert site.open(tab, "accounts:recovery_codes", "fi") == 200
        assert send(tab, (), "main form button[type=submit]") == 200
        with translation.override("fi"):
            warning = gettext(
                "Save these codes now, for example print them or write them down, and keep them safe. "
                "They are shown only this once."
            )
        assert warning in browser.announced_texts(tab)

    for language in ("fi", "en"):
        with subtests.test("a search without a match says so in the page title", language=language):
            assert site.open(tab, "web:home", language) == 200
            assert send(tab, (("#id_q", "Atlantis"),), "form[role=search] button") == 200
            with translation.override(language):
                expected = gettext("No municipality matches “%(query)s”") % {"query": "Atlantis"}
            assert tab.title().startswith(expected)
