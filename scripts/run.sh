#!/usr/bin/env bash
# make run: prepare the database and static files (only what changed since last time), then
# start the site and the background worker together. Ctrl-C stops both.
#   PORT (default 8000) and HOST (default 127.0.0.1) choose where the site listens.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-${1:-8000}}"
HOST="${HOST:-127.0.0.1}"
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.dev}"
# Links in e-mails (a contributor's receipt, an owner's notice) point here.
SHOWN_HOST="$HOST"
[ "$HOST" = "0.0.0.0" ] && SHOWN_HOST=localhost
export SITE_URL="${SITE_URL:-http://$SHOWN_HOST:$PORT}"
mkdir -p var/log

# Stamps live in var/ beside the SQLite file; a new database (no file) starts them again.
if [ -z "${DATABASE_URL:-}" ] && [ ! -f var/archive.sqlite3 ]; then
  rm -f var/.migrated var/.demo-loaded
fi

# Migrate when any migration file is newer than the last migrate.
if [ ! -f var/.migrated ] || [ -n "$(find . -path ./.venv -prune -o -path ./node_modules -prune -o \
     -path '*/migrations/*.py' -newer var/.migrated -print -quit)" ]; then
  echo "Migrating the database..."
  $PY manage.py migrate --noinput
  touch var/.migrated
fi

if [ ! -f var/.demo-loaded ]; then
  echo "Loading the demo archive (fictional stories)..."
  $PY manage.py load_demo
  touch var/.demo-loaded
fi

# Static files: collect again only when a source file changed.
if [ ! -f var/.collected ] || [ -n "$( { find archive consent transcription search reuse \
     -path '*/static/*' -type f -newer var/.collected -print -quit;
     find node_modules/govuk-frontend/dist .venv/.installed -newer var/.collected -print -quit; \
     } 2>/dev/null)" ]; then
  echo "Collecting static files..."
  $PY manage.py collectstatic --noinput --verbosity 0
  touch var/.collected
fi

read -r ADMIN_USER ADMIN_PASSWORD < <($PY manage.py ensure_dev_admin)

# Each child gets its own process group (setsid), so stopping it stops its children too
# (runserver's autoreloader, the worker's reloader).
pids=()
stop_all() {
  local code="${1:-0}"
  trap - INT TERM EXIT
  echo
  echo "Stopping the site and the worker..."
  if [ -n "${watcher:-}" ]; then kill "$watcher" 2>/dev/null || true; fi
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  # The worker finishes the task in hand first; after 15 s it is stopped regardless.
  for _ in $(seq 1 30); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "Stopped."
  exit "$code"
}
trap 'stop_all 0' INT TERM
trap 'stop_all $?' EXIT

# One worker: whatever is still marked running was cut off when the last one stopped.
$PY manage.py resume_jobs --all
# The worker's lines go to a log: on screen they buried the address and the login.
echo "The worker's lines go to var/log/worker.log."
setsid $PY manage.py db_worker --no-reload >>var/log/worker.log 2>&1 &
pids+=($!)
setsid $PY manage.py runserver "$HOST:$PORT" &
pids+=($!)

# Say where the site is once it answers (at most a minute).
URL="$SITE_URL/"
for _ in $(seq 1 120); do
  if $PY -c "import socket, sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), 1)" \
       "$HOST" "$PORT" 2>/dev/null; then
    cat <<EOF

  ==========================================================================
  The archive is running at $URL — admin at ${URL}admin/
  Log in as user '$ADMIN_USER' with password '$ADMIN_PASSWORD'
  To try reuse as its users do: 'trainer' (clips, reels) and 'writer' (reports),
  with the same password.
  The background worker (renditions, transcripts) is running too; its lines
  are in var/log/worker.log. Press Ctrl-C to stop both.
  ==========================================================================

EOF
    # Say how the transcripts are coming on, and when all are ready (not one of the
    # children watched below: it ends on its own).
    $PY manage.py transcripts_ready --wait &
    watcher=$!
    break
  fi
  kill -0 "${pids[1]}" 2>/dev/null || break
  sleep 0.5
done

# If either the site or the worker stops, stop the other and say so.
status=0
wait -n "${pids[@]}" || status=$?
echo "The site or the worker stopped unexpectedly (exit $status); stopping the other."
stop_all "$status"
