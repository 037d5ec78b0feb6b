#!/usr/bin/env bash
# A real Prometheus (Debian's `prometheus`) scrapes a running order-worker and order-api, and the
# scrape is checked through Prometheus's HTTP query API: temporal_workflow_completed rises by the
# number of orders completed, histogram_quantile over temporal_activity_execution_latency gives a
# number, and every series of the worker's metrics reference is there.
#
#   bash Tests/prometheus/run.sh [BIN_DIR]     BIN_DIR holds order-api and order-worker (default .build/debug)
#
# Runs on the shared PostgreSQL and Temporal, in a private database and task queue, on private ports:
#   PROM_TEST_PROMETHEUS_PORT (9591), PROM_TEST_WORKER_METRICS_PORT (9471), PROM_TEST_API_PORT (7451);
#   PROM_TEST_ORDERS (5). Artifacts (logs, prometheus.yml, the worker's last scrape): test-output/prometheus/.
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$ROOT"

BIN_DIR="$(cd "${1:-.build/debug}" && pwd)" || die "binaries folder ${1:-.build/debug} not found"
for exe in order-api order-worker; do
    [ -x "$BIN_DIR/$exe" ] || die "$BIN_DIR/$exe is missing (build first: swift build)"
done
command -v prometheus >/dev/null || die "prometheus is not installed (make deps installs Debian's prometheus)"
PYTHON="$VENV/bin/python"
[ -x "$PYTHON" ] || die "the test venv is missing (make deps)"

OUT="$ROOT/test-output/prometheus"
rm -rf "$OUT"
mkdir -p "$OUT/tsdb"
RUN_ID="$(date +%s)-$$"
PROM_PORT="${PROM_TEST_PROMETHEUS_PORT:-9591}"
METRICS_PORT="${PROM_TEST_WORKER_METRICS_PORT:-9471}"
API_PORT="${PROM_TEST_API_PORT:-7451}"

export POSTGRES_DB="orderflow_prom_${RUN_ID//-/_}"
export TEMPORAL_TASK_QUEUE="prometheus-$RUN_ID"
export API_HOST=127.0.0.1 API_PORT WORKER_METRICS_HOST=127.0.0.1 WORKER_METRICS_PORT="$METRICS_PORT"
export LOG_LEVEL="${LOG_LEVEL:-info}" RATE_LIMIT_PER_MINUTE=0
unset REDIS_URL

psql_admin() {
    PGPASSWORD="$POSTGRES_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" \
        -U "$POSTGRES_USER" -d postgres "$@"
}

WORKER_PID="$OUT/order-worker.pid"
API_PID="$OUT/order-api.pid"
PROM_PID="$OUT/prometheus.pid"
cleanup() {
    stop_pidfile "$PROM_PID" "prometheus"
    stop_pidfile "$API_PID" "order-api"
    stop_pidfile "$WORKER_PID" "order-worker"
    psql_admin -c "DROP DATABASE IF EXISTS \"$POSTGRES_DB\" WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

say "prometheus test: database $POSTGRES_DB, task queue $TEMPORAL_TASK_QUEUE"
psql_admin -c "CREATE DATABASE \"$POSTGRES_DB\"" >/dev/null || die "cannot create database $POSTGRES_DB"

"$BIN_DIR/order-worker" run >"$OUT/order-worker.log" 2>&1 &
echo $! >"$WORKER_PID"
wait_for 90 "order-worker /readyz" curl -fsS "http://127.0.0.1:$METRICS_PORT/readyz" \
    || die "order-worker did not become ready on :$METRICS_PORT; see $OUT/order-worker.log"
"$BIN_DIR/order-api" >"$OUT/order-api.log" 2>&1 &
echo $! >"$API_PID"
wait_for 90 "order-api /readyz" curl -fsS "http://127.0.0.1:$API_PORT/readyz" \
    || die "order-api did not become ready on :$API_PORT; see $OUT/order-api.log"

cat >"$OUT/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: order-worker
    static_configs: [{ targets: ["127.0.0.1:$METRICS_PORT"] }]
  - job_name: order-api
    static_configs: [{ targets: ["127.0.0.1:$API_PORT"] }]
YAML
prometheus --config.file="$OUT/prometheus.yml" --storage.tsdb.path="$OUT/tsdb" \
    --web.listen-address="127.0.0.1:$PROM_PORT" >"$OUT/prometheus.log" 2>&1 &
echo $! >"$PROM_PID"
wait_for 60 "prometheus" curl -fsS "http://127.0.0.1:$PROM_PORT/-/ready" \
    || die "prometheus did not start on :$PROM_PORT; see $OUT/prometheus.log"

PROMETHEUS_URL="http://127.0.0.1:$PROM_PORT" API_URL="http://127.0.0.1:$API_PORT" \
    WORKER_METRICS_URL="http://127.0.0.1:$METRICS_PORT" OUT="$OUT" ORDERS="${PROM_TEST_ORDERS:-5}" \
    "$PYTHON" Tests/prometheus/scrape_check.py
