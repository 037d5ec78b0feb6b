#!/usr/bin/env bash
# Local against remote activities for OrderWorkflow's database-only steps (issue 18.3): the same
# `order-worker` (release build) with LOCAL_ACTIVITIES=off (every step an activity task) and =on
# (CreateOrder and CheckInventory as local activities, recorded as core_local_activity markers; the
# payment and the notification stay remote), driven by `orderflow-bench order-load` on one private
# dev server (port 7540, task pacing lifted):
#   - BENCH_COUNT orders at BENCH_CONCURRENCY concurrent: orders/s, p50/p99 start-to-result latency,
#     Temporal server CPU per order (user+sys of the dev server process during the run), worker CPU per order;
#   - BENCH_LA_SINGLE orders one at a time: single-order p50/p99 latency;
#   - the shape of one completed order's history: events, workflow tasks, activity tasks, markers.
# Each configuration runs BENCH_RUNS times, alternating which goes first; medians are reported and the
# section goes to "$BENCH_OUT/local-activities.md". Database `orderflow_bench` as in orders.sh.
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/Benchmarks/lib.sh"

: "${BENCH_LA_SINGLE:=$((BENCH_COUNT < 100 ? BENCH_COUNT : 100))}"
: "${BENCH_WARMUP:=10}"
BENCH_DB=orderflow_bench
source "$ROOT/Benchmarks/order_workers.sh" # PRODUCT, STOCK, WORKER_BIN, PEER, the database
PORT=7540
DRIVER="$BENCH_BIN/orderflow-bench"
WORK="$BENCH_OUT/local-activities"
WORKER_PIDFILE="$BENCH_OUT/local-activities-worker.pid"

[ -x "$DRIVER" ] || die "no $DRIVER (build: swift build -c release --static-swift-stdlib --product orderflow-bench)"
rm -rf "$WORK"
mkdir -p "$WORK"

cleanup() {
    stop_pidfile "$WORKER_PIDFILE" "benchmark order worker" >/dev/null
    bench_temporal_stop local-activities
}
trap cleanup EXIT

# start_worker off|on QUEUE
start_worker() {
    local mode=$1 queue=$2 log="$LOGS/bench-la-$1.log"
    env POSTGRES_DB="$BENCH_DB" TEMPORAL_HOST_PORT="127.0.0.1:$PORT" TEMPORAL_TASK_QUEUE="$queue" \
        FRAUD_SCREEN=off LOCAL_ACTIVITIES="$mode" WORKER_METRICS_PORT=0 \
        "$WORKER_BIN" run --no-migrate >"$log" 2>&1 &
    echo $! >"$WORKER_PIDFILE"
    wait_for 60 "worker (LOCAL_ACTIVITIES=$mode) on $queue" \
        bash -c "\"$TEMPORAL_CLI\" task-queue describe --address 127.0.0.1:$PORT --task-queue $queue -o json 2>/dev/null \
                 | grep -q '\"identity\"'" >/dev/null \
        || die "the worker did not start polling; see $log"
}

# order_shape QUEUE-PREFIX: "events workflow_tasks activity_tasks markers" of one completed order.
order_shape() {
    local id
    id=$("$TEMPORAL_CLI" workflow list --address "127.0.0.1:$PORT" --limit 1 -o json \
        --query "ExecutionStatus='Completed' AND WorkflowId STARTS_WITH '$1'" \
        | "$BENCH_PYTHON" -c 'import json, sys; print(json.load(sys.stdin)[0]["execution"]["workflowId"])')
    "$TEMPORAL_CLI" workflow show --address "127.0.0.1:$PORT" -w "$id" -o json | "$BENCH_PYTHON" -c '
import json, sys
types = [e["eventType"] for e in json.load(sys.stdin)["events"]]
count = lambda suffix: sum(1 for t in types if t.endswith(suffix))
print(len(types), count("WORKFLOW_TASK_COMPLETED"), count("ACTIVITY_TASK_SCHEDULED"), count("MARKER_RECORDED"))'
}

