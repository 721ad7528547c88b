"""The database settings of config/settings.py: ``DB_POOL`` turns on psycopg's connection pool for
PostgreSQL, and leaves the embedded SQLite default as it was."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import database_settings

POSTGRES = "postgres://asiointi@db.example.invalid:5432/asiointi"


def test_database_settings__db_pool_on_postgresql__the_pool_options_of_django() -> None:
    database = database_settings(POSTGRES, pool=8, pool_timeout=5)

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 8, "timeout": 5}
    assert database["CONN_MAX_AGE"] == 0


def test_database_settings__a_pool_of_one__never_more_open_than_asked() -> None:
    assert database_settings(POSTGRES, pool=1)["OPTIONS"]["pool"] == {
        "min_size": 1,
        "max_size": 1,
        "timeout": 30,
    }


def test_database_settings__without_db_pool__a_connection_per_request_as_before() -> None:
    assert "pool" not in database_settings(POSTGRES).get("OPTIONS", {})
    assert "pool" not in database_settings("sqlite:///asiointi.sqlite3").get("OPTIONS", {})


@pytest.mark.parametrize(
    ("url", "conn_max_age", "timeout", "names"),
    [
        ("sqlite:///asiointi.sqlite3", 0, 30, "DB_POOL"),
        (POSTGRES, 60, 30, "DB_CONN_MAX_AGE"),
        (POSTGRES, 0, 0, "DB_POOL_TIMEOUT"),
    ],
)
def test_database_settings__pool_with_sqlite_persistent_connections_or_no_timeout__refused_with_the_setting_named(
    url: str, conn_max_age: int, timeout: float, names: str
) -> None:
    with pytest.raises(ImproperlyConfigured, match=names):
        database_settings(url, conn_max_age=conn_max_age, pool=4, pool_timeout=timeout)
