#!/usr/bin/env bash
# The first stage: lint, format, import contracts, types and migrations, before any test runs.
# Every check runs (so one run shows every finding); any finding fails the stage and so
# `make test`. Each check counts as one test, labelled "Checks" in var/test-counts.
# Alone: `make check`. The same checks run from .pre-commit-config.yaml.
set -uo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p var
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
passed=0 failed=0

# The tool's own one-line verdict, e.g. "Found 3 errors." or "Contracts: 1 kept, 2 broken."
said() {
  grep -E -m 1 '^Found [0-9]+ error|^Contracts: |would be reformatted|^Migrations for' "$1" ||
    echo "see above"
}

# check LABEL COMMAND...: run it quietly; on a finding, show what it said.
check() {
  local label="$1" start=$SECONDS
  shift
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1))
    printf -- '-- %-22s clean (%d s)\n' "$label" $((SECONDS - start))
  else
    failed=$((failed + 1))
    cat "$log"
    printf '!! %-22s FAILED (%d s): %s: %s\n' "$label" $((SECONDS - start)) "$*" "$(said "$log")" >&2
  fi
}

check "ruff check" ruff check --no-fix .
check "ruff format" ruff format --check .
check "import contracts" lint-imports --no-logo --cache-dir var/import-linter-cache
check "mypy" mypy
# On an in-memory SQLite database: no server, no migrate, nothing left behind.
check "migrations" env DJANGO_SETTINGS_MODULE=config.settings.test \
  DATABASE_URL="sqlite://:memory:" python manage.py makemigrations --check --dry-run

echo "Checks $passed $failed" >>var/test-counts
echo "-- Checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
