#!/usr/bin/env bash
# Benchmark of the configuration `make run` ships (issue 18): the API in front (orders created with
# `POST /api/orders`), multi-item orders (1-3 items over the five sample products), the Redis status feed on,
# the Temporal dev server started with `make run`'s flags (history on disk, Web UI on). `order-worker` and the
# Python SDK peer (Benchmarks/python/order_worker.py, publishing to the feed as ours does) take turns on the
# same servers, ours and Python alternating (and swapping who goes first), BENCH_RUNS runs each:
#   - BENCH_COUNT orders at BENCH_CONCURRENCY in flight (Benchmarks/python/api_load.py: the order is done
#     when `completed` is announced on the feed): orders/s, latency, worker CPU per order, Temporal server
#     CPU per order, the worker's RPCs per order (its temporal_request + temporal_long_request counters),
#     workflow tasks and history events per order (histories of a sample), worker peak RSS;
#   - a burst of BENCH_BURST orders created at once and then awaited (in the first BENCH_BURST_RUNS runs):
#     the worker's peak RSS with that many runs cached (peak temporal_sticky_cache_size reported beside it).
# Private servers, ports of the ui range: Temporal 7530 (UI 7531), worker metrics 7532, API 18110, Redis 6393;
# database `orderflow_shipped` on the shared PostgreSQL. Writes "$BENCH_OUT/shipped.md".
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/Benchmarks/lib.sh"

# Warm-up at full concurrency: the first time that many orders run at once, the worker's PostgreSQL pool opens
# connections (SCRAM key derivation, ~10 ms CPU each), a start-up cost the peer pays before its first order.
: "${BENCH_SHIPPED_WARMUP:=$((BENCH_COUNT < BENCH_CONCURRENCY ? BENCH_COUNT : BENCH_CONCURRENCY))}"
: "${BENCH_BURST:=$((BENCH_COUNT >= 100 ? 1000 : BENCH_COUNT))}"
: "${BENCH_BURST_RUNS:=$BENCH_RUNS}"
: "${BENCH_HISTORY_SAMPLE:=10}"
WORK="$BENCH_OUT/shipped"
source "$ROOT/Benchmarks/shipped_env.sh"
trap shipped_cleanup EXIT

# proc_sys_ms PID: the part of proc_cpu_ms spent in the kernel (sys).
proc_sys_ms() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print int($13 * 1000 / hz) }' "/proc/$1/stat"; }
worker_rpcs() { metric_sum 'temporal_request|temporal_request_total|temporal_long_request|temporal_long_request_total'; }

