#!/usr/bin/env bash
# make bench, backlog (issue 15 part 5): a worker that was down comes back to a backlog. For each size in
# BENCH_BACKLOG_SIZES, N OrderWorkflows (the full order on PostgreSQL, as the orders section) are started while
# no worker polls, then ONE worker starts and drains them: order-worker beside the Temporal Python SDK peer,
# each on a fresh private dev server (port 7520, in-memory, as shipped), alternating who goes first.
# Figures per run, from the server's timestamps (Benchmarks/python/backlog_driver.py):
#   drain rate   N / (last close − worker launch);
#   wait p50/p99 worker launch → each order's close (what a backlogged customer waits once the worker is back);
#   service p99  first workflow task started → close, on a sample of 200 orders (how long an order takes once
#                taken: it grows when a worker takes more runs than it keeps cached and replays them);
#   worker CPU per order (user+sys from launch to drain) and peak RSS (VmHWM), which must stay flat as N grows
#   because both sticky caches hold at most 1000 runs and evict the least recently used (order-worker takes a
#   new run only when its cache has room: TemporalBridge's WorkflowCache.admitNewRun).
# Sizes: BENCH_BACKLOG_SIZES (default "2000 5000 10000"; when unset and BENCH_COUNT < 1000, CI's small run,
# "BENCH_COUNT/2 BENCH_COUNT"), BENCH_BACKLOG_RUNS runs per size (default 1: a 10k drain takes minutes);
# BENCH_BACKLOG_UNTIL (epoch seconds, optional): no size starts after it, the report lists those left out;
# BENCH_BACKLOG_REPORT_ONLY=1 measures nothing and writes the report from the figures a run interrupted after
# some sizes left in "$BENCH_OUT/backlog" (a worker without figures for a size shows "—").
# Writes "$BENCH_OUT/backlog.md".
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/Benchmarks/lib.sh"
BENCH_DB=orderflow_bench_backlog
source "$ROOT/Benchmarks/order_workers.sh"

if [ -z "${BENCH_BACKLOG_SIZES:-}" ]; then
    if [ "$BENCH_COUNT" -lt 1000 ]; then BENCH_BACKLOG_SIZES="$((BENCH_COUNT / 2)) $BENCH_COUNT"; else BENCH_BACKLOG_SIZES="2000 5000 10000"; fi
fi
: "${BENCH_BACKLOG_RUNS:=1}"
PORT=7520
METRICS_PORT=18100 # order-worker's /metrics: its sticky cache's size and misses while it drains
DRIVER_PY="$ROOT/Benchmarks/python/backlog_driver.py"
WORK="$BENCH_OUT/backlog"
PIDFILE="$BENCH_OUT/backlog-worker.pid"
[ "${BENCH_BACKLOG_REPORT_ONLY:-0}" = 1 ] || rm -rf "$WORK"
mkdir -p "$WORK"

cleanup() {
    stop_pidfile "$PIDFILE" "backlog worker" >/dev/null
    bench_temporal_stop backlog
}
trap cleanup EXIT

