"""The test databases of a parallel run on PostgreSQL: migrated once, copied for each worker.

Without this, each pytest-xdist worker makes its test database (``test_<name>_gw0``, ``_gw1``, ...)
by running every migration itself. Here the controller process migrates one database,
``test_<name>_template``, before the workers start, and each worker's database is made as a copy of it
(``CREATE DATABASE ... TEMPLATE``, through Django's ``TEST["TEMPLATE"]`` setting): the copy is made by
PostgreSQL in a fraction of a second, and the worker's own ``migrate`` then finds nothing to apply.

- The template is made anew at the start of every run that makes its databases anew (the default and
  ``--create-db``), so a new or changed migration is always in it, and dropped at the end of the run.
  With ``--reuse-db`` it is kept between runs and migrated forward like the workers' databases.
- On SQLite, without pytest-xdist (``-n 0``) and with ``--no-migrations`` nothing changes: the workers,
  or the single process, make their databases as pytest-django always does.
"""

from __future__ import annotations

from typing import Any

import pytest

#: The key of the workers' input (pytest-xdist) naming the migrated database to copy.
TEMPLATE_KEY = "asiointi_test_db_template"

#: What the controller made: the template's name (None when no template is used).
_made: dict[str, str | None] = {}


def _keepdb(config: pytest.Config) -> bool:
    return bool(config.getvalue("reuse_db")) and not config.getvalue("create_db")


def _unblocked(config: pytest.Config) -> Any:
    """pytest-django lets nothing use the database outside a test's fixtures: the controller may."""
    from pytest_django.plugin import blocking_manager_key

    return config.stash[blocking_manager_key].unblock()


def _make_template(config: pytest.Config) -> str | None:
    """Migrate the template database once, in the controller; its name, or None when not used."""
    from django.db import connections

    connection = connections["default"]
    if connection.vendor != "postgresql" or config.getvalue("nomigrations"):
        return None
    test_settings = connection.settings_dict["TEST"]
    template = f"{connection.creation._get_test_db_name()}_template"
    original_name = connection.settings_dict["NAME"]
    had_test_name, test_name = "NAME" in test_settings, test_settings.get("NAME")
    test_settings["NAME"] = template
    with _unblocked(config):
        try:
            connection.creation.create_test_db(
                verbosity=config.option.verbose, autoclobber=True, keepdb=_keepdb(config)
            )
        finally:
            # Back to the settings as they were; the copies need nobody connected to the template.
            connection.creation.destroy_test_db(original_name, verbosity=0, keepdb=True)
            if had_test_name:
                test_settings["NAME"] = test_name
            else:
                del test_settings["NAME"]
    return template


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist, in the controller, before each worker starts: the first one makes the template."""
    if "template" not in _made:
        _made["template"] = _make_template(node.config)
    if _made["template"]:
        node.workerinput[TEMPLATE_KEY] = _made["template"]


def pytest_unconfigure(config: pytest.Config) -> None:
    """In the controller, at the end of the run: the template goes with the workers' databases."""
    template = _made.get("template")
    if template and not _keepdb(config):
        from django.db import connections

        connection = connections["default"]
        connection.close()
        with _unblocked(config):
            connection.creation._destroy_test_db(template, verbosity=0)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None, request: Any) -> None:
    """pytest-django's fixture (the worker's suffix), and the template to copy when there is one."""
    template = getattr(request.config, "workerinput", {}).get(TEMPLATE_KEY)
    if template:
        from django.db import connections

        connections["default"].settings_dict["TEST"]["TEMPLATE"] = template