# measure RUN IMPL: one run; appends "per_s p50 p99 cpu_ms server_cpu_ms rpcs tasks events rss burst_rss cached
# sys_ms"
# to $WORK/IMPL.
measure() {
    local run=$1 impl=$2
    local queue="bench-shipped-$impl-$run-$$"
    reset_database
    start_worker "$impl" "$queue"
    start_api "$queue"
    local pid server; pid=$(cat "$WORKER_PIDFILE"); server=$(cat "$TEMPORAL_PIDFILE")
    local -a driver=("$BENCH_PYTHON" "$DRIVER" --api "127.0.0.1:$API_PORT_SHIPPED"
        --redis "127.0.0.1:$REDIS_PORT_SHIPPED" --temporal "127.0.0.1:$TEMPORAL_PORT_SHIPPED")
    "${driver[@]}" --count "$BENCH_SHIPPED_WARMUP" --concurrency "$BENCH_CONCURRENCY" --id-prefix "warm-$impl-$run" \
        >"$WORK/warmup-$impl-$run.json" \
        || die "warm-up against the $impl worker failed: $(cat "$WORK/warmup-$impl-$run.json")"
    local cpu_before server_before rpcs_before
    cpu_before=$(proc_cpu_ms "$pid"); server_before=$(proc_cpu_ms "$server"); rpcs_before=$(worker_rpcs)
    local sys_before; sys_before=$(proc_sys_ms "$pid")
    local report
    report=$("${driver[@]}" --count "$BENCH_COUNT" --concurrency "$BENCH_CONCURRENCY" \
        --history-sample "$BENCH_HISTORY_SAMPLE" --id-prefix "load-$impl-$run") \
        || die "the load against the $impl worker failed: $report"
    local cpu_after server_after rpcs_after rss
    cpu_after=$(proc_cpu_ms "$pid"); server_after=$(proc_cpu_ms "$server"); rpcs_after=$(worker_rpcs)
    local sys_after; sys_after=$(proc_sys_ms "$pid")
    rss=$(proc_peak_rss_mb "$pid")
    local burst_rss=- cached=-
    if [ "$run" -le "$BENCH_BURST_RUNS" ] && [ "$impl" != ours-spread ]; then
        # The cache's size, sampled while the burst runs: the most runs the worker held at once.
        ( while kill -0 "$pid" 2>/dev/null; do metric_sum temporal_sticky_cache_size; sleep 0.5; done ) \
            >"$WORK/cache-$impl-$run" 2>/dev/null &
        local sampler=$!
        local burst
        burst=$("${driver[@]}" --burst --count "$BENCH_BURST" --concurrency "$BENCH_CONCURRENCY" \
            --id-prefix "burst-$impl-$run") || die "the burst against the $impl worker failed: $burst"
        kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
        burst_rss=$(proc_peak_rss_mb "$pid")
        cached=$(sort -g "$WORK/cache-$impl-$run" | tail -1)
    fi
    # Where the resident memory is, by mapping (the executable, each shared library, anonymous memory).
    awk '/^[0-9a-f]+-[0-9a-f]+ / { n = split($6, p, "/"); name = (NF >= 6) ? p[n] : "[anonymous]" }
         /^Rss:/ { rss[name] += $2 } END { for (m in rss) printf "%d %s\n", rss[m], m }' "/proc/$pid/smaps" \
        | sort -rn >"$WORK/smaps-$impl-$run"
    if [ "$impl" = ours ]; then
        "$BENCH_PYTHON" "$ROOT/Benchmarks/python/resident_sections.py" "$pid" "$(readlink -f "/proc/$pid/exe")" \
            >"$WORK/sections-$impl-$run" 2>/dev/null || true
    fi
    stop_pidfile "$API_PIDFILE" "order-api" >/dev/null
    stop_pidfile "$WORKER_PIDFILE" "$impl worker" >/dev/null
    "$BENCH_PYTHON" - "$report" "$BENCH_COUNT" $((cpu_after - cpu_before)) $((server_after - server_before)) \
        $((rpcs_after - rpcs_before)) "$rss" "$burst_rss" "${cached:--}" $((sys_after - sys_before)) \
        >>"$WORK/$impl" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); n = int(sys.argv[2])
cpu, server, rpcs = (int(v) / n for v in sys.argv[3:6])
print(r["per_s"], r["p50_ms"], r["p99_ms"], f"{cpu:.2f}", f"{server:.2f}", f"{rpcs:.1f}",
      r.get("workflow_tasks_per_order", "-"), r.get("history_events_per_order", "-"), *sys.argv[6:9],
      f"{int(sys.argv[9]) / n:.2f}")
PY
    say "shipped run $run $impl: orders/s p50 p99 cpu-ms server-cpu-ms rpcs tasks events rss burst-rss cached sys-ms =" \
        "$(tail -1 "$WORK/$impl")"
}

# figure IMPL COLUMN: the median of one column over the runs that have it.
figure() { awk -v col="$2" '$col != "-" { print $col }' "$WORK/$1" | median || echo "-"; }

row() { # row LABEL COLUMN [DIGITS] [TARGET]; ours is ROW_OURS's figure when set (ours-spread)
    local ours python r
    ours=$(figure "${ROW_OURS:-ours}" "$2"); python=$(figure python "$2"); r=$(ratio "$ours" "$python" "${3:-2}")
    [ "$r" = n/a ] || r="$r×"
    echo "| $1 | $ours | $python | $r | ${4:-} |"
}

prepare_database
start_servers
for run in $(seq 1 "$BENCH_RUNS"); do
    if [ $((run % 2)) -eq 1 ]; then order=(ours python ours-spread); else order=(ours-spread python ours); fi
    for impl in "${order[@]}"; do measure "$run" "$impl"; done
done

