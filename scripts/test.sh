#!/usr/bin/env bash
# make test: each stage in scripts/test.d runs in name order; the first failure stops the run.
# The last line is the total over every stage, as "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p var
rm -f var/test-counts
status=0
for stage in scripts/test.d/*.sh; do
  echo "== $(basename "$stage" .sh)"
  bash "$stage" || { status=$?; echo "!! stage $(basename "$stage") failed"; break; }
done
if [ -s var/test-counts ]; then
  echo "Stages (label, passed, failed):"
  sed 's/^/  /' var/test-counts
  awk '{p += $(NF-1); f += $NF} END {printf "make test: %d passed, %d failed\n", p, f}' var/test-counts
fi
exit $status
