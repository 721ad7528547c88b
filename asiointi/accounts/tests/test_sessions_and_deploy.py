import datetime as dt
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.contrib.sessions.models import Session
from django.utils import timezone

from asiointi.accounts.testing import login_staff
from asiointi.factories import UserFactory

ROOT = Path(settings.BASE_DIR)


def test_password__new_hashes__use_argon2(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]

    assert identify_hasher(make_password("a long passphrase 2026")).algorithm == "argon2"


def test_staff_session__idle_longer_than_the_limit__must_sign_in_again(client, db):
    user = UserFactory.create(email="esihenkilo@example.fi", password="x", full_name="Esi", superuser=True)
    login_staff(client, user)
    assert client.get("/fi/admin/").status_code == 200

    # Thirty-one minutes without a request: the stored session has expired.
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(minutes=1))
    response = client.get("/fi/admin/")

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_staff_session__each_request__extends_the_idle_limit(client, db):
    user = UserFactory.create(email="neuvoja@example.fi", password="x", full_name="Neuvoja", superuser=True)
    login_staff(client, user)
    Session.objects.update(expire_date=timezone.now() + dt.timedelta(minutes=1))

    client.get("/fi/admin/")

    expires = Session.objects.get().expire_date
    assert expires > timezone.now() + dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES - 1)
    assert expires <= timezone.now() + dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES)


def test_signing_out__ends_the_session_on_the_server(client, db):
    user = UserFactory.create(email="ulos@example.fi", password="x", full_name="Ulos", superuser=True)
    login_staff(client, user)

    client.post("/fi/accounts/logout/")

    assert not Session.objects.exists()
    assert client.get("/fi/admin/").status_code == 302


def test_check_deploy__with_production_settings__passes(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "asiointi.example.fi",
        "EMAIL_HOST": "smtp.example.fi",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "ASIOINTI_VAR_DIR": str(tmp_path),
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
