"""Fixtures shared by the tests of every app. The factories live in :mod:`asiointi.factories`."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.forms import CheckboxInput
from django.test import Client
from django.utils import translation

from asiointi.accounts.models import Membership, User
from asiointi.accounts.testing import login_staff
from asiointi.factories import (
    AgencyFactory,
    MembershipFactory,
    MunicipalityFactory,
    UserFactory,
    point_with_hours,
)
from asiointi.network.models import Agency, ServicePoint


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: Any) -> None:
    """Tests run without collectstatic, so {% static %} must not need the manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _own_cache_keys(settings: Any) -> None:
    """Each test has cache keys of its own, on the in-memory cache and on Redis alike (CI's PostgreSQL
    run): rate limits and sign-in failures never carry over from another test or an earlier run."""
    test_prefix = f"test-{secrets.token_hex(8)}"
    settings.CACHES = {
        alias: {**conf, "KEY_PREFIX": f"{conf.get('KEY_PREFIX', '')}-{test_prefix}"}
        for alias, conf in settings.CACHES.items()
    }


@pytest.fixture
def channel_layer(settings: Any) -> Any:
    """The in-memory channel layer, new for the test (WebSocket tests run in one process)."""
    from channels.layers import channel_layers, get_channel_layer

    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    yield get_channel_layer()
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _default_language() -> None:
    """Each test starts in Finnish, the default language, whatever language an earlier test's client
    left active in this process (``reverse()`` of a page then gives its /fi/ address)."""
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    """Tests sign in with force_login; a slow hasher would only slow every user factory down."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _weekday_point(slug: str, name_fi: str, name_sv: str, code: str) -> ServicePoint:
    return point_with_hours(
        slug=slug,
        name_fi=name_fi,
        name_sv=name_sv,
        municipality=MunicipalityFactory.create(code=code, name_fi=name_fi.split()[0]),
    )


@pytest.fixture
def point_a(db: None) -> ServicePoint:
    """Karstula's point, open on weekdays 9–15."""
    return _weekday_point("karstula", "Karstula yhteispalvelupiste", "Karstula samservicekontor", "256")


@pytest.fixture
def point_b(db: None) -> ServicePoint:
    """Kivijärvi's point, open on weekdays 9–15."""
    return _weekday_point("kivijarvi", "Kivijärvi yhteispalvelupiste", "Kivijärvi samservicekontor", "265")


@pytest.fixture
def kela(db: None) -> Agency:
    return AgencyFactory.create(
        code="kela",
        name_fi="Kansaneläkelaitos",
        name_sv="Folkpensionsanstalten",
        name_en="Social Insurance Institution",
        short_name_fi="Kela",
    )


@pytest.fixture
def vero(db: None) -> Agency:
    return AgencyFactory.create(
        code="vero",
        name_fi="Verohallinto",
        name_sv="Skatteförvaltningen",
        name_en="Finnish Tax Administration",
        short_name_fi="Vero",
    )


@pytest.fixture
def staff_user(db: None) -> Callable[..., User]:
    """Make a staff user with one membership: ``staff_user(Role.POINT_MANAGER, point=point_a)``."""

    def make(role: str, *, point: ServicePoint | None = None, agency: Agency | None = None) -> User:
        user: User = UserFactory.create()
        membership: Membership = MembershipFactory.create(user=user, role=role, point=point, agency=agency)
        assert membership.pk
        return user

    return make


@pytest.fixture
def staff_client(staff_user: Callable[..., User]) -> Callable[..., Client]:
    """A client signed in as a new staff user with one membership (same arguments as staff_user)."""

    def make(role: str, **scope: Any) -> Client:
        client = Client()
        login_staff(client, staff_user(role, **scope))
        return client

    return make


@pytest.fixture
def superuser_client(db: None) -> Client:
    client = Client()
    login_staff(client, UserFactory.create(email="yllapito@example.fi", is_superuser=True))
    return client


def _post_values(bound_field: Any) -> list[str]:
    """The values a browser would post for one field, as the page shows it."""
    widget = bound_field.field.widget
    value = bound_field.value()
    if isinstance(widget, CheckboxInput):
        return ["on"] if value else []
    formatted = widget.format_value(value)
    if formatted is None:
        return [""]
    if isinstance(formatted, list | tuple):
        return [str(v) for v in formatted]
    return [str(formatted)]


def admin_form_data_from(response: Any) -> dict[str, list[str]]:
    """The POST data of an admin add or change page as it was shown: the main form and every
    inline formset, with their management forms. Tests then change what a user would change."""
    data: dict[str, list[str]] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    for form in forms:
        for bound_field in form:
            if bound_field.field.disabled:
                continue
            values = _post_values(bound_field)
            if values:
                data[bound_field.html_name] = values
    return data


@pytest.fixture
def admin_form_data() -> Callable[[Any], dict[str, list[str]]]:
    """``admin_form_data(client.get(url))``: see :func:`admin_form_data_from`."""
    return admin_form_data_from


@pytest.fixture
def task_worker() -> Callable[..., None]:
    """Run the database task worker (``manage.py db_worker``) until its queues are empty: every queue,
    or the ones named (``task_worker(queue_name="default")``).

    The worker closes old database connections between tasks, as a long-running process must; in a
    test that would close the connection that holds the test's own transaction, so that is skipped."""
    from unittest import mock

    from django.core.management import call_command

    def run(queue_name: str = "*") -> None:
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command(
                "db_worker", batch=True, interval=0, startup_delay=False, reload=False, queue_name=queue_name
            )

    return run


class SmtpServer:
    """A real SMTP server (aiosmtpd) on a free port of 127.0.0.1 for one test.

    ``received`` holds the messages it accepted; ``refuse(reply, ...)`` makes it answer the next
    deliveries with those replies instead (e.g. ``"451 4.3.0 Try again later"``; None accepts one)."""

    def __init__(self) -> None:
        self.received: list[Any] = []
        self._replies: list[str | None] = []
        self.port = 0

    def refuse(self, *replies: str | None) -> None:
        self._replies.extend(replies)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        reply = self._replies.pop(0) if self._replies else None
        if reply is not None:
            return reply
        import email
        from email import policy

        self.received.append(email.message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings: Any) -> Any:
    """Start an SMTP server on a free port and send the product's mail to it (see SmtpServer)."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = SmtpServer()
    server.port = port
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    settings.MAIL_RETRY_SECONDS = 0
    try:
        yield server
    finally:
        controller.stop()
