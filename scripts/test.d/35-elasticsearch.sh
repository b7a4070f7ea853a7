#!/usr/bin/env bash
# The search suite on a real Elasticsearch node (7.10.2, the last Apache-2.0 release, from
# Maven Central jars in one JVM) through Wagtail's elasticsearch7 backend: started here,
# stopped on exit. Every search test runs on it and on the database backend.
set -euo pipefail
cd "$(dirname "$0")/../.."
unset DATABASE_URL
# A port and data folder of our own, so a developer's `make engine` and the OpenSearch stage
# are left alone.
export ENGINE=elasticsearch SEARCH_BACKEND=elasticsearch7
export ENGINE_PORT="${ENGINE_ES_TEST_PORT:-9261}" ENGINE_HOME="$PWD/var/engine-es-stage"
export ENGINE_HEAP=512m
trap 'scripts/engine.sh stop; rm -rf "$ENGINE_HOME"' EXIT
scripts/engine.sh start
SEARCH_URL="http://127.0.0.1:$ENGINE_PORT" scripts/pytest-stage.sh Elasticsearch tests/search
