# Two commands: `make run` (site with demo data on http://127.0.0.1:5000) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := app

.PHONY: setup run test lint format clean e2e-deps

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

# Headless Chromium for the browser tests (tests/e2e) from Debian, and DejaVu fonts so Cyrillic
# renders in the screenshots. Installed only when missing; sudo only when not root.
E2E_PACKAGES := chromium fonts-dejavu-core
e2e-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
	  sudo=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	  install="$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(E2E_PACKAGES)"; \
	  $$install || { $$sudo apt-get update && $$install; }; \
	fi

test: lint e2e-deps
	$(BIN)/pytest

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
