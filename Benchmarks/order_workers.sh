# The order-worker benchmarks' shared stack (orders.sh, backlog.sh, workers.sh, local-activities.sh): the bench database and the two
# workers under test. Source it after scripts/lib.sh and Benchmarks/lib.sh; it sets BENCH_DB, PRODUCT,
# WORKER_BIN, PEER and defines the functions below.
#
# Both workers run as the orders section runs them: order-worker with FRAUD_SCREEN=off (the four steps the
# Python peer has) and the Python SDK peer Benchmarks/python/order_worker.py, each with a PostgreSQL pool of
# BENCH_POOL_SIZE connections (POSTGRES_POOL_SIZE; default 10, the size the orders section compares; several
# workers share one PostgreSQL) and a sticky cache of 1000 runs (WorkerOptions.maxCachedWorkflows, the peer's
# max_cached_workflows). The caller names its own database in BENCH_DB first: another section (orders) empties
# `orderflow_bench` before each of its runs, which must not hit orders still in flight here.
: "${BENCH_POOL_SIZE:=10}"
: "${BENCH_DB:?set BENCH_DB, the database of the section, before sourcing order_workers.sh}"
PRODUCT=BENCH-001
STOCK=2000000000 # INTEGER column; far more than any run takes
WORKER_BIN="$BENCH_BIN/order-worker"
PEER="$ROOT/Benchmarks/python/order_worker.py"

[ -x "$WORKER_BIN" ] || die "no $WORKER_BIN (build: swift build -c release --static-swift-stdlib --product order-worker)"
"$BENCH_PYTHON" -c 'import psycopg, temporalio' 2>/dev/null || die "the venv lacks psycopg or temporalio: make deps"

# prepare_order_database NAME: creates and migrates $BENCH_DB with a product whose stock never runs out.
prepare_order_database() {
    bench_migrated_database "$BENCH_DB" "$1"
    bench_psql "$BENCH_DB" -c "INSERT INTO products (id, name, price, stock)
        VALUES ('$PRODUCT', 'Benchmark item', 10.00, $STOCK) ON CONFLICT (id) DO NOTHING"
}

# reset_order_database: empty order tables and a full stock, so every run starts alike.
reset_order_database() {
    bench_psql "$BENCH_DB" -c "TRUNCATE orders, notifications CASCADE" \
        -c "UPDATE products SET stock = $STOCK WHERE id = '$PRODUCT'" -c "VACUUM ANALYZE products" >/dev/null
}

# completed_orders: how many orders the database holds as completed.
completed_orders() { bench_psql "$BENCH_DB" -c "SELECT count(*) FROM orders WHERE status = 'completed'"; }

# launch_order_worker ours|python PORT QUEUE PIDFILE LOG METRICS_PORT: starts one worker in the background (no
# wait). order-worker serves /metrics on METRICS_PORT (as shipped, on a port of its own; the peer has none).
launch_order_worker() {
    local impl=$1 port=$2 queue=$3 pidfile=$4 log=$5 metrics_port=$6
    local -a environment=(POSTGRES_DB="$BENCH_DB" TEMPORAL_HOST_PORT="127.0.0.1:$port" TEMPORAL_TASK_QUEUE="$queue"
        POSTGRES_POOL_SIZE="$BENCH_POOL_SIZE" WORKER_METRICS_PORT="$metrics_port" LOG_LEVEL=warning)
    if [ "$impl" = ours ]; then
        env "${environment[@]}" FRAUD_SCREEN=off "$WORKER_BIN" run --no-migrate >"$log" 2>&1 &
    else
        env "${environment[@]}" "$BENCH_PYTHON" "$PEER" >"$log" 2>&1 &
    fi
    echo $! >"$pidfile"
}

# wait_polling IMPL PORT QUEUE LOG [POLLERS]: waits until POLLERS (default 1) workers poll QUEUE.
wait_polling() {
    local impl=$1 port=$2 queue=$3 log=$4 pollers=${5:-1}
    wait_for 60 "$pollers $impl worker(s) on $queue" \
        bash -c "[ \$(\"$TEMPORAL_CLI\" task-queue describe --address 127.0.0.1:$port --task-queue $queue -o json \
                 2>/dev/null | grep -o '\"identity\": *\"[^\"]*\"' | sort -u | wc -l) -ge $pollers ]" >/dev/null \
        || die "the $impl worker did not start polling; see $log"
}
