#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite, from Debian's packages.
#
#   scripts/postgres.sh start   initdb once, start on 127.0.0.1:54329 (or PGPORT), create the role and
#                               database, print the DATABASE_URL (idempotent)
#   scripts/postgres.sh stop    stop the server (idempotent)
#   scripts/postgres.sh url     print the DATABASE_URL
#
# The cluster lives in var/postgres (git-ignored). PostgreSQL refuses to run as root, so
# as root the server runs as the 'postgres' system user; if that user cannot reach the
# working tree (a checkout under /root, say) the cluster goes to /tmp instead.
# It listens on loopback only, with no Unix socket, and fsync is off: it holds nothing
# that must survive a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

EXPLICIT_PORT="${PGPORT:-}"
DB_NAME="archive"
DB_USER="archive"
DB_PASSWORD="archive"

PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  bash scripts/system-deps.sh
  PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
fi
[ -x "$PGBIN/initdb" ] || { echo "postgres.sh: PostgreSQL's initdb was not found" >&2; exit 1; }

# as_pg CMD...: run a PostgreSQL binary as the server's owner, from a directory it can read.
if [ "$(id -u)" -eq 0 ]; then
  RUN_AS=postgres
  id "$RUN_AS" >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash "$RUN_AS"
  as_pg() { (cd /tmp && runuser -u "$RUN_AS" -- "$@"); }
else
  RUN_AS="$(id -un)"
  as_pg() { (cd /tmp && "$@"); }
fi

mkdir -p var
if as_pg test -x "$ROOT/var"; then
  PGDATA="$ROOT/var/postgres"
else
  PGDATA="/tmp/lea-postgres-$(id -u)-$(printf '%s' "$ROOT" | md5sum | cut -c1-8)"
fi
LOG="$PGDATA.log"
PORT_FILE="$PGDATA.port"

# 54329 unless PGPORT says otherwise; if another checkout's server holds it, the next free
# port up to 54339. The port in use is kept beside the cluster for `stop` and `url`.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
choose_port() {
  if [ -n "$EXPLICIT_PORT" ]; then echo "$EXPLICIT_PORT"; return; fi
  local port
  for port in $(seq 54329 54339); do
    listening "$port" || { echo "$port"; return; }
  done
  echo "postgres.sh: ports 54329-54339 are all taken" >&2; exit 1
}
PGPORT="${EXPLICIT_PORT:-$(cat "$PORT_FILE" 2>/dev/null || echo 54329)}"
url() { echo "postgres://${DB_USER}:${DB_PASSWORD}@127.0.0.1:${PGPORT}/${DB_NAME}"; }

running() { as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }

psql_admin() {
  as_pg "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres "$@"
}

init_cluster() {
  [ -f "$PGDATA/PG_VERSION" ] && return
  rm -rf "$PGDATA"
  mkdir -p "$PGDATA"
  [ "$(id -u)" -eq 0 ] && chown "$RUN_AS": "$PGDATA"
  chmod 700 "$PGDATA"
  as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    >/dev/null
}

start() {
  init_cluster
  if ! running; then
    PGPORT="$(choose_port)"
    echo "$PGPORT" > "$PORT_FILE"
    touch "$LOG"
    [ "$(id -u)" -eq 0 ] && chown "$RUN_AS": "$LOG"
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$LOG" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=${PG_SHARED_BUFFERS:-1GB}" \
      >/dev/null || { echo "postgres.sh: the server did not start; its log:" >&2; tail -n 20 "$LOG" >&2; exit 1; }
  fi
  # The role may create databases: pytest-django creates and drops test_archive.
  psql_admin <<SQL
SELECT 'CREATE ROLE ${DB_USER} LOGIN CREATEDB PASSWORD ''${DB_PASSWORD}'''
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${DB_USER}') \gexec
SELECT 'CREATE DATABASE ${DB_NAME} OWNER ${DB_USER}'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '${DB_NAME}') \gexec
SQL
  url
}

stop() {
  if [ -f "$PGDATA/PG_VERSION" ] && running; then
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