# measure SIZE RUN IMPL: one backlog of SIZE drained by IMPL; appends
# "per_s wait_p50_s wait_p99_s service_p50_ms service_p99_ms cpu_ms_per_order peak_rss_mb drain_s" to $WORK/SIZE-IMPL.
measure() {
    local size=$1 run=$2 impl=$3
    local queue="bench-backlog-$size-$impl-$run-$$" log="$LOGS/bench-backlog-$impl.log"
    local -a driver=("$BENCH_PYTHON" "$DRIVER_PY" --address "127.0.0.1:$PORT" --task-queue "$queue" --count "$size")
    reset_order_database
    bench_temporal_start backlog "$PORT"
    local started
    started=$("${driver[@]}" start --concurrency "$BENCH_CONCURRENCY" --id-prefix "$queue") \
        || die "starting the backlog of $size failed"
    say "backlog $size run $run $impl: started $started; launching the worker"
    local since; since=$(date +%s.%N)
    launch_order_worker "$impl" "$PORT" "$queue" "$PIDFILE" "$log" "$METRICS_PORT"
    local pid; pid=$(cat "$PIDFILE")
    local sampler=""
    if [ "$impl" = ours ]; then
        # The cache's size every second (the gauge is the count after each task): it must stop at 1000.
        : >"$WORK/cache-$size-$run"
        while kill -0 "$pid" 2>/dev/null; do
            { curl -fsS "http://127.0.0.1:$METRICS_PORT/metrics" 2>/dev/null \
                | awk '/^temporal_sticky_cache_size[{ ]/ { print $NF }' >>"$WORK/cache-$size-$run"; } || true
            sleep 1
        done &
        sampler=$!
    fi
    local report
    report=$("${driver[@]}" drain --since "$since" --timeout $((600 + size / 5))) \
        || die "the $impl worker did not drain the backlog of $size: $report (see $log)"
    local cpu rss; cpu=$(proc_cpu_ms "$pid"); rss=$(proc_peak_rss_mb "$pid")
    if [ -n "$sampler" ]; then
        local misses
        misses=$(curl -fsS "http://127.0.0.1:$METRICS_PORT/metrics" 2>/dev/null \
            | awk '/^temporal_sticky_cache_miss[{ ]/ { sum += $NF } END { printf "%d", sum }') || misses="n/a"
        kill "$sampler" 2>/dev/null || true
        wait "$sampler" 2>/dev/null || true
        echo "$(sort -g "$WORK/cache-$size-$run" | tail -1 | grep . || echo n/a) ${misses:-0}" >>"$WORK/cache-$size"
        say "backlog $size run $run ours: largest sticky cache sampled, cache misses (replays) = $(tail -1 "$WORK/cache-$size")"
    fi
    stop_pidfile "$PIDFILE" "$impl worker" >/dev/null
    bench_temporal_stop backlog
    local completed; completed=$(completed_orders)
    [ "$completed" -eq "$size" ] || die "the $impl worker completed $completed of $size orders in PostgreSQL: $report"
    local figures
    figures=$("$BENCH_PYTHON" -c 'import json, sys
r = json.loads(sys.argv[1])
assert r["completed"] == r["count"] == int(sys.argv[2]), f"not every workflow completed: {r}"
print(r["per_s"], r["wait_p50_s"], r["wait_p99_s"], r["service_p50_ms"], r["service_p99_ms"], r["drain_s"])' \
        "$report" "$size") || die "backlog $size $impl: $report"
    set -- $figures
    echo "$1 $2 $3 $4 $5 $(awk -v c="$cpu" -v n="$size" 'BEGIN { printf "%.2f", c / n }') $rss $6" >>"$WORK/$size-$impl"
    say "backlog $size run $run $impl: orders/s wait-p50-s wait-p99-s service-p50-ms service-p99-ms cpu-ms/order rss-MiB drain-s = $(tail -1 "$WORK/$size-$impl")"
}

measured=""
if [ "${BENCH_BACKLOG_REPORT_ONLY:-0}" = 1 ]; then
    load_start=$(load_average)
    for size in $BENCH_BACKLOG_SIZES; do
        [ -s "$WORK/$size-ours" ] || [ -s "$WORK/$size-python" ] && measured="$measured $size"
    done
else
    prepare_order_database backlog
    load_start=$(load_average)
    for size in $BENCH_BACKLOG_SIZES; do
        if [ -n "${BENCH_BACKLOG_UNTIL:-}" ] && [ "$(date +%s)" -ge "$BENCH_BACKLOG_UNTIL" ]; then
            say "backlog: no time left for $size (BENCH_BACKLOG_UNTIL)"
            continue
        fi
        measured="$measured $size"
        for run in $(seq 1 "$BENCH_BACKLOG_RUNS"); do
            if [ $((run % 2)) -eq 1 ]; then order=(ours python); else order=(python ours); fi
            for impl in "${order[@]}"; do measure "$size" "$run" "$impl"; done
        done
    done
fi

# figure SIZE IMPL COLUMN: the median of one column over the runs.
figure() { if [ -s "$WORK/$1-$2" ]; then awk -v col="$3" '{ print $col }' "$WORK/$1-$2" | median; else echo "—"; fi; }

{
    echo "## Backlog: one worker drains orders that waited for it"
    echo
    echo "N orders (the full OrderWorkflow on PostgreSQL, as in the orders section, started $BENCH_CONCURRENCY at a time"
    echo "while no worker polled), then one worker launched: \`order-worker\` beside the Temporal Python SDK peer"
    echo "(\`Benchmarks/python/order_worker.py\`), each on a fresh in-memory dev server as shipped, both with a sticky"
    echo "cache of 1000 runs, eager activities, and a PostgreSQL pool of $BENCH_POOL_SIZE. Times are the server's:"
    echo "**drain** is N ÷ (last close − worker launch), the worker's start-up included; **wait** is worker launch →"
    echo "an order's close; **service** is an order's first workflow task started → its close, on a sample of 200"
    echo "orders (it grows when a worker takes on more runs than it can finish and keep cached). CPU is the worker's"
    echo "user+sys from launch to the last close, per order; RSS its peak (VmHWM). $(
        [ "$BENCH_BACKLOG_RUNS" -gt 1 ] && echo "Medians of $BENCH_BACKLOG_RUNS runs." || echo "One run per size.")"
    echo
    echo "| orders waiting | figure | order-worker | Python SDK | ratio |"
    echo "|---:|---|---:|---:|---:|"
    for size in $measured; do
        row() { echo "| $size | $1 | $2 | $3 | $(ratio "$2" "$3")× |"; }
        row "drain (orders/s)" "$(figure "$size" ours 1)" "$(figure "$size" python 1)"
        row "wait p50 (s)" "$(figure "$size" ours 2)" "$(figure "$size" python 2)"
        row "wait p99 (s)" "$(figure "$size" ours 3)" "$(figure "$size" python 3)"
        row "service p50 (ms)" "$(figure "$size" ours 4)" "$(figure "$size" python 4)"
        row "service p99 (ms)" "$(figure "$size" ours 5)" "$(figure "$size" python 5)"
        row "worker CPU per order (ms)" "$(figure "$size" ours 6)" "$(figure "$size" python 6)"
        row "worker peak RSS (MiB)" "$(figure "$size" ours 7)" "$(figure "$size" python 7)"
        cache=—; misses=—
        if [ -s "$WORK/cache-$size" ]; then
            cache=$(awk '{ print $1 }' "$WORK/cache-$size" | median); misses=$(awk '{ print $2 }' "$WORK/cache-$size" | median)
        fi
        echo "| $size | order-worker's largest sticky cache sampled (runs); cache misses replayed | $cache; $misses | | |"
    done
    echo
    echo "Each worker caches at most 1000 runs and evicts the least recently used: below that, RSS grows with the runs"
    echo "a worker has taken on (order-worker's largest cache sampled is in the table); beyond it, RSS must stay flat"
    echo "however long the backlog, and only time grows with N. order-worker takes a new run only when its cache has"
    echo "room for it (or its least recently used run has been idle over 10 s), so it does not evict runs in flight"
    echo "and replay them: its cache misses replayed should stay near 0."
    left_out=$(for size in $BENCH_BACKLOG_SIZES; do [[ " $measured " == *" $size "* ]] || printf '%s ' "$size"; done)
    [ -z "$left_out" ] || { echo; echo "Not measured in this run (out of time): ${left_out% }."; }
    echo
    load_note "$load_start" "$(load_average)"
} >"$BENCH_OUT/backlog.md"
cat "$BENCH_OUT/backlog.md"
