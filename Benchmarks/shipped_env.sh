# Shared by Benchmarks/shipped.sh and Benchmarks/profile.sh (source it after Benchmarks/lib.sh): the
# configuration `make run` ships, on private servers with the ports of the ui range — Temporal 7530 (Web UI
# 7531), worker metrics 7532, order-api 18110, Redis 6393 — and database `orderflow_shipped` on the shared
# PostgreSQL. A script sourcing it sets WORK (its scratch folder) first and calls shipped_cleanup on exit.
SHIPPED_DB=orderflow_shipped
STOCK=2000000000 # INTEGER column; far more than any run takes
TEMPORAL_PORT_SHIPPED=7530
TEMPORAL_UI_PORT_SHIPPED=7531
METRICS_PORT=7532
API_PORT_SHIPPED=18110
REDIS_PORT_SHIPPED=6393
WORKER_BIN="$BENCH_BIN/order-worker"
API_BIN="$BENCH_BIN/order-api"
PEER="$ROOT/Benchmarks/python/order_worker.py"
DRIVER="$ROOT/Benchmarks/python/api_load.py"
WORKER_PIDFILE="$BENCH_OUT/shipped-worker.pid"
API_PIDFILE="$BENCH_OUT/shipped-api.pid"
REDIS_PIDFILE="$BENCH_OUT/shipped-redis.pid"
TEMPORAL_PIDFILE="$BENCH_OUT/shipped-temporal.pid"

for binary in "$WORKER_BIN" "$API_BIN"; do [ -x "$binary" ] || die "no $binary (make bench builds it)"; done
"$BENCH_PYTHON" -c 'import psycopg, temporalio' 2>/dev/null || die "the venv lacks psycopg or temporalio: make deps"
command -v redis-server >/dev/null || die "redis-server not found; run 'make deps'"
rm -rf "$WORK"
mkdir -p "$WORK"

prepare_database() {
    # As `make run`: the worker migrates, which also adds the sample catalog.
    bench_migrated_database "$SHIPPED_DB" shipped
}

# Every run starts from empty order tables and a stock of the sample products that never runs out.
reset_database() {
    bench_psql "$SHIPPED_DB" -c "TRUNCATE orders, notifications CASCADE" \
        -c "UPDATE products SET stock = $STOCK WHERE id LIKE 'PROD-00_'" -c "VACUUM ANALYZE products" >/dev/null
}

start_servers() {
    say "shipped: redis-server on $REDIS_PORT_SHIPPED, Temporal dev server on $TEMPORAL_PORT_SHIPPED (history on disk)"
    # A server left from an interrupted run would answer the readiness checks below in place of ours.
    local port
    for port in "$REDIS_PORT_SHIPPED" "$TEMPORAL_PORT_SHIPPED"; do
        ! port_busy "$port" \
            || die "port $port is taken (a shipped server left by an interrupted run?); stop what listens there first"
    done
    redis-server --port "$REDIS_PORT_SHIPPED" --bind 127.0.0.1 --save "" --appendonly no \
        >"$LOGS/bench-shipped-redis.log" 2>&1 &
    echo $! >"$REDIS_PIDFILE"
    # The flags of scripts/services.sh (what `make run` uses): history in a SQLite file, the Web UI on.
    rm -f "$WORK/temporal.db"
    "$TEMPORAL_CLI" server start-dev --ip 127.0.0.1 --port "$TEMPORAL_PORT_SHIPPED" \
        --ui-port "$TEMPORAL_UI_PORT_SHIPPED" --db-filename "$WORK/temporal.db" --log-level warn \
        >"$LOGS/bench-shipped-temporal.log" 2>&1 &
    echo $! >"$TEMPORAL_PIDFILE"
    wait_for 30 "shipped redis-server" redis-cli -p "$REDIS_PORT_SHIPPED" ping \
        || die "redis-server did not start; see $LOGS/bench-shipped-redis.log"
    wait_for 60 "shipped Temporal dev server" bash -c "\"$TEMPORAL_CLI\" operator cluster health \
        --address 127.0.0.1:$TEMPORAL_PORT_SHIPPED 2>/dev/null | grep -q SERVING" \
        || die "the Temporal dev server did not start; see $LOGS/bench-shipped-temporal.log"
}

