#!/usr/bin/env bash
# The whole suite on the embedded default database, SQLite.
set -euo pipefail
unset DATABASE_URL
exec bash scripts/pytest-stage.sh SQLite
