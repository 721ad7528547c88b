"""The product's own error pages (403, the CSRF refusal, 429, 500) in the request's language and in
the layout of every page; the security headers on the language redirect and on static files; the
language cookie's SameSite."""

from __future__ import annotations

import io
import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client

from asiointi.web import views
from asiointi.web.errors import ForbiddenWithoutTraceback, too_many_requests

from .html import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def front_page_answers(monkeypatch):
    """Make the front page's view answer with ``view(request)`` instead (through the site's own
    URLs and error handlers)."""

    def answer(view):
        monkeypatch.setattr(views, "_home", view)

    return answer


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a deliberate error")


def _busy(request: HttpRequest) -> HttpResponse:
    return too_many_requests(request, retry_after=30)


HEADERS = ["Content-Security-Policy", "X-Frame-Options", "Permissions-Policy", "X-Content-Type-Options"]


def _assert_security_headers(response: HttpResponse) -> None:
    for header in HEADERS:
        assert header in response, header
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


def _page(response: HttpResponse, language: str) -> tuple[str, str]:
    page = parse(response.content)
    assert page.find_all("html")[0].attrs["lang"] == language
    assert page.find_all("a", href=f"/{language}/")  # the layout of every page, in its language
    [title] = page.text_of("h1")
    return title, response.content.decode()


def test_language_redirect__carries_the_security_headers_of_pages(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/fi/"
    _assert_security_headers(response)


def test_static_file__carries_the_security_headers_of_pages(settings):
    settings.WHITENOISE_USE_FINDERS = True
    response = Client().get("/static/web/site.css")

    assert response.status_code == 200
    _assert_security_headers(response)


def test_language_cookie__is_same_site_lax(client):
    response = client.post("/i18n/setlang/", {"language": "sv", "next": "/sv/"})

    cookie = response.cookies["asiointi_language"]
    assert cookie.value == "sv"
    assert cookie["samesite"] == "Lax"


def test_no_server_banner__in_the_application_response(client):
    assert "Server" not in client.get("/fi/")


@pytest.mark.parametrize(
    ("language", "title"), [("fi", "Pääsy estetty"), ("sv", "Åtkomst nekad"), ("en", "Access denied")]
)
def test_permission_denied__is_the_products_own_page_in_the_users_language(
    client, front_page_answers, language, title
):
    front_page_answers(_forbidden)

    response = client.get(f"/{language}/")

    assert response.status_code == 403
    assert _page(response, language)[0] == title
    _assert_security_headers(response)


def test_permission_denied__writes_one_log_line_without_a_traceback(client, front_page_answers):
    front_page_answers(_forbidden)
    [console] = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler)
        and any(isinstance(f, ForbiddenWithoutTraceback) for f in h.filters)
    ]
    logged = io.StringIO()
    earlier = console.setStream(logged)
    try:
        client.get("/fi/")
    finally:
        console.setStream(earlier)

    assert logged.getvalue().count("Forbidden (Permission denied): /fi/") == 1
    assert "Traceback" not in logged.getvalue()
    assert "PermissionDenied" not in logged.getvalue()


@pytest.mark.parametrize(
    ("language", "title"),
    [("fi", "Jokin meni vikaan"), ("sv", "Något gick fel"), ("en", "Something went wrong")],
)
def test_server_error__is_the_products_own_page_in_the_users_language(front_page_answers, language, title):
    front_page_answers(_broken)

    response = Client(raise_request_exception=False).get(f"/{language}/")

    assert response.status_code == 500
    assert _page(response, language)[0] == title
    _assert_security_headers(response)


@pytest.mark.parametrize(
    ("language", "title", "wait"),
    [
        ("fi", "Liian monta pyyntöä", "30 sekunnin kuluttua"),
        ("sv", "För många förfrågningar", "om 30 sekunder"),
        ("en", "Too many requests", "in 30 seconds"),
    ],
)
def test_too_many_requests__is_the_products_own_page_in_the_users_language(
    client, front_page_answers, language, title, wait
):
    front_page_answers(_busy)

    response = client.get(f"/{language}/")

    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    heading, text = _page(response, language)
    assert heading == title
    assert wait in text


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("fi", "Lomaketta ei voitu lähettää"),
        ("sv", "Formuläret kunde inte skickas"),
        ("en", "The form could not be sent"),
    ],
)
def test_csrf_failure__is_the_products_own_page_in_the_users_language(language, title):
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"/{language}/accessibility/", {"message": "Kontrasti on heikko.", "page": "/fi/"})

    assert response.status_code == 403
    assert _page(response, language)[0] == title