{
    echo "## Orders (as shipped): API in front, multi-item orders, Redis feed, history on disk"
    echo
    echo "The configuration \`make run\` starts: orders created through \`POST /api/orders\` (\`order-api\`, release,"
    echo "its Redis rate limiter and status feed on), 1–3 items each over the five sample products, the Redis"
    echo "status feed on, the Temporal dev server with \`make run\`'s flags (history in a SQLite file, Web UI on)."
    echo "\`order-worker\` beside the Python SDK peer (\`Benchmarks/python/order_worker.py\`: same activities and"
    echo "SQL, and it publishes each status change to the feed as ours does), one worker at a time on the same"
    echo "servers, FRAUD_SCREEN=off for ours (the peer has no fraud step). Ours runs on one CPU as \`make run\` starts it"
    echo "(\`WORKER_CPUS\`: the CPU with the fewest device interrupts, docs/configuration.md), and once more on every"
    echo "CPU (\`WORKER_CPUS=\`, the *spread* rows; no burst); the peer on every CPU, as it ships. Driver \`Benchmarks/python/api_load.py\`:"
    echo "$BENCH_COUNT orders with $BENCH_CONCURRENCY in flight, an order done when \`completed\` is announced on"
    echo "the feed (after $BENCH_SHIPPED_WARMUP warm-up orders). CPU is user+sys of the worker process and of the Temporal"
    echo "server process during the measured orders; RPCs are the worker's temporal_request and"
    echo "temporal_long_request counters (ours: its /metrics; the peer: the SDK core's Prometheus exporter);"
    echo "workflow tasks (WorkflowTaskCompleted) and history events from the histories of $BENCH_HISTORY_SAMPLE orders."
    echo "Burst: $BENCH_BURST orders created at once, then awaited (first $BENCH_BURST_RUNS run(s)); its RSS is the"
    echo "worker's peak (VmHWM) over the whole run, the cached count the peak of temporal_sticky_cache_size. Each"
    echo "worker starts with its code read from disk: its executable (the peer: the interpreter, its modules and the"
    echo "SDK's native library) is dropped from the page cache first, as \`Benchmarks/python/drop_page_cache.py\` explains."
    echo "Medians of $BENCH_RUNS runs; ratio = ours / Python."
    echo
    echo "| figure | order-worker | Python SDK | ratio | target |"
    echo "|---|---:|---:|---:|---|"
    row "worker CPU per order (ms)" 4 2 "≤ 0.12×"
    row "of which in the kernel (sys, ms)" 12
    ROW_OURS=ours-spread row "worker CPU per order, spread (ms)" 4
    row "orders/s at $BENCH_CONCURRENCY in flight" 1
    ROW_OURS=ours-spread row "orders/s, spread" 1
    row "p50 latency, POST to \`completed\` on the feed (ms)" 2
    row "p99 latency (ms)" 3
    row "worker peak RSS, load (MiB)" 9
    row "worker peak RSS, burst of $BENCH_BURST (MiB)" 10 2 "≤ 40 MiB"
    row "runs cached at once in the burst (peak)" 11
    row "Temporal server CPU per order (ms)" 5
    row "workflow tasks per order" 7
    row "history events per order" 8
    row "RPCs by the worker per order" 6
    echo
    echo "Resident memory of \`order-worker\` by mapping at the end of run 1 (after the burst), largest first:"
    echo
    echo "| mapping | RSS (MiB) |"
    echo "|---|---:|"
    head -12 "$WORK/smaps-ours-1" | awk '{ printf "| %s | %.1f |\n", $2, $1 / 1024 }'
    awk '{ total += $1 } END { printf "| all | %.1f |\n", total / 1024 }' "$WORK/smaps-ours-1"
    if [ -s "$WORK/sections-ours-1" ]; then
        echo
        echo "The executable's resident part by ELF section (\`Benchmarks/python/resident_sections.py\`, same moment):"
        echo
        echo "| section | size (MiB) | resident (MiB) |"
        echo "|---|---:|---:|"
        head -8 "$WORK/sections-ours-1" | awk '{ printf "| %s | %.1f | %.1f |\n", $1, $2 / 1024, $3 / 1024 }'
    fi
} >"$BENCH_OUT/shipped.md"
cat "$BENCH_OUT/shipped.md"
