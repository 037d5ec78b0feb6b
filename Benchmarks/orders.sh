#!/usr/bin/env bash
# Benchmark of the order worker (issue 5): the full OrderWorkflow (CreateOrder → CheckInventory →
# ProcessPayment → SendNotification on PostgreSQL) on `order-worker` beside the Temporal Python SDK peer
# Benchmarks/python/order_worker.py (same workflow, same SQL, same retry policy, same database), driven by
# `orderflow-bench order-load` against private dev servers, both with sticky cache and eager activities on:
#   - BENCH_COUNT orders at BENCH_CONCURRENCY concurrent on a default dev server (port 7304):
#     orders/s, p50/p99 start-to-result latency, worker CPU ms per order, worker peak RSS;
#   - BENCH_SINGLE_COUNT orders one at a time on a server with its task pacing lifted (port 7305):
#     single-order p50/p99 latency.
# Each configuration runs BENCH_RUNS times, ours and Python alternating (and swapping who goes first);
# the table reports medians and writes "$BENCH_OUT/orders.md". The two workers never run at once and
# never share a task queue. Database: `orderflow_bench` on the shared PostgreSQL, created and migrated
# here, with a bench product whose stock never runs out; emptied of orders before every run.
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/Benchmarks/lib.sh"

: "${BENCH_SINGLE_COUNT:=$((BENCH_COUNT < 200 ? BENCH_COUNT : 200))}"
: "${BENCH_WARMUP:=10}"
BENCH_DB=orderflow_bench
source "$ROOT/Benchmarks/order_workers.sh" # PRODUCT, STOCK, WORKER_BIN, PEER, the database
LOAD_PORT=7304
FAST_PORT=7305
DRIVER="$BENCH_BIN/orderflow-bench"
WORK="$BENCH_OUT/orders"
WORKER_PIDFILE="$BENCH_OUT/orders-worker.pid"

[ -x "$DRIVER" ] || die "no $DRIVER (build: swift build -c release --static-swift-stdlib --product orderflow-bench)"
rm -rf "$WORK"
mkdir -p "$WORK"

cleanup() {
    stop_pidfile "$WORKER_PIDFILE" "benchmark order worker" >/dev/null
    bench_temporal_stop orders
    bench_temporal_stop orders-fast
}
trap cleanup EXIT

# start_worker ours|python PORT QUEUE: starts the worker under test in the background and waits until it
# polls QUEUE.
start_worker() {
    local impl=$1 port=$2 queue=$3 log="$LOGS/bench-orders-$1.log"
    local -a environment=(POSTGRES_DB="$BENCH_DB" TEMPORAL_HOST_PORT="127.0.0.1:$port" TEMPORAL_TASK_QUEUE="$queue")
    if [ "$impl" = ours ]; then
        # The Python peer runs OrderWorkflow as it was before the fraud screen: so does ours, so both
        # do the same four steps (FRAUD_SCREEN=off is that code path exactly).
        env "${environment[@]}" FRAUD_SCREEN=off "$WORKER_BIN" run --no-migrate >"$log" 2>&1 &
    else
        env "${environment[@]}" "$BENCH_PYTHON" "$PEER" >"$log" 2>&1 &
    fi
    echo $! >"$WORKER_PIDFILE"
    wait_for 60 "$impl worker on $queue" \
        bash -c "\"$TEMPORAL_CLI\" task-queue describe --address 127.0.0.1:$port --task-queue $queue -o json 2>/dev/null \
                 | grep -q '\"identity\"'" >/dev/null \
        || die "the $impl worker did not start polling; see $log"
}

# measure CONFIG PORT COUNT CONCURRENCY RUN IMPL: one measured run; appends
# "per_s p50_ms p99_ms cpu_ms_per_order peak_rss_mb" to $WORK/CONFIG-IMPL.
measure() {
    local config=$1 port=$2 count=$3 concurrency=$4 run=$5 impl=$6
    local queue="bench-orders-$config-$impl-$run-$$"
    reset_order_database
    start_worker "$impl" "$port" "$queue"
    local pid; pid=$(cat "$WORKER_PIDFILE")
    local -a driver=("$DRIVER" order-load --address "127.0.0.1:$port" --task-queue "$queue"
        --product-id "$PRODUCT" --id-prefix "$config-$impl-$run")
    # Warm-up outside the CPU sample: connections, caches, the peer's lazy imports.
    "${driver[@]}" --count "$BENCH_WARMUP" --concurrency "$concurrency" --warmup 0 >/dev/null \
        || die "warm-up against the $impl worker failed; see $LOGS/bench-orders-$impl.log"
    local cpu_before; cpu_before=$(proc_cpu_ms "$pid")
    local report
    report=$("${driver[@]}" --count "$count" --concurrency "$concurrency" --warmup 0) \
        || die "order-load against the $impl worker failed: $report"
    local cpu_after rss; cpu_after=$(proc_cpu_ms "$pid"); rss=$(proc_peak_rss_mb "$pid")
    stop_pidfile "$WORKER_PIDFILE" "$impl worker" >/dev/null
    local figures
    figures=$("$BENCH_PYTHON" -c 'import json, sys; r = json.loads(sys.argv[1]); print(r["per_s"], r["p50_ms"], r["p99_ms"])' "$report")
    echo "$figures $(awk -v c=$((cpu_after - cpu_before)) -v n="$count" 'BEGIN { printf "%.2f", c / n }') $rss" \
        >>"$WORK/$config-$impl"
    say "$config run $run $impl: orders/s p50 p99 cpu-ms/order rss-MiB = $(tail -1 "$WORK/$config-$impl")"
}

