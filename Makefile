# nrm — `make run` serves the demo, `make test` runs every check. Both set up .venv themselves.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
NRM := $(BIN)/nrm
PG_URL ?= postgres://postgres@127.0.0.1:5432/nrm
PG_ADMIN_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
STAMP_BENCH := $(VENV)/.installed-bench

.PHONY: run system-deps test lint typecheck migrations-check messages test-sqlite test-postgres browser-deps bench bench-linkage bench-figures clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(STAMP_RUN)

$(STAMP_BENCH): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@ $(STAMP_TEST) $(STAMP_RUN)

# The demo relaxes two-factor sign-in (NRM_REQUIRE_2FA=false): never do that with real data.
DEMO_ENV := NRM_REQUIRE_2FA=false

run: $(STAMP_RUN) system-deps
	cd src/nrm && ../../$(NRM) compilemessages -v 0
	$(DEMO_ENV) $(NRM) migrate --no-input -v 0
	$(DEMO_ENV) $(NRM) demo
	$(DEMO_ENV) $(NRM) serve

# Debian packages: gettext compiles the translations; the browser tests drive Debian's Chromium.
# Installed only when missing (needs root, as on the project's machines and in CI).
APT_INSTALL := apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq

system-deps:
	@command -v msgfmt >/dev/null || { echo "Installing gettext"; $(APT_INSTALL) gettext >/dev/null; }

browser-deps: system-deps
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  echo "Installing Debian's chromium and chromium-driver for the browser tests"; \
	  $(APT_INSTALL) chromium chromium-driver >/dev/null; \
	fi

lint: $(STAMP_TEST)
	$(BIN)/ruff check src tests bench

typecheck: $(STAMP_TEST)
	$(BIN)/mypy

migrations-check: $(STAMP_TEST)
	$(NRM) makemigrations --check --dry-run

messages: $(STAMP_TEST) system-deps
	cd src/nrm && ../../$(NRM) compilemessages -v 0

# pytest exits 5 when it collected no test: that is a failure here, said in words, not a pass.
PYTEST = $(BIN)/python -m pytest -p no:cacheprovider
NO_TESTS = rc=$$?; [ $$rc -eq 5 ] && echo "pytest collected no tests: that is a failure"; exit $$rc

test-sqlite: $(STAMP_TEST) messages browser-deps
	NRM_DATABASE_URL= $(PYTEST) || { $(NO_TESTS); }

test-postgres: $(STAMP_TEST) messages
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_ADMIN_URL)', connect_timeout=5)" 2>/dev/null; then \
	  NRM_DATABASE_URL=$(PG_URL) $(PYTEST) -m "not browser" || { $(NO_TESTS); }; \
	elif [ "$$CI" = "true" ]; then \
	  echo "PostgreSQL is not reachable at 127.0.0.1:5432 and CI=true: failing."; exit 1; \
	else \
	  echo "PostgreSQL is not reachable at 127.0.0.1:5432: skipping the PostgreSQL run (CI fails here)."; \
	fi

test: lint typecheck migrations-check test-sqlite test-postgres
	@echo "make test: all checks passed"

# Linkage (FEBRL, cross-script, privacy-preserving, a million records: about 15 minutes), then
# the registry's page speed and the referral and assistance figures on PostgreSQL; each runs
# even when one before it missed a target, and `make bench` fails at the end if any did.
bench: $(STAMP_BENCH)
	$(BIN)/python bench/linkage/run.py; linkage=$$?; \
	$(BIN)/python bench/run.py; pages=$$?; \
	$(BIN)/python bench/figures.py; figures=$$?; \
	[ $$linkage -eq 0 ] || echo "make bench: linkage missed a target (exit $$linkage)"; \
	[ $$pages -eq 0 ] || echo "make bench: page speed missed its target (exit $$pages)"; \
	[ $$figures -eq 0 ] || echo "make bench: the figures missed their target (exit $$figures)"; \
	[ $$linkage -eq 0 ] && [ $$pages -eq 0 ] && [ $$figures -eq 0 ]

bench-linkage: $(STAMP_BENCH)
	$(BIN)/python bench/linkage/run.py

# The referral and assistance figures at 200,000 referrals (NRM_BENCH_REFERRALS): p95 ≤ 2 s.
bench-figures: $(STAMP_BENCH)
	$(BIN)/python bench/figures.py

clean:
	rm -rf $(VENV) nrm.sqlite3* staticfiles
