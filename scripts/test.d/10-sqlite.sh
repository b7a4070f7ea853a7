#!/usr/bin/env bash
# The whole suite on the embedded default database, SQLite, on both cores (pytest-xdist:
# each worker has its own test database and media folder).
set -euo pipefail
unset DATABASE_URL
# The web tier test needs a database server that gunicorn can share: 20-postgres runs it.
exec bash scripts/pytest-stage.sh SQLite -n 2 -m "not web_tier"
