# Two commands: `make run` (site with demo data on http://127.0.0.1:5000) and `make test`
# (lint, the suite on SQLite, then the same suite on a local PostgreSQL server).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := app

.PHONY: setup setup-site system-deps run test test-sqlite test-postgres lint format clean

# Debian packages the tests need, installed here rather than by hand (CI runs as root).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends

# Two markers: `make run` installs only what the site needs (requirements.txt), so a server never
# gets the test tools; `make test` adds them (requirements-dev.txt).
# --no-compile: Python compiles only the modules the site imports, at first start (~7 s less CPU).
$(BIN)/.installed-site: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-compile -r requirements.txt
	touch $@

$(BIN)/.installed-dev: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(BIN)/.installed-site

setup-site: $(BIN)/.installed-site
setup: $(BIN)/.installed-dev

# Debian packages the tests use: zbar-tools decodes the payment QR back, Chromium runs the browser
# tests (tests/e2e), DejaVu renders Cyrillic in their screenshots; nginx and redis-server run in
# front of and beside gunicorn in tests/test_deploy*.py; shellcheck checks the shell scripts.
# Installed only when missing.
SYSTEM_PACKAGES := zbar-tools chromium fonts-dejavu-core nginx redis-server shellcheck
system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  $(APT_INSTALL) $$missing || { $(SUDO) apt-get update -q && $(APT_INSTALL) $$missing; }; \
	fi

# The site and, beside it, the worker of the long jobs (receipts, sends, uploads: docs/install.md);
# stopping make (Ctrl+C) stops both. Only the site's packages (requirements.txt).
PORT ?= 5000
run: setup-site
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	$(BIN)/flask worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# ruff, the import shape (no cycles, no upward imports: tools/check_imports.py), mypy on snt/,
# then shellcheck on every shell script (deploy/, .ci/).
SHELL_SCRIPTS := deploy/*.sh deploy/snt-flask .ci/run .ci/*.sh
lint: setup system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python tools/check_imports.py snt
	$(BIN)/mypy
	shellcheck -x $(SHELL_SCRIPTS)

test: lint test-sqlite test-postgres

test-sqlite: setup system-deps
	$(BIN)/pytest

# Installs and starts PostgreSQL if needed (.ci/postgres.sh); fails loudly if it cannot.
test-postgres: setup system-deps
	uri=$$(bash .ci/postgres.sh) && SNT_TEST_DATABASE_URI=$$uri $(BIN)/pytest

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
