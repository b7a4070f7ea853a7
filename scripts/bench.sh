#!/usr/bin/env bash
# make bench: page latency at 1,000 generated stories against gunicorn on loopback.
# Arguments pass through to bench/pages.py (--stories, --requests, --workers, --concurrency).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python bench/pages.py "$@"
