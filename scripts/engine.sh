#!/usr/bin/env bash
# The development search engine: OpenSearch 2.19.6 from Maven Central, one JVM.
#   scripts/engine.sh start|stop|status|build
# ENGINE_PORT (9200), ENGINE_HOME (var/engine: data, logs, pid) and ENGINE_HEAP (1g) may be set.
# 1 GB of heap is plenty for the archive and leaves room on a shared 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${ENGINE_PORT:-9200}"
HOME_DIR="${ENGINE_HOME:-$PWD/var/engine}"
HEAP="${ENGINE_HEAP:-1g}"
MODULE=search/engine
PIDFILE="$HOME_DIR/engine.pid"
URL="http://127.0.0.1:$PORT"

build() {
  if [[ ! -f $MODULE/target/archive-engine-2.19.6.jar || $MODULE/pom.xml -nt $MODULE/target/archive-engine-2.19.6.jar \
        || -n "$(find $MODULE/src -newer $MODULE/target/archive-engine-2.19.6.jar -print -quit)" ]]; then
    echo "engine: building the launcher (first run downloads OpenSearch jars from Maven Central)"
    (cd $MODULE && mvn -q -B package)
  fi
}

running() { [[ -f $PIDFILE ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

status() {
  if running; then
    echo "engine: running (pid $(cat "$PIDFILE")) at $URL"
    curl -s "$URL/_cluster/health?pretty" | grep -E '"status"' || true
  else
    echo "engine: stopped"; return 1
  fi
}

start() {
  if running; then echo "engine: already running at $URL"; return 0; fi
  command -v java >/dev/null || { echo "engine: Java 17 is needed (apt-get install openjdk-17-jre-headless)"; exit 1; }
  build
  mkdir -p "$HOME_DIR"
  local began=$SECONDS
  # setsid: the node outlives this script, and stop signals exactly this process group.
  setsid java -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j2.disable.jmx=true -Djava.awt.headless=true \
    -cp "$MODULE/target/archive-engine-2.19.6.jar:$MODULE/target/lib/*" \
    org.livedexperience.engine.Engine "$HOME_DIR" "$PORT" >"$HOME_DIR/engine.log" 2>&1 < /dev/null &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 180); do
    if curl -sf "$URL/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1; then
      single_node
      if curl -sf "$URL/_cluster/health?wait_for_status=green&timeout=30s" >/dev/null; then
        echo "engine: green at $URL after $((SECONDS - began)) s"; return 0
      fi
    fi
    running || { echo "engine: failed to start; see $HOME_DIR/engine.log"; tail -20 "$HOME_DIR/engine.log"; exit 1; }
    sleep 1
  done
  echo "engine: not green after 180 s; see $HOME_DIR/engine.log"; stop; exit 1
}

# One node can hold no replica: indexes (the archive's, made by Wagtail with OpenSearch's
# default of one replica) would stay yellow. Here, and only here, every index gets none.
single_node() {
  curl -sf -XPUT "$URL/_index_template/single-node" -H 'content-type: application/json' \
    -d '{"index_patterns": ["*"], "priority": 0, "template": {"settings": {"number_of_replicas": 0}}}' >/dev/null
  curl -sf -XPUT "$URL/_all/_settings" -H 'content-type: application/json' \
    -d '{"index": {"number_of_replicas": 0}}' >/dev/null || true
}

stop() {
  if ! running; then rm -f "$PIDFILE"; echo "engine: stopped"; return 0; fi
  local pid; pid=$(cat "$PIDFILE")
  kill "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$PIDFILE"; echo "engine: stopped"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  build) build ;;
  *) echo "usage: $0 start|stop|status|build"; exit 2 ;;
esac
