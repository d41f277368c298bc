# The front door. `make run` serves the portal with demo data; `make test` runs the tests.
# Both install what they need into .venv (Python packages locked in uv.lock).

PYTHON ?= python3
PORT ?= 8000
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
WITH_DB := $(PY) -m cnrs_intl.embedded_db run --

.PHONY: help install run test test-fast lint format messages messages-extract migrations-check db-stop ci clean

help:
	@echo "make run       serve the portal with demo data on http://127.0.0.1:$(PORT)/"
	@echo "make test      run the whole test suite"
	@echo "make lint      ruff check and format check"
	@echo "make messages  compile translations (refuses untranslated or fuzzy entries)"
	@echo "make db-stop   stop the embedded PostgreSQL if one is left running"

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

test: messages
	$(WITH_DB) $(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	$(WITH_DB) $(PY) manage.py makemigrations --check --dry-run

db-stop: install
	$(PY) -m cnrs_intl.embedded_db stop

ci: lint migrations-check test
	$(PY) -m cnrs_intl.messages --check

clean:
	rm -rf $(VENV) $(TOOLS) staticfiles
