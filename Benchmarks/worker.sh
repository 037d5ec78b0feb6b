#!/usr/bin/env bash
# Worker benchmark: the 4-activity WorkerBenchWorkflow on our TemporalBridge worker
# (`orderflow-bench workflow-worker`) and on a Temporal Python SDK worker (Benchmarks/python/bench_worker.py),
# driven by the same `orderflow-bench workflow-load`, against the same private dev servers, alternating
# ours/Python in every run. Writes "$BENCH_OUT/worker.md".
#
# Configurations (each run BENCH_RUNS times, medians reported):
#   cache on   BENCH_COUNT workflows at BENCH_CONCURRENCY, sticky cache + eager activities, on the server
#              as shipped and again on one with task-dispatch pacing lifted (cache off likewise)
#   cache off  BENCH_CACHE_OFF_COUNT workflows at BENCH_CONCURRENCY with sticky execution off
#              (ours --cache-size 0, Python max_cached_workflows=0)
#   single     BENCH_LATENCY_COUNT workflows one at a time, on a server with task-dispatch pacing lifted
#   burst      BENCH_COUNT workflows all started at once (up to BENCH_COUNT runs cached): peak RSS (once)
# Worker CPU is user+sys of the worker process from /proc across the measured run (warm-up excluded).
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/Benchmarks/lib.sh"

: "${BENCH_LATENCY_COUNT:=$((BENCH_COUNT < 200 ? BENCH_COUNT : 200))}"
# Full replays make the Python worker slow enough (~3 workflows/s) that 1,000 would take minutes per run.
: "${BENCH_CACHE_OFF_COUNT:=$((BENCH_COUNT < 300 ? BENCH_COUNT : 300))}"
: "${BENCH_WARMUP:=$((BENCH_CONCURRENCY < BENCH_COUNT ? BENCH_CONCURRENCY : BENCH_COUNT))}"
PACED_PORT=7302 # the dev server as it ships (history.transferProcessorMaxPollRPS = 20)
FAST_PORT=7303  # task-dispatch pacing lifted, so single-workflow latency shows the worker
BENCH_EXE="$BENCH_BIN/orderflow-bench"
PY_WORKER="$ROOT/Benchmarks/python/bench_worker.py"
RAW="$BENCH_OUT/worker-raw.tsv"
WORK="$BENCH_OUT/worker-work"
[ -x "$BENCH_EXE" ] || die "missing $BENCH_EXE (build the orderflow-bench product)"
mkdir -p "$WORK"
: >"$RAW"

cleanup() {
    stop_pidfile "$WORK/worker.pid" "benchmark worker" >/dev/null || true
    bench_temporal_stop worker-paced
    bench_temporal_stop worker-fast
}
trap cleanup EXIT

say "starting the benchmark's Temporal dev servers ($PACED_PORT as shipped, $FAST_PORT with pacing lifted)"
bench_temporal_start worker-paced "$PACED_PORT"
bench_temporal_start worker-fast "$FAST_PORT" --dynamic-config-value history.transferProcessorMaxPollRPS=1000

# json_field NAME: field NAME of the JSON object on stdin ("n/a" when absent).
json_field() { "$BENCH_PYTHON" -c 'import json, sys; print(json.loads(sys.stdin.readline()).get(sys.argv[1], "n/a"))' "$1"; }

# start_worker IMPL PORT QUEUE CACHE: starts the worker in the background, waits for its "ready" line.
start_worker() {
    local impl=$1 port=$2 queue=$3 cache=$4 log="$WORK/worker.log"
    case $impl in
    ours) "$BENCH_EXE" workflow-worker --address "127.0.0.1:$port" --task-queue "$queue" --cache-size "$cache" \
        >"$log" 2>&1 & ;;
    python) "$BENCH_PYTHON" "$PY_WORKER" --address "127.0.0.1:$port" --task-queue "$queue" --cache-size "$cache" \
        >"$log" 2>&1 & ;;
    esac
    echo $! >"$WORK/worker.pid"
    wait_for 60 "$impl worker on $queue" grep -q '^ready' "$log" || die "$impl worker did not start; see $log"
}

