"""The base layout: language, titles, landmarks, the language switcher, and HTML that a strict
Content-Security-Policy (script-src 'self', style-src 'self') will not break."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from asiointi.accounts.testing import login_staff
from asiointi.factories import UserFactory

from .html import parse

PUBLIC_PAGES = [
    ("web:home", {}),
    ("web:point_list", {}),
    ("web:point_detail", {"slug": "parainen"}),
    ("web:agency_list", {}),
    ("web:agency_detail", {"code": "kela"}),
    ("web:service_detail", {"pk": None}),
    ("accounts:login", {}),
]


def _url(name: str, kwargs: dict, service, language: str = "fi") -> str:
    if "pk" in kwargs:
        kwargs = {"pk": service.pk}
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_front_page__in_each_language__answers_in_that_language(client, point, language):
    response = client.get(f"/{language}/")

    assert response.status_code == 200
    page = parse(response.content)
    assert page.find_all("html")[0].attrs["lang"] == language


def test_point_page__in_swedish__shows_the_swedish_names(client, point, service):
    response = client.get("/sv/points/parainen/")

    html = response.content.decode()
    assert "Pargas samservicekontor" in html
    assert "Bostadsbidrag" in html
    assert "Folkpensionsanstalten" in html
    assert "Paraisten yhteispalvelupiste" not in html


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_every_page__has_one_h1_a_unique_title_and_landmarks(client, service, name, kwargs):
    response = client.get(_url(name, kwargs, service))

    assert response.status_code == 200
    page = parse(response.content)
    assert len(page.find_all("h1")) == 1
    h1 = page.text_of("h1")[0]
    title = page.text_of("title")[0]
    assert title == f"{h1} – Asiointi" or title.endswith(" – Asiointi")
    assert page.find_all("main", id="main", tabindex="-1")
    assert page.find_all("header") and page.find_all("footer")


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_every_page__skip_link_is_the_first_focusable_element(client, service, name, kwargs):
    page = parse(client.get(_url(name, kwargs, service)).content)

    focusable = [e for e in page.elements if e.tag in {"a", "button", "input", "select", "textarea"}]
    first = next(e for e in focusable if not (e.tag == "input" and e.attrs.get("type") == "hidden"))
    assert first.tag == "a" and first.attrs["href"] == "#main"


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_every_page__has_no_inline_style_or_script(client, service, name, kwargs):
    response = client.get(_url(name, kwargs, service))

    page = parse(response.content)
    for element in page.elements:
        assert "style" not in element.attrs, element
        assert not [a for a in element.attrs if a.startswith("on")], element
        assert element.tag != "style"
        if element.tag == "script":
            assert element.attrs.get("src"), "a <script> without src"
            assert not element.text.strip(), "a <script> with a body"
    assert not [s for s in page.find_all("script") if "htmx" in s.attrs.get("src", "")]  # only where used


def test_language_switcher__links_to_the_same_page_in_the_other_languages(client, point):
    response = client.get("/fi/points/parainen/?week=2025-03-10")

    page = parse(response.content)
    switcher = {a.attrs["hreflang"]: a for a in page.find_all("a") if "hreflang" in a.attrs}
    assert switcher["sv"].attrs["href"] == "/sv/points/parainen/?week=2025-03-10"
    assert switcher["en"].attrs["href"] == "/en/points/parainen/?week=2025-03-10"
    assert switcher["sv"].attrs["lang"] == "sv"
    assert switcher["fi"].attrs.get("aria-current") == "true"
    assert "aria-current" not in switcher["sv"].attrs
    alternates = {
        link.attrs["hreflang"]: link.attrs["href"] for link in page.find_all("link", rel="alternate")
    }
    assert alternates["sv"] == "http://testserver/sv/points/parainen/?week=2025-03-10"
    assert set(alternates) == {"fi", "sv", "en", "x-default"}


def test_footer__shows_the_data_attribution_and_the_staff_sign_in(client, db):
    page = parse(client.get("/en/").content)

    footer = page.text_of("footer")[0]
    assert "Statistics Finland" in footer
    assert page.find_all("a", href="/en/accounts/login/")


def test_footer__signed_in_staff__sees_name_and_a_sign_out_form(client, db):
    user = UserFactory.create(
        email="neuvoja@example.fi", full_name="Nina Neuvoja", password="a-long-password-1"
    )
    login_staff(client, user)

    page = parse(client.get("/fi/").content)

    assert "Nina Neuvoja" in page.text_of("footer")[0]
    forms = page.find_all("form", action="/fi/accounts/logout/")
    assert forms and forms[0].attrs["method"] == "post"


def test_login__wrong_password__error_summary_links_to_the_field(client, db):
    response = client.post(
        "/fi/accounts/login/", {"username": "nobody@example.fi", "password": "wrong-password"}
    )

    assert response.status_code == 200
    page = parse(response.content)
    summary = page.find_all("section", id="error-summary")
    assert summary and summary[0].attrs["tabindex"] == "-1"
    assert page.find_all("a", href="#id_username")


def test_login__missing_password__field_is_marked_invalid_and_described_by_its_error(client, db):
    response = client.post("/fi/accounts/login/", {"username": "nobody@example.fi", "password": ""})

    page = parse(response.content)
    password = page.find_all("input", name="password")[0]
    assert password.attrs["aria-invalid"] == "true"
    error_id = password.attrs["aria-describedby"]
    assert page.find_all("span", id=error_id), "the error the field points to is on the page"
    assert page.find_all("a", href="#id_password")


def test_login__right_password__goes_to_the_second_factor_and_then_the_staff_home(client, db):
    UserFactory.create(
        email="neuvoja@example.fi", full_name="Nina", password="a-long-password-1", is_staff=False
    )

    response = client.post(
        "/fi/accounts/login/", {"username": "neuvoja@example.fi", "password": "a-long-password-1"}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/fi/accounts/second-factor/setup/?next=%2Ffi%2Fstaff%2F"


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_every_page__ids_are_unique_and_every_reference_finds_its_target(client, service, name, kwargs):
    page = parse(client.get(_url(name, kwargs, service)).content)

    ids = [e.attrs["id"] for e in page.elements if "id" in e.attrs]
    assert len(ids) == len(set(ids))
    for element in page.elements:
        for attr in ("aria-labelledby", "aria-describedby", "for"):
            for target in element.attrs.get(attr, "").split():
                assert target in ids, f"{element.tag} {attr}={target}"
