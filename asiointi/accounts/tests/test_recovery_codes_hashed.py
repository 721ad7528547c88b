"""Recovery codes are stored only as keyed hashes, still work once each, and the migration that
hashes codes stored in clear text before is safe to run again."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from asiointi.accounts.models import User
from asiointi.accounts.recovery import recovery_code_hash
from asiointi.factories import TEST_PASSWORD, TOTPDeviceFactory, UserFactory

from .helpers import sign_in_with_password

pytestmark = pytest.mark.django_db

migration = importlib.import_module("asiointi.accounts.migrations.0004_recovery_codes_hashed")


@pytest.fixture
def manager() -> User:
    user = UserFactory.create(email="esihenkilo@example.fi", is_superuser=True)
    TOTPDeviceFactory.create(user=user)
    return user


def _clear_text_codes(user: User, codes: list[str]) -> None:
    """Recovery codes as the earlier version stored them: the codes themselves."""
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)


def _hash_clear_codes() -> None:
    """Run the migration's function as ``migrate`` does (it uses only the editor's connection)."""
    migration.hash_clear_recovery_codes(apps, SimpleNamespace(connection=connection))


def test_recovery_code_hash__of_the_migration__is_the_one_in_use(settings) -> None:
    for code in ("abcd2345", "ABCD-2345", " abcd 2345 "):
        assert (
            migration.recovery_code_hash(code) == recovery_code_hash(code) == recovery_code_hash("abcd2345")
        )
    assert len(recovery_code_hash("abcd2345")) <= StaticToken._meta.get_field("token").max_length
    before = recovery_code_hash("abcd2345")
    settings.SECRET_KEY = "another secret key of the installation " * 2
    # Keyed: without the secret key, a stored hash does not tell the code.
    assert recovery_code_hash("abcd2345") != before


def test_migration__hashes_codes_kept_in_clear_text__they_still_sign_in_once__and_running_again_changes_nothing(
    client: Client, manager: User
) -> None:
    _clear_text_codes(manager, ["abcd2345", "efgh6723"])

    _hash_clear_codes()
    stored = sorted(StaticToken.objects.values_list("token", flat=True))
    _hash_clear_codes()

    assert stored == sorted([recovery_code_hash("abcd2345"), recovery_code_hash("efgh6723")])
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == stored
    sign_in_with_password(client, manager.email, TEST_PASSWORD)
    assert client.post("/fi/accounts/second-factor/", {"code": "ABCD-2345"}).status_code == 302
    again = Client()
    sign_in_with_password(again, manager.email, TEST_PASSWORD)
    refused = again.post("/fi/accounts/second-factor/", {"code": "abcd-2345"})
    assert refused.status_code == 200
    assert StaticToken.objects.count() == 1


def test_recovery_code__its_hash_typed_as_the_code__is_refused(client: Client, manager: User) -> None:
    """Someone who has read the database cannot sign in with what they read."""
    _clear_text_codes(manager, ["abcd2345"])
    _hash_clear_codes()
    sign_in_with_password(client, manager.email, TEST_PASSWORD)

    refused = client.post("/fi/accounts/second-factor/", {"code": recovery_code_hash("abcd2345")})

    assert refused.status_code == 200
    assert StaticToken.objects.count() == 1


def test_recovery_code__made_before_the_secret_key_was_rotated__still_works_once(
    client: Client, manager: User, settings
) -> None:
    old_key = settings.SECRET_KEY
    _clear_text_codes(manager, ["abcd2345"])
    _hash_clear_codes()
    settings.SECRET_KEY = "a new secret key for the installation, long enough " * 2
    settings.SECRET_KEY_FALLBACKS = [old_key]
    sign_in_with_password(client, manager.email, TEST_PASSWORD)

    assert client.post("/fi/accounts/second-factor/", {"code": "abcd2345"}).status_code == 302
    assert not StaticToken.objects.exists()
