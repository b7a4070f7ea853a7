#!/usr/bin/env bash
# The reference web tier on loopback: gunicorn (production settings) behind Debian's nginx,
# as docs/deploy.md describes. Usage: scripts/web-tier.sh start|stop
# Environment: WEB_PORT (nginx, 8480), APP_PORT (gunicorn, 8481), WEB_HOME (its config,
# pids, logs and static files; var/web-tier), WEB_WORKERS (gunicorn workers, 2), and the
# site's own settings (DATABASE_URL, MEDIA_ROOT, SECRET_KEY, ...). `start` prints nginx's
# address once both answer.
set -euo pipefail
cd "$(dirname "$0")/.."
WEB_PORT="${WEB_PORT:-8480}" APP_PORT="${APP_PORT:-8481}" WEB_WORKERS="${WEB_WORKERS:-2}"
WEB_HOME="$(mkdir -p "${WEB_HOME:-var/web-tier}" && cd "${WEB_HOME:-var/web-tier}" && pwd)"
PY="$PWD/.venv/bin/python"
export DJANGO_SETTINGS_MODULE=config.settings.production
export STATIC_ROOT="$WEB_HOME/static" MEDIA_ACCEL=nginx
export MEDIA_ROOT="$(cd "${MEDIA_ROOT:-media}" 2>/dev/null && pwd || echo "$PWD/media")"
# Plain http on loopback: no redirect to https (a deployment terminates TLS in nginx).
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-0}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"

wait_for() {  # wait_for URL: until it answers at all (any status), or 60 s
  for _ in $(seq 1 120); do
    "$PY" - "$1" <<'PY' && return 0
import sys, urllib.error, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except urllib.error.HTTPError:
    pass
except OSError:
    sys.exit(1)
PY
    sleep 0.5
  done
  echo "Nothing answered at $1; see $WEB_HOME/*.log" >&2
  return 1
}

stop() {
  if [ -f "$WEB_HOME/nginx.pid" ]; then
    nginx -p "$WEB_HOME" -c "$WEB_HOME/nginx.conf" -s quit 2>/dev/null || true
  fi
  if [ -f "$WEB_HOME/gunicorn.pid" ]; then
    kill "$(cat "$WEB_HOME/gunicorn.pid")" 2>/dev/null || true
  fi
  for _ in $(seq 1 40); do
    [ -f "$WEB_HOME/nginx.pid" ] || [ -f "$WEB_HOME/gunicorn.pid" ] || break
    sleep 0.25
  done
}

case "${1:-}" in
  start)
    command -v nginx >/dev/null || { echo "nginx is not installed (scripts/system-deps.sh)" >&2; exit 1; }
    stop
    mkdir -p "$WEB_HOME"/{client_body,proxy,fastcgi,uwsgi,scgi}
    "$PY" manage.py collectstatic --noinput -v 0
    sed -e "s|@USER@|$(id -un)|g" -e "s|@RUN@|$WEB_HOME|g" -e "s|@PORT@|$WEB_PORT|g" -e "s|@APP_PORT@|$APP_PORT|g" \
        -e "s|@STATIC_ROOT@|$STATIC_ROOT|g" -e "s|@MEDIA_ROOT@|$MEDIA_ROOT|g" \
        -e "s|@ACCEL_PREFIX@|${MEDIA_ACCEL_PREFIX:-/protected-media/}|g" \
        deploy/nginx.conf.template > "$WEB_HOME/nginx.conf"
    "$PWD/.venv/bin/gunicorn" config.wsgi:application --bind "127.0.0.1:$APP_PORT" \
        --workers "$WEB_WORKERS" --pid "$WEB_HOME/gunicorn.pid" \
        --error-logfile "$WEB_HOME/gunicorn.log" --daemon
    nginx -p "$WEB_HOME" -c "$WEB_HOME/nginx.conf" -t -q
    nginx -p "$WEB_HOME" -c "$WEB_HOME/nginx.conf"
    wait_for "http://127.0.0.1:$APP_PORT/healthz"
    wait_for "http://127.0.0.1:$WEB_PORT/healthz"
    echo "http://127.0.0.1:$WEB_PORT"
    ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
