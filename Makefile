# nrm — `make run` serves the demo, `make test` runs every check. Both set up .venv themselves.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
NRM := $(BIN)/nrm
PG_URL ?= postgres://postgres@127.0.0.1:5432/nrm
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run serve test lint typecheck migrations-check messages test-sqlite test-postgres browser-deps bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(NRM) compilemessages --ignore=.venv -v 0
	$(NRM) migrate --no-input -v 0
	$(NRM) demo
	$(NRM) serve

# Browser tests drive Debian's Chromium; install it when it is missing (needs root, as in CI).
browser-deps:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  echo "Installing Debian's chromium and chromium-driver for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

lint: $(STAMP_TEST)
	$(BIN)/ruff check src tests bench

typecheck: $(STAMP_TEST)
	$(BIN)/mypy

migrations-check: $(STAMP_TEST)
	$(NRM) makemigrations --check --dry-run

messages: $(STAMP_TEST)
	cd src/nrm && ../../$(NRM) compilemessages -v 0

# pytest exits 5 when it collected no test: that is a failure here, not a pass.
test-sqlite: $(STAMP_TEST) messages browser-deps
	NRM_DATABASE_URL= $(BIN)/python -m pytest -p no:cacheprovider

test-postgres: $(STAMP_TEST) messages
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL:%/nrm=%/postgres)', connect_timeout=3)" 2>/dev/null; then \
	  NRM_DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -p no:cacheprovider -m "not browser"; \
	elif [ "$$CI" = "true" ]; then \
	  echo "PostgreSQL is not reachable at 127.0.0.1:5432 and CI=true: failing."; exit 1; \
	else \
	  echo "PostgreSQL is not reachable at 127.0.0.1:5432: skipping the PostgreSQL run (CI fails here)."; \
	fi

test: lint typecheck migrations-check test-sqlite test-postgres
	@echo "make test: all checks passed"

bench: $(STAMP_TEST)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) nrm.sqlite3* staticfiles