# measure MODE RUN: appends "per_s p50 p99 server_cpu_ms worker_cpu_ms single_p50 single_p99
# events wfts activity_tasks markers" to $WORK/MODE.
measure() {
    local mode=$1 run=$2
    local queue="bench-la-$mode-$run-$$" prefix="la-$mode-$run"
    reset_order_database
    start_worker "$mode" "$queue"
    local worker; worker=$(cat "$WORKER_PIDFILE")
    local server; server=$(cat "$BENCH_OUT/temporal-local-activities.pid")
    local -a driver=("$DRIVER" order-load --address "127.0.0.1:$PORT" --task-queue "$queue" --product-id "$PRODUCT")
    "${driver[@]}" --id-prefix "$prefix-warm" --count "$BENCH_WARMUP" --concurrency "$BENCH_CONCURRENCY" --warmup 0 \
        >/dev/null || die "warm-up failed; see $LOGS/bench-la-$mode.log"
    local server_before worker_before report
    server_before=$(proc_cpu_ms "$server")
    worker_before=$(proc_cpu_ms "$worker")
    report=$("${driver[@]}" --id-prefix "$prefix" --count "$BENCH_COUNT" --concurrency "$BENCH_CONCURRENCY" \
        --warmup 0) || die "order-load failed: $report"
    local server_ms=$(($(proc_cpu_ms "$server") - server_before)) worker_ms=$(($(proc_cpu_ms "$worker") - worker_before))
    local single
    single=$("${driver[@]}" --id-prefix "$prefix-single" --count "$BENCH_LA_SINGLE" --concurrency 1 --warmup 0) \
        || die "single-order run failed: $single"
    stop_pidfile "$WORKER_PIDFILE" "worker" >/dev/null
    local figures shape
    figures=$("$BENCH_PYTHON" -c '
import json, sys
load, single = json.loads(sys.argv[1]), json.loads(sys.argv[2])
count = int(sys.argv[5])
print(load["per_s"], load["p50_ms"], load["p99_ms"], "%.2f" % (int(sys.argv[3]) / count),
      "%.2f" % (int(sys.argv[4]) / count), single["p50_ms"], single["p99_ms"])' \
        "$report" "$single" "$server_ms" "$worker_ms" "$BENCH_COUNT")
    shape=$(order_shape "$prefix-")
    echo "$figures $shape" >>"$WORK/$mode"
    say "run $run LOCAL_ACTIVITIES=$mode: orders/s p50 p99 server-cpu/order worker-cpu/order single-p50 single-p99" \
        "events wfts activity-tasks markers = $(tail -1 "$WORK/$mode")"
}

figure() { awk -v col="$2" '{ print $col }' "$WORK/$1" | median; }

prepare_order_database la
bench_temporal_start local-activities "$PORT" --dynamic-config-value history.transferProcessorMaxPollRPS=1000
for run in $(seq 1 "$BENCH_RUNS"); do
    if [ $((run % 2)) -eq 1 ]; then order=(off on); else order=(on off); fi
    for mode in "${order[@]}"; do measure "$mode" "$run"; done
done
bench_temporal_stop local-activities

row() { # row LABEL COLUMN DIGITS
    local remote local_; remote=$(figure off "$2"); local_=$(figure on "$2")
    echo "| $1 | $remote | $local_ | $(ratio "$local_" "$remote" "$3")× |"
}

{
    echo "## Local activities: OrderWorkflow's database steps local against remote"
    echo
    echo "The same \`order-worker\` binary (see the stamp above) with \`LOCAL_ACTIVITIES=off\` (every step an activity task) and \`=on\`"
    echo "(CreateOrder and CheckInventory run as local activities inside the workflow task and are recorded as"
    echo "\`core_local_activity\` markers; ProcessPayment, SendNotification and the compensations stay activity"
    echo "tasks), \`FRAUD_SCREEN=off\` as in the orders section, on one private dev server, driven by"
    echo "\`orderflow-bench order-load\`: $BENCH_COUNT orders at $BENCH_CONCURRENCY concurrent, then $BENCH_LA_SINGLE one at a time."
    echo "The server runs with \`--dynamic-config-value history.transferProcessorMaxPollRPS=1000\` (the dev server's task"
    echo "pacing lifted, as for the orders section's single-order figures), so latency shows the work, not the pacing."
    echo "Server CPU is user+sys of the dev server process during the concurrent orders. Medians of $BENCH_RUNS runs"
    echo "per setting, alternating which goes first; ratio = local / remote."
    echo
    echo "| figure | remote (off) | local (on) | ratio |"
    echo "|---|---:|---:|---:|"
    row "orders/s at $BENCH_CONCURRENCY concurrent" 1 2
    row "p50 latency at $BENCH_CONCURRENCY concurrent (ms)" 2 2
    row "p99 latency at $BENCH_CONCURRENCY concurrent (ms)" 3 2
    row "Temporal server CPU per order (ms)" 4 2
    row "worker CPU per order (ms)" 5 2
    row "single-order p50 latency (ms)" 6 2
    row "single-order p99 latency (ms)" 7 2
    row "history events per order" 8 2
    row "workflow tasks per order" 9 2
    row "activity tasks per order" 10 2
    row "markers per order (local activities, patch)" 11 2
} >"$BENCH_OUT/local-activities.md"
if [ -f "$ROOT/Benchmarks/local-activities-decision.md" ]; then
    { echo; cat "$ROOT/Benchmarks/local-activities-decision.md"; } >>"$BENCH_OUT/local-activities.md"
fi
cat "$BENCH_OUT/local-activities.md"
