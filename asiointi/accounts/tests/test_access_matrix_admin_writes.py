"""The access matrix in the administration: a write that the table refuses changes nothing. A module of
its own (the demo data and the helpers: test_access_matrix.py) so that a parallel run gives it a worker
of its own beside the walk over every route."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib import admin
from django.db import models
from django.forms.models import model_to_dict
from django.urls import reverse

from a11y.routes import sample_object
from asiointi.accounts.access import MATRIX_ROLES, Answer, admin_model_views
from asiointi.accounts.models import Role
from asiointi.accounts.tests.test_access_matrix import _client, load_matrix_demo
from asiointi.core.admin_scope import CHANGE, ScopedAdminMixin

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def demo(db: Any, settings: Any) -> None:
    load_matrix_demo(settings)


class _FormFields(HTMLParser):
    """The fields of a page's first POST form, as a browser would submit them unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._in_form = False
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if self._done:
            return
        if (
            tag == "form"
            and a.get("method", "").lower() == "post"
            and "id" in a
            and a["id"].endswith("_form")
        ):
            self._in_form = True
        if not self._in_form or ("name" not in a and tag != "option"):
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "file", "image"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select is not None and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def _snapshot(model: type[models.Model], obj: models.Model) -> tuple[int, dict[str, Any] | None]:
    current = model._default_manager.filter(pk=obj.pk).first()
    return model._default_manager.count(), model_to_dict(current) if current else None


def _changed_payload(fields: list[tuple[str, str]], model: type[models.Model]) -> dict[str, list[str]]:
    """The administrator's change form, with the free text fields of the model itself changed
    (not codes, slugs, addresses or choices, which have rules of their own)."""
    text_fields = {
        f.name
        for f in model._meta.concrete_fields
        if type(f) in (models.CharField, models.TextField)
        and not f.choices
        and f.editable
        and f.name not in ("code", "postal_code", "phone", "email")
    }
    data: dict[str, list[str]] = {}
    for key, value in fields:
        if key in text_fields:
            value = (value + " muutettu")[:60] if value else value
        data.setdefault(key, []).append(value)
    data["_save"] = ["Tallenna"]
    return data


def test_access_matrix__refused_writes_in_the_administration__change_nothing(demo: None) -> None:
    """As every role that the table refuses, a crafted POST to the add, change and delete views
    of every model changes nothing. The same change POST as the administrator does change the
    rows of a service point and a booth, so the POST is a real change and not a broken form."""
    administrator = _client(Role.ADMINISTRATOR.value)
    views = {(v.model_label, v.view): v.access for v in admin_model_views()}
    leaks: list[tuple[str, str, str]] = []
    changed_by_administrator: set[str] = set()
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        obj = sample_object(model)
        change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        parser = _FormFields()
        parser.feed(administrator.get(change_url).content.decode())
        payload = _changed_payload(parser.fields, model)
        for action, url, data in (
            ("add", reverse(f"admin:{opts.app_label}_{opts.model_name}_add"), payload),
            ("change", change_url, payload),
            (
                "delete",
                reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk]),
                {"post": "yes"},
            ),
        ):
            refused = [
                role for role in MATRIX_ROLES if views[(opts.label, action)].answer(role) != Answer.ALLOWED
            ]
            if action == "change":
                # The change page is open to readers; saving needs the change permission.
                refused = [role for role in MATRIX_ROLES if not _may_change(model_admin, role)]
            for role in refused:
                client = _client(role)  # signing in may itself log a row (django-axes)
                before = _snapshot(model, obj)
                client.post(url, data)
                if _snapshot(model, obj) != before:
                    leaks.append((opts.label, action, role))
        if _may_change(model_admin, Role.ADMINISTRATOR.value):
            before = _snapshot(model, obj)
            administrator.post(change_url, payload)
            if _snapshot(model, obj) != before:
                changed_by_administrator.add(opts.label)
    assert not leaks, leaks
    assert {"network.ServicePoint", "network.Booth"} <= changed_by_administrator


def _may_change(model_admin: Any, role: str) -> bool:
    if not isinstance(model_admin, ScopedAdminMixin):
        return role == Role.ADMINISTRATOR.value
    if role == Role.ADMINISTRATOR.value:
        return CHANGE in model_admin.administrator_actions
    return any(g.role == role and CHANGE in g.actions for g in model_admin.grants)
