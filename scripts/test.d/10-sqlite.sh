#!/usr/bin/env bash
# The whole suite on the embedded default database, SQLite.
set -euo pipefail
python -m pytest -p no:cacheprovider -q
