#!/usr/bin/env bash
# The development search engine, from Maven Central jars, in one JVM:
#   ENGINE=opensearch (default): OpenSearch 2.19.6, search/engine/
#   ENGINE=elasticsearch: Elasticsearch 7.10.2, the last Apache-2.0 release (OSS modules as
#     CodeLibs republishes them, no x-pack), search/engine-elasticsearch/
#   scripts/engine.sh start|stop|status|build
# ENGINE_PORT (9200), ENGINE_HOME (var/engine, or var/engine-es for Elasticsearch: data, logs,
# pid) and ENGINE_HEAP (1g) may be set.
# 1 GB of heap is plenty for the archive and leaves room on a shared 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
ENGINE="${ENGINE:-opensearch}"
case "$ENGINE" in
  opensearch)
    MODULE=search/engine JAR=archive-engine-2.19.6.jar MAIN=org.livedexperience.engine.Engine
    NAME=engine TITLE=OpenSearch DEFAULT_HOME=var/engine FLAGS=() ;;
  elasticsearch)
    MODULE=search/engine-elasticsearch JAR=archive-engine-elasticsearch-7.10.2.jar
    MAIN=org.livedexperience.engine.ElasticsearchEngine
    NAME="engine (elasticsearch)" TITLE=Elasticsearch DEFAULT_HOME=var/engine-es
    # Report the build a stock tar distribution does: the elasticsearch Python client (7.14+)
    # accepts a server older than 7.14 only if its build_flavor is "default".
    FLAGS=(-Des.distribution.flavor=default -Des.distribution.type=tar) ;;
  *) echo "engine: ENGINE must be opensearch or elasticsearch, not '$ENGINE'"; exit 2 ;;
esac
PORT="${ENGINE_PORT:-9200}"
HOME_DIR="${ENGINE_HOME:-$PWD/$DEFAULT_HOME}"
HEAP="${ENGINE_HEAP:-1g}"
PIDFILE="$HOME_DIR/engine.pid"
URL="http://127.0.0.1:$PORT"

build() {
  if [[ ! -f $MODULE/target/$JAR || $MODULE/pom.xml -nt $MODULE/target/$JAR \
        || -n "$(find $MODULE/src -newer $MODULE/target/$JAR -print -quit)" ]]; then
    echo "$NAME: building the launcher (first run downloads $TITLE jars from Maven Central)"
    (cd $MODULE && mvn -q -B package)
  fi
}

running() { [[ -f $PIDFILE ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

status() {
  if running; then
    echo "$NAME: running (pid $(cat "$PIDFILE")) at $URL"
    curl -s "$URL/_cluster/health?pretty" | grep -E '"status"' || true
  else
    echo "$NAME: stopped"; return 1
  fi
}

start() {
  if running; then echo "$NAME: already running at $URL"; return 0; fi
  command -v java >/dev/null || { echo "$NAME: Java 17 is needed (apt-get install openjdk-17-jre-headless)"; exit 1; }
  build
  # The health checks below must not mistake another node (the other ENGINE?) for this one.
  if curl -s -o /dev/null "$URL"; then
    echo "$NAME: $URL already answers; choose another ENGINE_PORT"; exit 1
  fi
  mkdir -p "$HOME_DIR"
  local began=$SECONDS
  # setsid: the node outlives this script, and stop signals exactly this process group.
  setsid java -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j2.disable.jmx=true -Djava.awt.headless=true "${FLAGS[@]}" \
    -cp "$MODULE/target/$JAR:$MODULE/target/lib/*" \
    "$MAIN" "$HOME_DIR" "$PORT" >"$HOME_DIR/engine.log" 2>&1 < /dev/null &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 180); do
    if curl -sf "$URL/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1; then
      single_node
      if curl -sf "$URL/_cluster/health?wait_for_status=green&timeout=30s" >/dev/null; then
        echo "$NAME: green at $URL after $((SECONDS - began)) s"; return 0
      fi
    fi
    running || { echo "$NAME: failed to start; see $HOME_DIR/engine.log"; tail -20 "$HOME_DIR/engine.log"; exit 1; }
    sleep 1
  done
  echo "$NAME: not green after 180 s; see $HOME_DIR/engine.log"; stop; exit 1
}

# One node can hold no replica: indexes (the archive's, made by Wagtail with the engine's
# default of one replica) would stay yellow. Here, and only here, every index gets none.
single_node() {
  curl -sf -XPUT "$URL/_index_template/single-node" -H 'content-type: application/json' \
    -d '{"index_patterns": ["*"], "priority": 0, "template": {"settings": {"number_of_replicas": 0}}}' >/dev/null
  curl -sf -XPUT "$URL/_all/_settings" -H 'content-type: application/json' \
    -d '{"index": {"number_of_replicas": 0}}' >/dev/null || true
}

stop() {
  if ! running; then rm -f "$PIDFILE"; echo "$NAME: stopped"; return 0; fi
  local pid; pid=$(cat "$PIDFILE")
  kill "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$PIDFILE"; echo "$NAME: stopped"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  build) build ;;
  *) echo "usage: $0 start|stop|status|build"; exit 2 ;;
esac
