"""The administration speaks Finnish and Swedish: over its pages as the administrator (the index,
every model's list, add, change, history and delete pages, the password change), no English word of
the user interface shows in fi or sv. Like the catalogue check, this guards what the packages'
own catalogues lack (asiointi/web/admin_messages.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from asiointi.accounts.models import Role, User
from asiointi.accounts.testing import login_staff

#: Words of a user interface that no Finnish or Swedish page of the administration should show
#: (the English of Django's admin, django-axes and django-otp). Names of data (a service's English
#: name in its own field) are form values, not read here.
ENGLISH = re.compile(
    r"\b(Filter|Search|Run|Select an option|Pagination|Are you sure|Deleting|Access|Attempt|Username|"
    r"Address|Agent|Path|Logout|Locked|Expires|Failed|Can (add|change|delete|view)|entries|results?|"
    r"Show all|Change|Delete|Save|History|Add|View|Home|Password|Action|Data|Clean up|Not set|"
    r"Remaining|Yes|No|Unknown|Today|Now|device|token|Task)\b"
)
#: Text that the browser shows or reads aloud: element text and these attributes.
SHOWN_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")
#: Elements whose text is not the interface: scripts, styles, and the values of form fields.
HIDDEN = {"script", "style", "textarea", "template"}


class _Shown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self._hidden += 1
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value:
                self.texts.append(value)
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.texts.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


def _english(html: str) -> list[str]:
    parser = _Shown()
    parser.feed(html)
    return [text for text in parser.texts if ENGLISH.search(text)]


def _admin_pages(language: str) -> list[str]:
    with translation.override(language):
        urls = [reverse("admin:index"), reverse("admin:password_change")]
        for model in admin.site._registry:
            opts = model._meta
            urls += [
                reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}") for view in ("changelist", "add")
            ]
            row = model._default_manager.order_by("pk").first()
            if row is not None:
                urls += [
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[row.pk])
                    for view in ("change", "history", "delete")
                ]
    return urls


@pytest.fixture
def administrator_client(db: None) -> Client:
    call_command("load_demo", months=1, stdout=StringIO())
    client = Client()
    # A sign-in writes rows into django-axes' logs, so their pages have rows to show.
    administrator = User.objects.filter(memberships__role=Role.ADMINISTRATOR).first()
    assert administrator is not None
    login_staff(client, administrator)
    client.post(
        reverse("accounts:login"), {"username": "nobody@example.fi", "password": "wrong-password"}
    )  # a failure for the failure log
    return client


@pytest.mark.slow
def test_admin__every_page_as_the_administrator__shows_no_english_in_fi_or_sv(
    administrator_client: Client,
) -> None:
    found: dict[str, list[str]] = {}
    opened = 0
    for language in ("fi", "sv"):
        for url in _admin_pages(language):
            response = administrator_client.get(url)
            assert response.status_code in (200, 403), (url, response.status_code)
            if response.status_code != 200:
                continue
            opened += 1
            english = _english(response.content.decode())
            if english:
                found[url] = sorted(set(english))[:8]

    assert opened > 100
    assert not found, "\n".join(f"{url}: {texts}" for url, texts in found.items())
