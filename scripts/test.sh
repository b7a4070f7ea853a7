#!/usr/bin/env bash
# make test: each stage in scripts/test.d runs in name order; the first failure stops the run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
status=0
for stage in scripts/test.d/*.sh; do
  echo "== $(basename "$stage" .sh)"
  bash "$stage" || { status=$?; echo "!! stage $(basename "$stage") failed"; break; }
done
exit $status
