#!/usr/bin/env bash
# run.sh start | stop — the worker and the API in the background (release build), logs under .data/logs/.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
WORKER_PIDFILE="$DATA/order-worker.pid"
API_PIDFILE="$DATA/order-api.pid"
: "${TEMPORAL_UI_URL:=http://localhost:8088}"

ready() { curl -fsS "http://$API_HOST:$API_PORT/readyz" >/dev/null; }

start() {
    local worker api; worker="$(release_bin order-worker)/order-worker" api="$(release_bin order-api)/order-api"
    # The live status feed and the shared rate limiter; an explicitly empty REDIS_URL= turns them off.
    export REDIS_URL="${REDIS_URL-redis://127.0.0.1:${REDIS_PORT:-6379}}"
    # The worker on one CPU, beside the servers it shares the machine with; an empty WORKER_CPUS= lifts it.
    export WORKER_CPUS="${WORKER_CPUS-$(quiet_cpu)}"
    say "migrating $POSTGRES_DB"
    "$worker" migrate >>"$LOGS/migrate.log" 2>&1 || die "migration failed; see $LOGS/migrate.log"
    if pid_alive "$WORKER_PIDFILE"; then
        say "order-worker already running (pid $(cat "$WORKER_PIDFILE"))"
    else
        nohup "$worker" run >>"$LOGS/order-worker.log" 2>&1 </dev/null &
        echo $! >"$WORKER_PIDFILE"
        say "order-worker started (pid $!, log $LOGS/order-worker.log)"
    fi
    if pid_alive "$API_PIDFILE"; then
        say "order-api already running (pid $(cat "$API_PIDFILE"))"
    else
        nohup "$api" >>"$LOGS/order-api.log" 2>&1 </dev/null &
        echo $! >"$API_PIDFILE"
        say "order-api started (pid $!, log $LOGS/order-api.log)"
    fi
    wait_for 90 "order-api /readyz" ready || die "order-api did not become ready; see $LOGS/order-api.log and $LOGS/order-worker.log"
    cat <<URLS

OrderFlow is running:
  Web page          http://$API_HOST:$API_PORT/
  REST API          http://$API_HOST:$API_PORT/api/orders
  OpenAPI document  http://$API_HOST:$API_PORT/openapi.yaml
  API metrics       http://$API_HOST:$API_PORT/metrics  (health: /healthz, /readyz)
  Worker metrics    http://${WORKER_METRICS_HOST:-127.0.0.1}:${WORKER_METRICS_PORT:-9464}/metrics  (health: /healthz, /readyz)
  Temporal Web UI   $TEMPORAL_UI_URL
Stop everything with: make stop
URLS
}

stop() {
    stop_pidfile "$API_PIDFILE" "order-api"
    stop_pidfile "$WORKER_PIDFILE" "order-worker"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) die "usage: $0 start|stop" ;;
esac
