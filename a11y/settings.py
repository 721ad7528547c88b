"""Settings of ``make a11y``: the project's own, with the test database in a file.

pytest-django's live server shares an in-memory SQLite database between its request threads through
one connection, and two browsers then now and then meet "database table is locked". A file database
in WAL mode gives each request thread its own connection, as the product runs in production.
"""

from config.settings import *  # noqa: F403
from config.settings import DATABASES, VAR_DIR

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (VAR_DIR / "a11y").mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "a11y" / "test.sqlite3")}
