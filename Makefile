# The front door. `make run` serves the portal with demo data; `make test` runs the tests.
# Both install what they need into .venv (Python packages locked in uv.lock).

PYTHON ?= python3
PORT ?= 8000
TEST_WORKERS ?= auto
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
WITH_DB := $(PY) -m cnrs_intl.embedded_db run --
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help install run test test-fast lint format messages messages-extract migrations-check db-stop ci clean browser backup restore bench fonts vnu html-check

help:
	@echo "make run       serve the portal with demo data on http://127.0.0.1:$(PORT)/"
	@echo "make test      run the whole test suite"
	@echo "make lint      ruff check and format check"
	@echo "make messages  compile translations (refuses untranslated or fuzzy entries)"
	@echo "make bench     load-test 1,000 to 1,000,000 entries, rewrite BENCHMARKS.md"
	@echo "make db-stop   stop the embedded PostgreSQL if one is left running"
	@echo "make backup    write the database to backups/ (BACKUP=path to choose the file)"
	@echo "make restore DUMP=path   load a dump into an empty database"

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	@touch $@

install: $(VENV)/.synced

messages: install
	$(PY) -m cnrs_intl.messages

messages-extract: install
	$(PY) manage.py makemessages --all --no-location --no-obsolete --ignore=.venv --ignore=.tools

run: messages
	$(WITH_DB) sh -c '$(PY) manage.py migrate --no-input -v0 && \
		$(PY) manage.py load_demo && \
		echo "Demo accounts (username password role):" && cat demo-accounts.txt && \
		echo "Portal: http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)" && \
		exec $(PY) manage.py runserver 127.0.0.1:$(PORT)'

# In parallel (pytest-xdist, one database per worker, a test file per worker at a time), then
# the tests marked serial in one process: they need no other transaction on the server.
test: messages browser vnu
	$(WITH_DB) sh -c '$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not serial"; \
		parallel=$$?; $(PY) -m pytest -p no:xdist -m serial && exit $$parallel'

# The browser tests drive Debian's chromium (Playwright cannot download a browser here).
browser:
	@test -x $(CHROMIUM) || { echo "Installing chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The typeface, from the npm registry (version and checksum in the script); files committed.
fonts:
	static/fonts/fetch.sh

# The Nu HTML Checker (vnu.jar, npm package vnu-jar; version and checksum in the script).
vnu:
	@tests/html/fetch-vnu.sh

# Every public page type in both languages through the Nu HTML Checker.
html-check: messages vnu
	$(WITH_DB) $(PY) -m pytest -p no:xdist tests/html

backup: install
	$(WITH_DB) $(PY) manage.py backup_db $(if $(BACKUP),--output $(BACKUP))

restore: install
	@test -n "$(DUMP)" || { echo "usage: make restore DUMP=backups/<file>.dump"; exit 2; }
	$(WITH_DB) $(PY) manage.py restore_db $(DUMP)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Databases in .bench/ (never .pgdata/), gunicorn as in production, wrk; see bench/run.py.
bench: messages
	bench/install-wrk.sh
	$(PY) -m bench.run

migrations-check: install
	$(WITH_DB) $(PY) manage.py makemigrations --check --dry-run

db-stop: install
	$(PY) -m cnrs_intl.embedded_db stop

ci: lint migrations-check test
	$(PY) -m cnrs_intl.messages --check

clean:
	rm -rf $(VENV) $(TOOLS) staticfiles
