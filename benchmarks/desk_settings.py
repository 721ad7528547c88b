"""Settings of the server that ``desk.py`` starts: the project's settings, with one knob of the
benchmark's own (an environment variable that only this module reads):

* ``BENCHMARK_FINDER_ANSWER_SECONDS``: the finder's answer cache (``0``: off, every request analyses
  the query, queries the database and scores).

The pool of PostgreSQL connections is the project's own setting ``DB_POOL``."""

import os

from config.settings import *  # noqa: F403

if (_seconds := os.environ.get("BENCHMARK_FINDER_ANSWER_SECONDS")) is not None:
    FINDER_ANSWER_SECONDS = int(_seconds)
