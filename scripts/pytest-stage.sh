#!/usr/bin/env bash
# Run the whole pytest suite once, on whatever DATABASE_URL says, and make its result plain.
# Usage: scripts/pytest-stage.sh LABEL [pytest args...]
set -uo pipefail
label="$1"; shift
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
python -m pytest -p no:cacheprovider -q "$@"
rc=$?
case $rc in
  0) echo "-- $label: the suite passed" ;;
  5) echo "!! $label: pytest collected no tests; the suite is missing or was deselected" >&2 ;;
  *) echo "!! $label: pytest exited with $rc" >&2 ;;
esac
exit $rc
