#!/usr/bin/env bash
# The search suite on a real OpenSearch node (2.19.6 from Maven Central, one JVM): started
# here, stopped on exit. Every search test runs on it and on the database backend.
set -euo pipefail
cd "$(dirname "$0")/../.."
unset DATABASE_URL
# A port and data folder of our own, so a developer's `make engine` is left alone.
export ENGINE=opensearch SEARCH_BACKEND=opensearch3
export ENGINE_PORT="${ENGINE_TEST_PORT:-9251}" ENGINE_HOME="$PWD/var/engine-stage" ENGINE_HEAP=512m
trap 'scripts/engine.sh stop; rm -rf "$ENGINE_HOME"' EXIT
scripts/engine.sh start
SEARCH_URL="http://127.0.0.1:$ENGINE_PORT" scripts/pytest-stage.sh OpenSearch tests/search
