# The Lived Experience Archive. `make run` and `make test` are the two commands.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test install system-deps node-deps migrate demo worker bench check-deploy clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Python dependencies, pinned by requirements/constraints.txt.
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/constraints.txt
	$(BIN)/pip install --quiet -c requirements/constraints.txt ".[test]"
	touch $@

install: system-deps $(VENV)/.installed node-deps

# ffmpeg, espeak-ng, Chromium and PostgreSQL from Debian's packages, if missing.
system-deps:
	@scripts/system-deps.sh

node-deps: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@scripts/run.sh $(PORT)

worker: install
	$(BIN)/python manage.py db_worker

test: install
	@scripts/test.sh

bench: install
	@scripts/bench.sh

check-deploy: install
	SECRET_KEY=check-deploy-$$RANDOM$$RANDOM$$RANDOM$$RANDOM$$RANDOM$$RANDOM ALLOWED_HOSTS=archive.example.org \
	  DJANGO_SETTINGS_MODULE=config.settings.production $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf var node_modules $(VENV)
