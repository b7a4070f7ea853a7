#!/usr/bin/env bash
# Run the whole pytest suite once, on whatever DATABASE_URL says, and make its result plain.
# Usage: scripts/pytest-stage.sh LABEL [pytest args...]
# Each stage's counts are appended to var/test-counts for the total that test.sh prints.
set -uo pipefail
label="$1"; shift
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p var
log="$(mktemp)"
python -m pytest -p no:cacheprovider -q "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
summary="$(grep -E '^[0-9]+ (passed|failed)|^=+ .*(passed|failed|error)' "$log" | tail -n 1)"
passed="$(grep -oE '[0-9]+ passed' <<<"$summary" | grep -oE '[0-9]+' || echo 0)"
failed="$(grep -oE '[0-9]+ (failed|errors?)' <<<"$summary" | awk '{n += $1} END {print n + 0}')"
echo "$label ${passed:-0} ${failed:-0}" >> var/test-counts
rm -f "$log"
case $rc in
  0) echo "-- $label: the suite passed" ;;
  5) echo "!! $label: pytest collected no tests; the suite is missing or was deselected" >&2 ;;
  *) echo "!! $label: pytest exited with $rc" >&2 ;;
esac
exit $rc
