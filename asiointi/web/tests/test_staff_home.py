"""The staff home: where every member of staff lands after signing in (password, then the second
factor), with the staff navigation of their own roles and not another role's."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from asiointi.accounts.models import Role, User
from asiointi.accounts.tests.helpers import authenticator_code, sign_in_with_password
from asiointi.factories import TEST_PASSWORD, TOTPDeviceFactory, UserFactory
from asiointi.network.models import Agency, ServicePoint
from asiointi.web.navigation import STAFF_NAVIGATION

from .html import parse

pytestmark = pytest.mark.django_db

#: What each role's own navigation holds on its staff home, in Finnish: the pages it links to and
#: the work that is coming for it.
LINKS = {
    "planning:index": "Verkoston suunnittelu",
    "admin:index": "Ylläpito",
    "ledger:statements": "Kuukausitilitykset",
    "desk:index": "Palvelutiski",
    "callbacks:queue": "Soittopyynnöt",
    "meetings:today": "Tämän päivän tapaamiseni",
}
COMING: dict[str, str] = {}
OWN: dict[str, tuple[set[str], set[str]]] = {
    Role.ADVISOR: ({"admin:index", "desk:index", "callbacks:queue", "meetings:today"}, set()),
    Role.POINT_MANAGER: ({"admin:index", "ledger:statements", "callbacks:queue"}, set()),
    Role.EXPERT: ({"admin:index", "callbacks:queue", "meetings:today"}, set()),
    Role.AGENCY_COORDINATOR: ({"admin:index", "ledger:statements", "callbacks:queue"}, set()),
    Role.INTERPRETER: ({"meetings:today"}, set()),
    Role.NETWORK_PLANNER: ({"planning:index", "admin:index", "ledger:statements"}, set()),
    Role.ADMINISTRATOR: ({"planning:index", "admin:index", "ledger:statements", "callbacks:queue"}, set()),
}


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def _hrefs(html: str) -> set[str]:
    return {a.attrs.get("href", "") for a in parse(_main(html)).find_all("a")}


@pytest.fixture
def member(staff_user: Callable[..., User], point_a: ServicePoint, kela: Agency) -> Callable[[str], User]:
    """A member of staff with one role (at Karstula's point or at Kela) and an authenticator app."""

    def make(role: str) -> User:
        scope: dict[str, object] = {}
        if role in (Role.ADVISOR, Role.POINT_MANAGER):
            scope = {"point": point_a}
        if role in (Role.EXPERT, Role.AGENCY_COORDINATOR):
            scope = {"agency": kela}
        user = staff_user(role, **scope)
        TOTPDeviceFactory.create(user=user)
        return user

    return make


def _sign_in(client: Client, user: User, *, language: str = "fi", next_url: str = "") -> str:
    """Sign in through the pages as a person does; returns where the second factor sends them."""
    password = sign_in_with_password(client, user.email, TEST_PASSWORD, language=language, next_url=next_url)
    assert password.status_code == 302
    device = TOTPDevice.objects.get(user=user)
    step = client.post(password["Location"], {"code": authenticator_code(device)})
    assert step.status_code == 302
    return str(step["Location"])


@pytest.mark.parametrize("role", list(OWN))
def test_sign_in__each_staff_role__lands_on_the_staff_home_with_its_own_navigation_only(
    client: Client, member: Callable[[str], User], role: str
) -> None:
    user = member(role)

    landing = _sign_in(client, user)
    page = client.get(landing)

    assert landing == "/fi/staff/"
    assert page.status_code == 200
    html = page.content.decode()
    links, coming = OWN[role]
    hrefs = _hrefs(html)
    for url_name in LINKS:
        assert (reverse(url_name) in hrefs) is (url_name in links), url_name
    for other, label in COMING.items():
        assert (label in html) is (other in coming), label
    assert reverse("accounts:recovery_codes") in hrefs
    assert reverse("accounts:second_factor_setup") in hrefs
    assert "<h1>Henkilöstön etusivu</h1>" in html


@pytest.mark.parametrize(
    ("language", "heading", "administration"),
    [("fi", "Henkilöstön etusivu", "Ylläpito"), ("sv", "Personalens startsida", "Administration")],
)
def test_staff_home__in_each_language__speaks_it(
    member: Callable[[str], User], language: str, heading: str, administration: str
) -> None:
    client = Client()
    landing = _sign_in(client, member(Role.POINT_MANAGER), language=language)

    html = client.get(landing).content.decode()

    assert landing == f"/{language}/staff/"
    assert f"<h1>{heading}</h1>" in html
    assert administration in _main(html)


def test_staff_home__english__answers(client: Client, member: Callable[[str], User]) -> None:
    landing = _sign_in(client, member(Role.INTERPRETER), language="en")

    html = client.get(landing).content.decode()

    assert landing == "/en/staff/"
    assert "Staff home" in html
    assert "My meetings today" in html


def test_sign_in__with_a_safe_next__goes_there_not_to_the_staff_home(
    client: Client, member: Callable[[str], User]
) -> None:
    assert _sign_in(client, member(Role.NETWORK_PLANNER), next_url="/fi/planning/") == "/fi/planning/"


def test_sign_in__with_a_next_on_another_site__lands_on_the_staff_home(
    client: Client, member: Callable[[str], User]
) -> None:
    landing = _sign_in(client, member(Role.ADVISOR), next_url="https://example.com/fi/")

    assert landing == "/fi/staff/"


def test_staff_home__anonymous__is_sent_to_sign_in(client: Client) -> None:
    response = client.get("/fi/staff/")

    assert response.status_code == 302
    assert response["Location"].startswith("/fi/accounts/login/?next=")


def test_staff_home__superuser_without_memberships__sees_what_an_administrator_sees(client: Client) -> None:
    from asiointi.accounts.testing import login_staff

    login_staff(client, UserFactory.create(is_superuser=True))

    hrefs = _hrefs(client.get("/fi/staff/").content.decode())

    assert {reverse("planning:index"), reverse("admin:index")} <= hrefs


def test_staff_navigation__every_line__names_a_route_and_roles_and_speaks_finnish() -> None:
    for link in STAFF_NAVIGATION:
        if link.url_name is not None:
            assert reverse(link.url_name)
        assert set(link.roles) <= set(Role.values)
        with translation.override("en"):
            english = (str(link.label), str(link.description))
        with translation.override("fi"):
            assert (str(link.label), str(link.description)) != english
