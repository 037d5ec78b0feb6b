#!/usr/bin/env bash
# make bench, workers (issue 15 part 5): one worker against three on one task queue. BENCH_COUNT orders (the full
# OrderWorkflow on PostgreSQL, as the orders section) at BENCH_CONCURRENCY concurrent, driven by
# `orderflow-bench order-load`, on a private in-memory dev server as shipped (port 7521): order-worker beside the
# Temporal Python SDK peer, 1 and 3 processes of the same kind polling one queue, BENCH_RUNS runs alternating
# who goes first. Figures: orders/s, p50/p99 start-to-result, CPU per order summed over the processes (warm-up
# excluded), the largest peak RSS of one process. order-worker's /metrics on 18101-18103. Writes "$BENCH_OUT/workers.md".
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/Benchmarks/lib.sh"
BENCH_DB=orderflow_bench_workers
source "$ROOT/Benchmarks/order_workers.sh"

: "${BENCH_WARMUP:=10}"
PORT=7521
DRIVER="$BENCH_BIN/orderflow-bench"
WORK="$BENCH_OUT/workers"
[ -x "$DRIVER" ] || die "no $DRIVER (build: swift build -c release --static-swift-stdlib --product orderflow-bench)"
rm -rf "$WORK"
mkdir -p "$WORK"

stop_workers() { for file in "$WORK"/worker-*.pid; do [ -f "$file" ] && stop_pidfile "$file" "benchmark worker" >/dev/null; done; rm -f "$WORK"/worker-*.pid; }
cleanup() {
    stop_workers
    bench_temporal_stop workers
}
trap cleanup EXIT

# measure WORKERS RUN IMPL: one run with WORKERS processes of IMPL on one queue; appends
# "per_s p50_ms p99_ms cpu_ms_per_order max_peak_rss_mb" to $WORK/WORKERS-IMPL.
measure() {
    local workers=$1 run=$2 impl=$3
    local queue="bench-workers-$workers-$impl-$run-$$"
    reset_order_database
    local pids=() index
    for index in $(seq 1 "$workers"); do
        launch_order_worker "$impl" "$PORT" "$queue" "$WORK/worker-$index.pid" "$LOGS/bench-workers-$impl-$index.log" \
            $((18100 + index))
        pids+=("$(cat "$WORK/worker-$index.pid")")
    done
    wait_polling "$impl" "$PORT" "$queue" "$LOGS/bench-workers-$impl-1.log" "$workers"
    local -a driver=("$DRIVER" order-load --address "127.0.0.1:$PORT" --task-queue "$queue"
        --product-id "$PRODUCT" --id-prefix "workers-$workers-$impl-$run")
    # Warm-up outside the CPU sample, enough orders that every process has taken some.
    "${driver[@]}" --count $((BENCH_WARMUP * workers)) --concurrency "$BENCH_CONCURRENCY" --warmup 0 >/dev/null \
        || die "warm-up against $workers $impl worker(s) failed; see $LOGS/bench-workers-$impl-*.log"
    cpu_total() { local sum=0 pid; for pid in "${pids[@]}"; do sum=$((sum + $(proc_cpu_ms "$pid"))); done; echo $sum; }
    local cpu_before; cpu_before=$(cpu_total)
    local report
    report=$("${driver[@]}" --count "$BENCH_COUNT" --concurrency "$BENCH_CONCURRENCY" --warmup 0) \
        || die "order-load against $workers $impl worker(s) failed: $report"
    local cpu_after; cpu_after=$(cpu_total)
    local rss; rss=$(for pid in "${pids[@]}"; do proc_peak_rss_mb "$pid"; done | sort -g | tail -1)
    stop_workers
    local figures
    figures=$("$BENCH_PYTHON" -c 'import json, sys; r = json.loads(sys.argv[1]); print(r["per_s"], r["p50_ms"], r["p99_ms"])' "$report")
    echo "$figures $(awk -v c=$((cpu_after - cpu_before)) -v n="$BENCH_COUNT" 'BEGIN { printf "%.2f", c / n }') $rss" \
        >>"$WORK/$workers-$impl"
    say "$workers worker(s) run $run $impl: orders/s p50 p99 cpu-ms/order max-rss-MiB = $(tail -1 "$WORK/$workers-$impl")"
}

prepare_order_database workers
load_start=$(load_average)
bench_temporal_start workers "$PORT"
for run in $(seq 1 "$BENCH_RUNS"); do
    if [ $((run % 2)) -eq 1 ]; then order=(ours python); else order=(python ours); fi
    for workers in 1 3; do
        for impl in "${order[@]}"; do measure "$workers" "$run" "$impl"; done
    done
done
bench_temporal_stop workers

figure() { awk -v col="$3" '{ print $col }' "$WORK/$1-$2" | median; }
row() { echo "| $1 | $2 | $3 | $(ratio "$2" "$3")× |"; }

{
    echo "## Workers: three on one task queue against one"
    echo
    echo "$BENCH_COUNT orders (the full OrderWorkflow on PostgreSQL, as in the orders section) at $BENCH_CONCURRENCY concurrent,"
    echo "\`orderflow-bench order-load\`, on one in-memory dev server as shipped: one worker process, then three"
    echo "processes of the same kind polling the same queue (\`order-worker\` beside the Temporal Python SDK peer),"
    echo "each with a sticky cache of 1000 runs, eager activities and a PostgreSQL pool of $BENCH_POOL_SIZE."
    echo "CPU is user+sys summed over the processes during the measured orders (after $BENCH_WARMUP warm-up orders"
    echo "per process), per order; RSS is the largest peak (VmHWM) of one process. Medians of $BENCH_RUNS runs;"
    echo "ratio = ours / Python. Everything shares this machine's $(nproc) cores: a second or third process adds"
    echo "pollers and caches, not CPUs, so the point is what scaling out costs, not a speed-up."
    echo
    echo "| figure | order-worker | Python SDK | ratio |"
    echo "|---|---:|---:|---:|"
    for workers in 1 3; do
        label="$workers worker"; [ "$workers" -gt 1 ] && label="$workers workers"
        row "orders/s, $label" "$(figure "$workers" ours 1)" "$(figure "$workers" python 1)"
        row "p50 latency (ms), $label" "$(figure "$workers" ours 2)" "$(figure "$workers" python 2)"
        row "p99 latency (ms), $label" "$(figure "$workers" ours 3)" "$(figure "$workers" python 3)"
        row "worker CPU per order (ms, all processes), $label" "$(figure "$workers" ours 4)" "$(figure "$workers" python 4)"
        row "peak RSS of one process (MiB), $label" "$(figure "$workers" ours 5)" "$(figure "$workers" python 5)"
    done
    echo "| throughput 3 ÷ 1 | $(ratio "$(figure 3 ours 1)" "$(figure 1 ours 1)")× | $(ratio "$(figure 3 python 1)" "$(figure 1 python 1)")× | |"
    echo "| CPU per order 3 ÷ 1 | $(ratio "$(figure 3 ours 4)" "$(figure 1 ours 4)")× | $(ratio "$(figure 3 python 4)" "$(figure 1 python 4)")× | |"
    echo
    load_note "$load_start" "$(load_average)"
} >"$BENCH_OUT/workers.md"
cat "$BENCH_OUT/workers.md"