# run_config CONFIG PORT COUNT CONCURRENCY: BENCH_RUNS runs of both workers, alternating who goes first.
run_config() {
    local config=$1 port=$2 count=$3 concurrency=$4
    for run in $(seq 1 "$BENCH_RUNS"); do
        if [ $((run % 2)) -eq 1 ]; then order=(ours python); else order=(python ours); fi
        for impl in "${order[@]}"; do measure "$config" "$port" "$count" "$concurrency" "$run" "$impl"; done
    done
}

# figure CONFIG IMPL COLUMN: the median of one column over the runs.
figure() { awk -v col="$3" '{ print $col }' "$WORK/$1-$2" | median; }

prepare_order_database orders

say "orders: $BENCH_COUNT at $BENCH_CONCURRENCY concurrent on a default dev server (:$LOAD_PORT)"
bench_temporal_start orders "$LOAD_PORT"
run_config load "$LOAD_PORT" "$BENCH_COUNT" "$BENCH_CONCURRENCY"
bench_temporal_stop orders

say "orders: $BENCH_SINGLE_COUNT one at a time, task pacing lifted (:$FAST_PORT)"
bench_temporal_start orders-fast "$FAST_PORT" --dynamic-config-value history.transferProcessorMaxPollRPS=1000
run_config single "$FAST_PORT" "$BENCH_SINGLE_COUNT" 1
bench_temporal_stop orders-fast

# row LABEL OURS PYTHON DIGITS TARGET-COMPARISON(le|ge|-) TARGET
row() {
    local label=$1 ours=$2 python=$3 digits=$4 comparison=$5 target=$6
    local r; r=$(ratio "$ours" "$python" "$digits")
    local verdict=""
    if [ "$comparison" != - ]; then
        if [ "$r" = n/a ]; then
            verdict="n/a"
        elif awk -v r="$r" -v t="$target" -v c="$comparison" 'BEGIN { exit !((c == "le") ? r <= t : r >= t) }'; then
            verdict="met"
        else
            verdict="**missed**"
        fi
        local sign="≤"; [ "$comparison" = ge ] && sign="≥"
        echo "| $label | $ours | $python | $r× | $sign $target× | $verdict |"
    else
        echo "| $label | $ours | $python | $r× | | |"
    fi
}

{
    echo "## Orders: the full order workflow on PostgreSQL"
    echo
    echo "\`order-worker\` (release build) beside a Temporal Python SDK worker running the same OrderWorkflow"
    echo "(\`Benchmarks/python/order_worker.py\`: same activities, SQL statements and transactions, retry policy"
    echo "and PostgreSQL pool size of 10, psycopg 3), on database \`$BENCH_DB\`, driven by"
    echo "\`orderflow-bench order-load\` with the JSON input of docs/workflow.md. Sticky cache and eager activities on for both."
    echo "Load: $BENCH_COUNT orders at $BENCH_CONCURRENCY concurrent on a default dev server. Single order:"
    echo "$BENCH_SINGLE_COUNT orders one at a time on a server started with"
    echo "\`--dynamic-config-value history.transferProcessorMaxPollRPS=1000\`. Worker CPU is user+sys of the worker"
    echo "process during the measured orders (after $BENCH_WARMUP warm-up orders); RSS is its peak (VmHWM)."
    echo "Medians of $BENCH_RUNS runs; ratio = ours / Python."
    echo
    echo "| figure | order-worker | Python SDK | ratio | target | |"
    echo "|---|---:|---:|---:|---:|---|"
    row "orders/s at $BENCH_CONCURRENCY concurrent" "$(figure load ours 1)" "$(figure load python 1)" 2 ge 1.45
    row "p50 latency at $BENCH_CONCURRENCY concurrent (ms)" "$(figure load ours 2)" "$(figure load python 2)" 2 - -
    row "p99 latency at $BENCH_CONCURRENCY concurrent (ms)" "$(figure load ours 3)" "$(figure load python 3)" 2 - -
    row "worker CPU per order (ms)" "$(figure load ours 4)" "$(figure load python 4)" 2 le 0.25
    row "worker peak RSS (MiB)" "$(figure load ours 5)" "$(figure load python 5)" 2 - -
    row "single-order p50 latency (ms, pacing lifted)" "$(figure single ours 2)" "$(figure single python 2)" 2 le 0.6
    row "single-order p99 latency (ms, pacing lifted)" "$(figure single ours 3)" "$(figure single python 3)" 2 - -
    echo
    echo "Targets are issue 4's ratios (the TemporalBridge worker benchmark): CPU ≤ 1/4 of Python's,"
    echo "throughput ≥ 1.45×, single-order p50 ≤ 0.6×."
} >"$BENCH_OUT/orders.md"
cat "$BENCH_OUT/orders.md"