# measure RUN IMPL CONFIG PORT CACHE COUNT CONCURRENCY: one measured run; appends its figures to $RAW.
measure() {
    local run=$1 impl=$2 config=$3 port=$4 cache=$5 count=$6 concurrency=$7
    local queue="bench-$impl-$config-$run-$RANDOM" pid load stats
    start_worker "$impl" "$port" "$queue" "$cache"
    pid=$(cat "$WORK/worker.pid")
    local driver=("$BENCH_EXE" workflow-load --address "127.0.0.1:$port" --task-queue "$queue" --id-prefix "$queue")
    "${driver[@]}" --count "$BENCH_WARMUP" --concurrency "$BENCH_WARMUP" --warmup 0 >/dev/null \
        || die "warm-up of the $impl worker failed; see $WORK/worker.log"
    local cpu_before cpu_after
    cpu_before=$(proc_cpu_ms "$pid")
    load=$("${driver[@]}" --count "$count" --concurrency "$concurrency" --warmup 0) \
        || die "$impl $config load run failed: $load"
    cpu_after=$(proc_cpu_ms "$pid")
    local rss cpu_per_workflow
    rss=$(proc_peak_rss_mb "$pid")
    cpu_per_workflow=$(awk -v a="$cpu_before" -v b="$cpu_after" -v n="$count" 'BEGIN { printf "%.2f", (b - a) / n }')
    stop_pidfile "$WORK/worker.pid" "$impl worker" >/dev/null
    stats=$(grep '^{' "$WORK/worker.log" | tail -1 || true)
    {
        printf '%s\t%s\t%s\tper_s\t%s\n' "$run" "$impl" "$config" "$(json_field per_s <<<"$load")"
        printf '%s\t%s\t%s\tp50_ms\t%s\n' "$run" "$impl" "$config" "$(json_field p50_ms <<<"$load")"
        printf '%s\t%s\t%s\tp99_ms\t%s\n' "$run" "$impl" "$config" "$(json_field p99_ms <<<"$load")"
        printf '%s\t%s\t%s\tcpu_ms\t%s\n' "$run" "$impl" "$config" "$cpu_per_workflow"
        printf '%s\t%s\t%s\trss_mb\t%s\n' "$run" "$impl" "$config" "$rss"
        if [ -n "$stats" ]; then
            local hits misses
            hits=$(json_field cache_hits <<<"$stats")
            misses=$(json_field cache_misses <<<"$stats")
            printf '%s\t%s\t%s\thit_rate\t%s\n' "$run" "$impl" "$config" \
                "$(awk -v h="$hits" -v m="$misses" 'BEGIN { printf "%.1f", (h + m) ? 100 * h / (h + m) : 0 }')"
            printf '%s\t%s\t%s\tpeak_cached\t%s\n' "$run" "$impl" "$config" "$(json_field peak_cached_runs <<<"$stats")"
        fi
    } >>"$RAW"
    say "run $run $impl $config: $(json_field per_s <<<"$load")/s p50 $(json_field p50_ms <<<"$load") ms," \
        "p99 $(json_field p99_ms <<<"$load") ms, cpu $cpu_per_workflow ms/wf, rss $rss MB"
}

# both RUN CONFIG PORT CACHE COUNT CONCURRENCY: ours and Python back to back, so both see the same machine load.
both() {
    local run=$1 impl; shift
    for impl in ours python; do measure "$run" "$impl" "$@"; done
}

for run in $(seq 1 "$BENCH_RUNS"); do
    both "$run" cache-on "$PACED_PORT" 1000 "$BENCH_COUNT" "$BENCH_CONCURRENCY"
    both "$run" cache-on-lifted "$FAST_PORT" 1000 "$BENCH_COUNT" "$BENCH_CONCURRENCY"
    both "$run" cache-off "$PACED_PORT" 0 "$BENCH_CACHE_OFF_COUNT" "$BENCH_CONCURRENCY"
    both "$run" cache-off-lifted "$FAST_PORT" 0 "$BENCH_CACHE_OFF_COUNT" "$BENCH_CONCURRENCY"
    both "$run" single "$FAST_PORT" 1000 "$BENCH_LATENCY_COUNT" 1
done
both 1 burst "$FAST_PORT" 1000 "$BENCH_COUNT" "$BENCH_COUNT"