shipped_environment() {
    echo POSTGRES_DB="$SHIPPED_DB" TEMPORAL_HOST_PORT="127.0.0.1:$TEMPORAL_PORT_SHIPPED" TEMPORAL_TASK_QUEUE="$1" \
        REDIS_URL="redis://127.0.0.1:$REDIS_PORT_SHIPPED" WORKER_METRICS_PORT="$METRICS_PORT" WORKER_CPUS="$(quiet_cpu)"
}

# start_worker ours|ours-spread|python QUEUE [SECONDS]: the worker under test, polling QUEUE (waited for up to
# SECONDS), metrics on METRICS_PORT. ours-spread is ours on every CPU (WORKER_CPUS empty). Ours runs under the
# command in WORKER_WRAPPER (an array) when set, e.g. valgrind.
start_worker() {
    local impl=$1 queue=$2 seconds=${3:-60} log="$LOGS/bench-shipped-$1.log"
    # Each worker reads its code from disk, not from what the linker or pip just wrote (drop_page_cache.py says why).
    local drop_page_cache=("$BENCH_PYTHON" "$ROOT/Benchmarks/python/drop_page_cache.py")
    # shellcheck disable=SC2046 # the environment is words
    if [ "$impl" != python ]; then
        "${drop_page_cache[@]}" "$WORKER_BIN"
        local spread=()
        [ "$impl" = ours-spread ] && spread=(WORKER_CPUS=)
        # The peer runs OrderWorkflow as it was before the fraud screen; FRAUD_SCREEN=off is that code path.
        env $(shipped_environment "$queue") FRAUD_SCREEN=off ${spread[@]+"${spread[@]}"} \
            ${WORKER_WRAPPER[@]+"${WORKER_WRAPPER[@]}"} \
            "$WORKER_BIN" run --no-migrate >"$log" 2>&1 &
    else
        "${drop_page_cache[@]}" --python
        env $(shipped_environment "$queue") PEER_METRICS_BIND="127.0.0.1:$METRICS_PORT" \
            "$BENCH_PYTHON" "$PEER" >"$log" 2>&1 &
    fi
    echo $! >"$WORKER_PIDFILE"
    wait_for "$seconds" "$impl worker on $queue" \
        bash -c "\"$TEMPORAL_CLI\" task-queue describe --address 127.0.0.1:$TEMPORAL_PORT_SHIPPED --task-queue $queue \
                 -o json 2>/dev/null | grep -q '\"identity\"'" >/dev/null \
        || die "the $impl worker did not start polling; see $log"
}

# start_api QUEUE: order-api as `make run` starts it (Redis feed and rate limiter on), starting on QUEUE.
start_api() {
    # shellcheck disable=SC2046
    env $(shipped_environment "$1") API_HOST=127.0.0.1 API_PORT="$API_PORT_SHIPPED" \
        RATE_LIMIT_PER_MINUTE=10000000 RATE_LIMIT_BURST=100000 \
        "$API_BIN" >"$LOGS/bench-shipped-api.log" 2>&1 &
    echo $! >"$API_PIDFILE"
    wait_for 60 "order-api on $API_PORT_SHIPPED" curl -fsS "http://127.0.0.1:$API_PORT_SHIPPED/readyz" \
        || die "order-api did not become ready; see $LOGS/bench-shipped-api.log"
}

shipped_cleanup() {
    stop_pidfile "$API_PIDFILE" "benchmark order-api" >/dev/null
    stop_pidfile "$WORKER_PIDFILE" "benchmark order worker" >/dev/null
    stop_pidfile "$TEMPORAL_PIDFILE" "shipped Temporal dev server" >/dev/null
    stop_pidfile "$REDIS_PIDFILE" "shipped redis-server" >/dev/null
}

# metric_sum NAME-REGEX: the sum of the worker's series matching NAME-REGEX (counters and gauges alike).
metric_sum() {
    { curl -fsS "http://127.0.0.1:$METRICS_PORT/metrics" 2>/dev/null || true; } \
        | awk -v pattern="^($1)(\\{| )" '$0 ~ pattern { total += $NF } END { printf "%d\n", total }'
}
