# Samverkan — two commands on a fresh machine with Python 3.11:
#   make demo   virtual environment, install, migrate, demo data, serve at http://127.0.0.1:8000
#   make test   install what the tests need (incl. Debian's chromium) and run the whole suite
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install install-test lint format typecheck messages serve bench clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-base: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.installed-test: requirements/base.txt requirements/test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/test.txt
	touch $@ $(VENV)/.installed-base

install: $(VENV)/.installed-base
install-test: $(VENV)/.installed-test chromium

# Debian's chromium for browser tests (never a browser download by a test tool), and poppler-utils'
# pdftotext, with which the tests read the text of the PDFs the platform renders.
chromium:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium and poppler-utils (apt)…"; \
	  if [ "$$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core poppler-utils >/dev/null; \
	fi

# The compiled catalogue is committed too, so a machine without gettext's msgfmt still runs.
messages: $(VENV)/.installed-base
	@if command -v msgfmt >/dev/null 2>&1; then $(BIN)/python manage.py compilemessages --ignore=.venv -v0; \
	else echo "msgfmt (Debian: gettext) saknas – använder den incheckade locale/en/LC_MESSAGES/django.mo"; fi

demo: install messages
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_demo
	@echo ""
	@echo "  Samverkan körs på http://$(HOST):$(PORT)/  (Ctrl+C avslutar)"
	@# The background worker (e-mail, long jobs) runs beside the web server and stops with it.
	$(BIN)/python manage.py db_worker --no-startup-delay & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-test messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

serve: install messages
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/gunicorn --bind $(HOST):$(PORT)

bench: install-test
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache

# Deploy new code to the running gunicorn without dropping a request (USR2, then TERM to the old
# master; see bin/gunicorn-reload). gunicorn must have been started with GUNICORN_PIDFILE set.
.PHONY: reload
reload:
	@test -n "$$GUNICORN_PIDFILE" || { echo "GUNICORN_PIDFILE must name gunicorn's pid file (the one it was started with)"; exit 2; }
	$(BIN)/python bin/gunicorn-reload "$$GUNICORN_PIDFILE"
