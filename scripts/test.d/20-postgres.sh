#!/usr/bin/env bash
# The suite again, on PostgreSQL from Debian's packages (all but the browser tests that only
# check pages, see below): started here, stopped on exit.
# Two workers, each with its own test database on the one server (pytest-xdist).
set -euo pipefail
mkdir -p var
# One PostgreSQL stage at a time per working tree: they share the server and test_archive.
exec 9>var/postgres.lock
flock -n 9 || { echo "Waiting for another make test's PostgreSQL stage to finish..."; flock 9; }
trap "bash scripts/postgres.sh stop" EXIT
DATABASE_URL="$(bash scripts/postgres.sh start)"
export DATABASE_URL
echo "PostgreSQL: $DATABASE_URL"
# Browser tests check pages, scripts and accessibility, which do not depend on the database:
# they run on SQLite; the journeys that write through the live server run here too.
bash scripts/pytest-stage.sh PostgreSQL -n 2 -m "not browser or every_database"
