# Two commands: `make run` (site with demo data on http://127.0.0.1:5000) and `make test`
# (lint, the suite on SQLite, then the same suite on a local PostgreSQL server).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := app

.PHONY: setup run test test-sqlite test-postgres lint format clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(BIN)/.installed

run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port 5000

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint test-sqlite test-postgres

test-sqlite: setup
	$(BIN)/pytest

# Installs and starts PostgreSQL if needed (.ci/postgres.sh); fails loudly if it cannot.
test-postgres: setup
	uri=$$(bash .ci/postgres.sh) && SNT_TEST_DATABASE_URI=$$uri $(BIN)/pytest

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
