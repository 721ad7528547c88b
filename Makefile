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
# Web server processes: one per core, at most 4, when REDIS_URL gives them a shared cache (rate limits
# and cached pages hold across processes); one without it. WEB_WORKERS=... chooses.
WEB_WORKERS ?= $(if $(REDIS_URL),$(shell n=$$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1); echo $$(( n > 4 ? 4 : n ))),1)
# Reverse proxies whose X-Forwarded-For/-Proto are believed (docs/security.md); none by default.
TRUSTED_PROXIES ?=
UVICORN = TRUSTED_PROXIES='$(TRUSTED_PROXIES)' $(VENV)/bin/uvicorn config.asgi:application --host $(HOST) --port $(PORT) \
	--workers $(WEB_WORKERS) --no-server-header \
	$(if $(strip $(TRUSTED_PROXIES)),--proxy-headers --forwarded-allow-ips '$(strip $(TRUSTED_PROXIES))',--no-proxy-headers)
PYTEST_ARGS ?=

.PHONY: demo test lint ci setup messages translations clean serve a11y

$(INSTALLED): pyproject.toml
	@if [ ! -x $(PY) ]; then \
		if [ -z "$(PYTHON)" ]; then echo "Asiointi needs Python 3.12 or newer (Django 6). Install one, or give PYTHON=/path/to/python3.12." >&2; exit 1; fi; \
		echo "Creating $(VENV) with $$($(PYTHON) --version)"; \
		$(PYTHON) -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

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

test: setup
	@$(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)

# The accessibility sweep: every route x fi/sv/en x role in Chromium with axe-core (needs Debian's
# chromium); writes var/a11y/report.html and report.json.
a11y: setup
	@$(PY) -m a11y

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy asiointi config
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check_translations.py
	$(VENV)/bin/bandit -q -c pyproject.toml -r asiointi config scripts a11y
	$(PY) scripts/audit_dependencies.py

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