# fig IMPL CONFIG METRIC: the median over the runs ("n/a" when not measured).
fig() { awk -F'\t' -v i="$1" -v c="$2" -v m="$3" '$2 == i && $3 == c && $4 == m { print $5 }' "$RAW" | median || echo n/a; }
# verdict VALUE OP LIMIT: "yes"/"no" for VALUE <= or >= LIMIT ("n/a" when VALUE is not a number).
verdict() {
    awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { if (v == "n/a" || v == "") { print "n/a"; exit }
        ok = (op == "<=") ? (v + 0 <= l + 0) : (v + 0 >= l + 0); print ok ? "yes" : "**no**" }'
}
# row LABEL CONFIG METRIC [TARGET_OP TARGET]: one table row, ours / Python / ratio / target / met.
row() {
    local ours python r target="" met=""
    ours=$(fig ours "$2" "$3")
    python=$(fig python "$2" "$3")
    if [ "$ours" = n/a ] || [ "$python" = n/a ]; then r=n/a; else r=$(ratio "$ours" "$python"); fi
    if [ $# -ge 5 ]; then
        if [ "$4" = ">=" ]; then target="≥ $5×"; else target="≤ $5×"; fi
        met=$(verdict "$r" "$4" "$5")
    fi
    printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$ours" "$python" "$r" "$target" "$met"
}

rss_burst=$(fig ours burst rss_mb)
{
    echo "## Worker: 4-activity workflow, our TemporalBridge worker vs the Temporal Python SDK worker"
    echo
    echo "The same workflow shape (\`WorkerBenchWorkflow\`: four trivial activities in sequence) on both workers,"
    echo "driven by the same \`orderflow-bench workflow-load\` (start, then await the result; latency is start to"
    echo "result), against the same private dev servers, alternating ours/Python in each of $BENCH_RUNS runs."
    echo "Cache on: sticky cache (1,000 runs) and eager activities, as both SDKs ship. Cache off: ours"
    echo "\`--cache-size 0\`, Python \`max_cached_workflows=0\`: every workflow task replays the full history."
    echo "CPU is user+sys of the worker process per workflow (warm-up excluded); RSS is the worker's peak."
    echo "Python: SDK defaults (sandboxed workflow runner)."
    echo
    echo "| figure | ours | Python SDK | ours / Python | target | met |"
    echo "|---|---|---|---|---|---|"
    row "workflows/s, $BENCH_CONCURRENCY concurrent, cache on" cache-on per_s ">=" 1.45
    row "p50 latency ms, $BENCH_CONCURRENCY concurrent, cache on" cache-on p50_ms
    row "p99 latency ms, $BENCH_CONCURRENCY concurrent, cache on" cache-on p99_ms
    row "worker CPU ms per workflow, cache on" cache-on cpu_ms "<=" 0.25
    row "worker peak RSS MB, cache on" cache-on rss_mb
    row "workflows/s, $BENCH_CONCURRENCY concurrent, cache on, pacing lifted" cache-on-lifted per_s
    row "p50 latency ms, $BENCH_CONCURRENCY concurrent, cache on, pacing lifted" cache-on-lifted p50_ms
    row "worker CPU ms per workflow, cache on, pacing lifted" cache-on-lifted cpu_ms
    row "workflows/s, $BENCH_CONCURRENCY concurrent, cache off" cache-off per_s ">=" 3
    row "p50 latency ms, cache off" cache-off p50_ms
    row "p99 latency ms, cache off" cache-off p99_ms
    row "worker CPU ms per workflow, cache off" cache-off cpu_ms
    row "worker peak RSS MB, cache off" cache-off rss_mb
    row "workflows/s, $BENCH_CONCURRENCY concurrent, cache off, pacing lifted" cache-off-lifted per_s
    row "p50 latency ms, cache off, pacing lifted" cache-off-lifted p50_ms
    row "single workflow p50 latency ms (1 at a time, pacing lifted)" single p50_ms "<=" 0.6
    row "single workflow p99 latency ms (1 at a time, pacing lifted)" single p99_ms
    row "worker CPU ms per workflow, 1 at a time" single cpu_ms
    printf '| %s | %s | %s | %s | %s | %s |\n' "worker peak RSS MB, $BENCH_COUNT started at once" \
        "$rss_burst ($(fig ours burst peak_cached) runs cached at once)" "$(fig python burst rss_mb)" \
        "$(ratio "$rss_burst" "$(fig python burst rss_mb)")" "ours ≤ 40 MB" "$(verdict "$rss_burst" "<=" 40)"
    echo
    echo "Our worker's sticky cache hit rate, cache on: $(fig ours cache-on hit_rate) % of workflow tasks"
    echo "(every task but a run's first; the first always carries the full history)."
    echo "Servers: $PACED_PORT as shipped (\`history.transferProcessorMaxPollRPS\` 20: task dispatch paced, which"
    echo "bounds both workers alike); $FAST_PORT with \`--dynamic-config-value history.transferProcessorMaxPollRPS=1000\`"
    echo "for the \"pacing lifted\" rows, single and burst, where the worker's own cost shows. Targets are issue 4's:"
    echo "single-workflow latency with the pacing lifted, throughput and CPU on the server as shipped. With the pacing"
    echo "lifted the dev server's own work fills both cores at 50 concurrent, so those throughput rows show the server."
    echo "Sizes: $BENCH_COUNT workflows per cache-on run, $BENCH_CACHE_OFF_COUNT per cache-off run," \
        "$BENCH_LATENCY_COUNT one at a time, $BENCH_WARMUP warm-up before each."
} >"$BENCH_OUT/worker.md"
cat "$BENCH_OUT/worker.md"
