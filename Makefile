# Two commands: `make run` (site with demo data on http://127.0.0.1:5000) and `make test`
# (lint, the suite on SQLite, then the same suite on a local PostgreSQL server).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := app

.PHONY: setup system-deps run test test-sqlite test-postgres lint format clean

# Debian packages the tests need, installed here rather than by hand (CI runs as root).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(BIN)/.installed

# Debian packages the tests use: zbar-tools decodes the payment QR back, Chromium runs the browser
# tests (tests/e2e), DejaVu renders Cyrillic in their screenshots. Installed only when missing.
SYSTEM_PACKAGES := zbar-tools chromium fonts-dejavu-core
system-deps:
	@if ! command -v zbarimg >/dev/null 2>&1 || [ ! -x /usr/bin/chromium ] \
	    || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
	  $(APT_INSTALL) $(SYSTEM_PACKAGES) || { $(SUDO) apt-get update -q && $(APT_INSTALL) $(SYSTEM_PACKAGES); }; \
	fi

run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# ruff, the import shape (no cycles, no upward imports: tools/check_imports.py), then mypy on snt/.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python tools/check_imports.py snt
	$(BIN)/mypy

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
