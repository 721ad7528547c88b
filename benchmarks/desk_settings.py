"""Settings of the server that ``desk.py`` starts: the project's settings, with two knobs of the
benchmark's own (environment variables that only this module reads):

* ``BENCHMARK_FINDER_ANSWER_SECONDS``: the finder's answer cache (``0``: off, every request analyses
  the query, queries the database and scores);
* ``BENCHMARK_DB_POOL``: a pool of that many PostgreSQL connections per process (psycopg's pool,
  Django's ``OPTIONS["pool"]``; needs the ``psycopg-pool`` package) instead of the project's default
  of a new connection for every request."""

import os

from config.settings import *  # noqa: F403
from config.settings import DATABASES

if (_seconds := os.environ.get("BENCHMARK_FINDER_ANSWER_SECONDS")) is not None:
    FINDER_ANSWER_SECONDS = int(_seconds)

if _pool := int(os.environ.get("BENCHMARK_DB_POOL", "0")):
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 2, "max_size": _pool, "timeout": 30}
