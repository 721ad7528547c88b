# Asiointi: `make demo` starts the product with demo data; `make test` runs the tests.
# Each target creates .venv when missing and installs the project into it.

SHELL := /bin/bash
HOST ?= 127.0.0.1
PORT ?= 8000
VENV ?= .venv
PY := $(VENV)/bin/python
# The first Python 3.12+ on this machine (Django 6 needs it); PYTHON=... chooses another.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 python; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then \
	echo $$p; break; fi; done)
INSTALLED := $(VENV)/.installed
# Every dependency pinned with its hashes; `make lock` writes it from pyproject.toml.
LOCK := requirements.lock
UV_REQUIREMENT := uv>=0.13.8,<0.14
# Web server processes: one per core, at most 4, when REDIS_URL gives them a shared cache (rate limits
# and cached pages hold across processes); one without it. WEB_WORKERS=... chooses.
WEB_WORKERS ?= $(if $(REDIS_URL),$(shell n=$$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1); echo $$(( n > 4 ? 4 : n ))),1)
# Reverse proxies whose X-Forwarded-For/-Proto are believed (docs/security.md); none by default.
TRUSTED_PROXIES ?=
UVICORN = TRUSTED_PROXIES='$(TRUSTED_PROXIES)' $(VENV)/bin/uvicorn config.asgi:application --host $(HOST) --port $(PORT) \
	--workers $(WEB_WORKERS) --no-server-header \
	$(if $(strip $(TRUSTED_PROXIES)),--proxy-headers --forwarded-allow-ips '$(strip $(TRUSTED_PROXIES))',--no-proxy-headers)
PYTEST_ARGS ?=
# Extra arguments of the browser tests (`make a11y A11Y_ARGS="-k booking"`).
A11Y_ARGS ?=
TEST_WORKERS ?= auto
# `make lock LOCK_ARGS=--upgrade` moves every pin to the newest release that pyproject.toml allows.
LOCK_ARGS ?=

.PHONY: demo test lint ci setup messages translations clean serve a11y lock bench-venv video

$(PY):
	@if [ -z "$(PYTHON)" ]; then echo "Asiointi needs Python 3.12 or newer (Django 6). Install one, or give PYTHON=/path/to/python3.12." >&2; exit 1; fi
	@echo "Creating $(VENV) with $$($(PYTHON) --version)"
	@$(PYTHON) -m venv $(VENV)

# The locked dependencies, every file checked against its hash, then the project itself without
# dependencies (so nothing outside the lock is installed).
$(INSTALLED): pyproject.toml $(LOCK) | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

# After a change of dependencies in pyproject.toml: resolve them again, pin every package with its
# hashes for Python 3.12+ (any platform) and write the lock file, keeping the other pins as they
# were. No index address is written into it, and no local pip or uv configuration (find-links,
# extra indexes) is read.
lock: | $(PY)
	@if grep -qs '^<<<<<<<' $(LOCK); then rm $(LOCK); fi  # after a merge conflict: resolve anew
	@[ -x $(VENV)/bin/uv ] || $(PY) -m pip install --quiet --disable-pip-version-check "$(UV_REQUIREMENT)"
	$(VENV)/bin/uv pip compile pyproject.toml --no-config --extra dev --universal --python-version 3.12 \
		--generate-hashes --no-emit-index-url --no-emit-find-links --custom-compile-command "make lock" \
		--quiet $(LOCK_ARGS) -o $(LOCK)

setup: $(INSTALLED) messages

# Compiled message catalogues are built from the .po files (no GNU gettext needed).
messages: $(INSTALLED)
	@$(PY) scripts/compile_messages.py

demo: setup
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py collectstatic --noinput -v0
	@$(PY) manage.py load_demo
	@echo
	@echo "Asiointi is running at http://$(HOST):$(PORT)/fi/  (svenska: /sv/, English: /en/; staff sign-in: /fi/accounts/login/, administration: /fi/admin/)"
	@echo "SECOND_FACTOR_EXEMPT_DEMO_ACCOUNTS=1: the demo accounts sign in without a second factor (every other account needs one). Never set it in production."
	@echo "Beside the web server: a worker for short tasks (queue default), one for the planner's runs (queue planning) and the periodic scheduler. Stop all with Ctrl+C."
	@$(PY) manage.py db_worker --queue-name default --no-reload --no-startup-delay -v0 & short=$$!; \
	$(PY) manage.py db_worker --queue-name planning --no-reload --no-startup-delay -v0 & long=$$!; \
	$(PY) manage.py scheduler & scheduler=$$!; \
	trap 'kill $$short $$long $$scheduler 2>/dev/null' EXIT INT TERM; \
	SECOND_FACTOR_EXEMPT_DEMO_ACCOUNTS=1 $(UVICORN) --log-level warning

serve: setup
	@$(PY) manage.py db_worker --queue-name default --no-reload & short=$$!; \
	$(PY) manage.py db_worker --queue-name planning --no-reload & long=$$!; \
	$(PY) manage.py scheduler & scheduler=$$!; \
	trap 'kill $$short $$long $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(UVICORN)

# In parallel (pytest-xdist), one worker per core; each test module stays on one worker, so a module's
# shared fixture (the demo data, the planner's instance) is built once. TEST_WORKERS=0 runs in one process.
test: setup
	@$(PY) -m pytest -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# The accessibility sweep: every route x fi/sv/en x role in Chromium with axe-core (needs Debian's
# chromium); writes var/a11y/report.html and report.json.
a11y: setup
	@$(PY) -m a11y $(A11Y_ARGS)

# The video tests (real WebRTC calls between Chromium browsers with fake cameras) inside a private
# network namespace with only the loopback interface: nothing leaves the machine. Needs root (or
# unprivileged user namespaces) and Debian's chromium.
video: setup
	unshare -n sh -c 'ip link set lo up && $(PY) -m pytest -p no:cacheprovider -m video a11y/tests/test_meeting_video.py'

# Fastest checks first. The translation check extracts the messages with GNU gettext's xgettext:
# installed here with apt-get when missing and run as root, else named with how to install it.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy asiointi config
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	@command -v xgettext >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing GNU gettext (xgettext) for the translation check"; \
			apt-get install -y -q gettext >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q gettext >/dev/null; }; \
		fi; \
		command -v xgettext >/dev/null 2>&1 || { echo "make lint needs GNU gettext's xgettext for the translation check: install the package gettext (Debian/Ubuntu: sudo apt-get install gettext; macOS: brew install gettext)." >&2; exit 1; }; \
	}
	$(PY) scripts/check_translations.py
	$(VENV)/bin/bandit -q -c pyproject.toml -r asiointi config scripts a11y
	$(PY) scripts/audit_dependencies.py

ci:
	bash .ci/run

# django-appointment, the peer of benchmarks/scheduling.py, in a throwaway venv of its own (it brings
# its own Django project and dependencies; `make test` never installs it). The benchmark makes it
# itself when it is missing.
bench-venv:
	$(PYTHON) -m venv var/bench-venv
	var/bench-venv/bin/pip install --quiet --disable-pip-version-check -r benchmarks/requirements-django-appointment.txt

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
