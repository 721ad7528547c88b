"""The admin's JavaScript speaks the staff member's language, accessible names included."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from asiointi.accounts.testing import login_staff
from asiointi.factories import UserFactory

pytestmark = pytest.mark.django_db


def _catalogue(client: Client, language: str) -> dict[str, str]:
    body = client.get(f"/{language}/admin/jsi18n/").content.decode()
    found = re.search(r"const newcatalog = (\{.*?\});", body, re.DOTALL)
    assert found, body[:200]
    return json.loads(found.group(1))


@pytest.mark.parametrize(
    ("language", "today", "previous"),
    [
        ("fi", "Tänään (%(date)s)", "Edellinen (%(month)s %(year)s)"),
        ("sv", "I dag (%(date)s)", "Föregående (%(month)s %(year)s)"),
    ],
)
def test_admin_javascript_catalogue__date_shortcut_names__in_the_staff_language(
    client: Client, language: str, today: str, previous: str
) -> None:
    login_staff(client, UserFactory(is_staff=True, is_superuser=True))

    catalogue = _catalogue(client, language)

    # The visible text of the shortcut ("Tänään") and its accessible name agree in one language.
    assert catalogue["Today (%(date)s)"] == today
    assert catalogue["Previous (%(month)s %(year)s)"] == previous
    assert catalogue["Today"] in today
    # Django's own translations are still there.
    assert catalogue["Cancel"] != "Cancel"
