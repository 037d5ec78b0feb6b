#!/usr/bin/env bash
# make bench, api: what order-api adds on top of Temporal. `orderflow-bench post` (one keep-alive connection, a
# client as lean as the bare one below) and wrk (BENCH_CONCURRENCY connections) on
#   - POST /api/orders (every request its own order_id) → 201, a workflow started;
#   - GET /api/orders/{id}/status of a completed order (the live query is refused as the workflow is
#     closed, the answer comes from PostgreSQL);
# and, in the same run against the same private dev server, the bare StartWorkflowExecution round trip
# through TemporalBridge (`orderflow-bench client --order-starts`: the request the API sends) at 1 and
# BENCH_CONCURRENCY callers, so the API's own
# cost (HTTP, validation, the pending row in PostgreSQL, JSON) is the difference. No worker runs while
# measuring (it would compete for the CPUs); one runs briefly first to complete the order whose status is read.
# The 1-connection figure is robust to drift: each 1-connection create run sits between two bare runs at 1 caller
# and the report gives the median of the differences; the Temporal Python SDK client's start_workflow at 1 caller
# runs in the same sequence, for the Python figure beside ours. For those same 1-connection requests the report splits
# their mean time: the client's whole request against order-api's own latency metrics for the route and for its
# StartWorkflowExecution (sums and counts from /metrics around each run), so the dev server's drift cancels.
# Sizes: BENCH_WRK_SECONDS per wrk run (default 10; CI passes 2), BENCH_CONCURRENCY, BENCH_RUNS (median),
# BENCH_API_PAIRS bracketed 1-connection runs per run (3), BENCH_API_BARE_COUNT starts per bracketing bare run and
# creates per 1-connection run (300), BENCH_COUNT (starts per bare-client phase at BENCH_CONCURRENCY). Writes
# "$BENCH_OUT/api.md".
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/Benchmarks/lib.sh"

: "${BENCH_WRK_SECONDS:=10}"
: "${BENCH_WRK_THREADS:=2}"
: "${BENCH_API_PAIRS:=3}"         # bracketed 1-connection create runs per run
: "${BENCH_API_BARE_COUNT:=$((BENCH_COUNT < 300 ? BENCH_COUNT : 300))}" # starts per bracketing bare run
TEMPORAL_PORT_API=18086
API_PORT_BENCH=18085
BENCH_DB=orderflow_bench_api
QUEUE="bench-api-$$"
API_URL="http://127.0.0.1:$API_PORT_BENCH"
WORK="$BENCH_OUT/api"
API_BIN="$BENCH_BIN/order-api"
WORKER_BIN="$BENCH_BIN/order-worker"
DRIVER="$BENCH_BIN/orderflow-bench"
API_PIDFILE="$BENCH_OUT/api-order-api.pid"
WORKER_PIDFILE="$BENCH_OUT/api-order-worker.pid"

command -v wrk >/dev/null || die "wrk is not installed (make deps)"
for exe in "$API_BIN" "$WORKER_BIN" "$DRIVER"; do
    [ -x "$exe" ] || die "no $exe (build: make bench builds it; see release_build in scripts/lib.sh)"
done
rm -rf "$WORK"
mkdir -p "$WORK"

cleanup() {
    stop_pidfile "$API_PIDFILE" "benchmark order-api" >/dev/null
    stop_pidfile "$WORKER_PIDFILE" "benchmark order-worker" >/dev/null
    bench_temporal_stop api
}
trap cleanup EXIT

# The stack under test: a private database and dev server, so nothing else's load or rows weigh in.
export POSTGRES_DB="$BENCH_DB" TEMPORAL_HOST_PORT="127.0.0.1:$TEMPORAL_PORT_API" TEMPORAL_TASK_QUEUE="$QUEUE"
export API_HOST=127.0.0.1 API_PORT="$API_PORT_BENCH" LOG_LEVEL=warning
# The in-process rate limiter stays on (it is part of every request's path) but never refuses.
export RATE_LIMIT_PER_MINUTE=10000000 RATE_LIMIT_BURST=10000000
# Every benchmark order is customer "bench": above any sane fraud velocity limit.
export FRAUD_VELOCITY_MAX_ORDERS=100000000 FRAUD_VELOCITY_MAX_AMOUNT=100000000.00

bench_migrated_database "$BENCH_DB" api
bench_psql "$BENCH_DB" -c "TRUNCATE orders CASCADE" -c "VACUUM ANALYZE orders" >/dev/null

# The dev server's frontend rate limits would throttle 50 callers (RESOURCE_EXHAUSTED) and measure them instead.
bench_temporal_start api "$TEMPORAL_PORT_API" \
    --dynamic-config-value frontend.rps=1000000 \
    --dynamic-config-value frontend.namespaceRPS=1000000 \
    --dynamic-config-value frontend.globalNamespaceRPS=1000000
"$API_BIN" >"$LOGS/bench-api-order-api.log" 2>&1 &
echo $! >"$API_PIDFILE"
API_PID=$(cat "$API_PIDFILE")
"$WORKER_BIN" run --no-migrate >"$LOGS/bench-api-order-worker.log" 2>&1 &
echo $! >"$WORKER_PIDFILE"
wait_for 60 "benchmark order-api" curl -fsS "$API_URL/readyz" || die "order-api did not start; see $LOGS/bench-api-order-api.log"

# One completed order for the status benchmark, then the worker goes away.
ORDER_ID="bench-api-status-$$"
curl -fsS -o /dev/null -H 'Content-Type: application/json' "$API_URL/api/orders" -d "{\"order_id\": \"$ORDER_ID\",
    \"customer_id\": \"bench\", \"items\": [{\"product_id\": \"PROD-005\", \"product_name\": \"Gaming Mouse\",
    \"quantity\": 1, \"unit_price\": 89.99}]}" || die "could not create the status benchmark's order"
wait_for 60 "order $ORDER_ID completed" \
    bash -c "curl -fsS '$API_URL/api/orders/$ORDER_ID/status' | grep -q '\"source\":\"database\",\"status\":\"completed\"'" \
    || die "order $ORDER_ID did not complete; see $LOGS/bench-api-order-worker.log"
stop_pidfile "$WORKER_PIDFILE" "benchmark order-worker" >/dev/null

# wrk scripts: every POST a new order id (thread number + counter); every run prints one RESULT line.
cat >"$WORK/report.lua" <<'LUA'
done = function(summary, latency, requests)
    local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
    io.write(string.format("RESULT requests=%d seconds=%.3f p50_ms=%.3f p99_ms=%.3f mean_ms=%.4f non2xx=%d socket_errors=%d\n",
        summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        latency.mean / 1000, summary.errors.status, errors))
end
LUA
cat >"$WORK/post.lua" <<LUA
local threads, counter, prefix = 0, 0, "x"
setup = function(thread)
    threads = threads + 1
    thread:set("prefix", string.format("bench-%s-%d", "$$", threads))
end
init = function(args) prefix = args[1] or prefix end
request = function()
    counter = counter + 1
    local body = string.format('{"order_id": "%s-%s-%d", "customer_id": "bench", "items": [{"product_id": "PROD-005", '
        .. '"product_name": "Gaming Mouse", "quantity": 1, "unit_price": 89.99}]}', prefix, RUN, counter)
    return wrk.format("POST", "/api/orders", { ["Content-Type"] = "application/json" }, body)
end
LUA
cat "$WORK/report.lua" >>"$WORK/post.lua"

# measure NAME RUN CONNECTIONS SECONDS ARGS...: one wrk run; its RESULT line (plus the API's CPU ms) to NAME-RUN.txt.
measure() {
    local name=$1 run=$2 connections=$3 seconds=$4; shift 4
    local cpu_before cpu_after
    cpu_before=$(proc_cpu_ms "$API_PID")
    wrk -t "$(( connections < BENCH_WRK_THREADS ? connections : BENCH_WRK_THREADS ))" -c "$connections" \
        -d "${seconds}s" --timeout 10s "$@" >"$WORK/$name-$run.out" 2>&1 || die "wrk failed; see $WORK/$name-$run.out"
    cpu_after=$(proc_cpu_ms "$API_PID")
    local result; result=$(grep '^RESULT' "$WORK/$name-$run.out") || die "wrk printed no result; see $WORK/$name-$run.out"
    echo "$result api_cpu_ms=$((cpu_after - cpu_before))" >"$WORK/$name-$run.txt"
    case $result in *" non2xx=0 socket_errors=0"*) ;; *) die "$name run $run had errors: $result" ;; esac
}

# post NAME RUN CONNECTIONS SECONDS: wrk on POST /api/orders, order ids unique to this NAME and RUN.
post() {
    sed "s/RUN, counter/\"$1-$2\", counter/" "$WORK/post.lua" >"$WORK/post-$1-$2.lua"
    measure "$1" "$2" "$3" "$4" -s "$WORK/post-$1-$2.lua" "$API_URL/api/orders"
}

load_start=$(load_average)
say "api: warm-up"
post warmup 0 "$BENCH_CONCURRENCY" 2
measure warmup-status 0 "$BENCH_CONCURRENCY" 2 -s "$WORK/report.lua" "$API_URL/api/orders/$ORDER_ID/status"
"$DRIVER" client --order-starts --address "$TEMPORAL_HOST_PORT" --count 20 --unary-count 20 --concurrency "$BENCH_CONCURRENCY" >/dev/null

# post_1 NAME: BENCH_API_BARE_COUNT creates at 1 connection through the lean client, into NAME.json, and the API's
# CPU time per request meanwhile (ms; the client's untimed warm-up requests counted too) into NAME.cpu.
post_1() {
    local cpu_before; cpu_before=$(proc_cpu_ms "$API_PID")
    "$DRIVER" post --port "$API_PORT_BENCH" --count "$BENCH_API_BARE_COUNT" --prefix "bench-$$-$1" --json \
        >"$WORK/$1.json" || die "orderflow-bench post failed"
    awk -v cpu=$(($(proc_cpu_ms "$API_PID") - cpu_before)) -v n="$(json_key "$1" requests)" \
        'BEGIN { printf "%.3f\n", cpu / n }' >"$WORK/$1.cpu"
}
# bare NAME: the bare starts at 1 and BENCH_CONCURRENCY callers, into NAME.json.
bare() {
    "$DRIVER" client --order-starts --address "$TEMPORAL_HOST_PORT" --count "$BENCH_COUNT" --unary-count 20 \
        --concurrency "$BENCH_CONCURRENCY" --json >"$WORK/$1.json" || die "orderflow-bench client failed"
}
# bare_1 NAME: the bare start at 1 caller only (both of the driver's start phases then run one caller), into NAME.json.
bare_1() {
    "$DRIVER" client --order-starts --address "$TEMPORAL_HOST_PORT" --count "$BENCH_API_BARE_COUNT" --unary-count 20 \
        --concurrency 1 --json >"$WORK/$1.json" || die "orderflow-bench client failed"
}
# python_1 NAME: the Temporal Python SDK client's start_workflow at 1 caller (client_bench.py), into NAME.json.
python_1() {
    "$BENCH_PYTHON" "$ROOT/Benchmarks/python/client_bench.py" --address "$TEMPORAL_HOST_PORT" \
        --count "$BENCH_API_BARE_COUNT" --unary-count 20 --concurrency 1 --json >"$WORK/$1.json" \
        || die "client_bench.py failed"
}
# latency_totals: from order-api's /metrics, the sums (seconds) and counts of its StartWorkflowExecution calls and of
# its 201 answers to POST /api/orders, as "rpc_sum rpc_count route_sum route_count".
latency_totals() {
    curl -fsS "$API_URL/metrics" | awk '
        /^temporal_request_latency_sum\{.*operation="StartWorkflowExecution"/ { rs = $2 }
        /^temporal_request_latency_count\{.*operation="StartWorkflowExecution"/ { rc = $2 }
        /^http_server_request_duration_sum\{http_route="\/api\/orders",http_request_method="POST",http_response_status_code="201"/ { hs = $2 }
        /^http_server_request_duration_count\{http_route="\/api\/orders",http_request_method="POST",http_response_status_code="201"/ { hc = $2 }
        END { printf "%.9f %d %.9f %d\n", rs, rc, hs, hc }'
}
json_key() { grep -o "\"$2\": *[-0-9.eE+]*" "$WORK/$1.json" | sed 's/.*: *//'; }

# The 1-connection overhead is a difference of two ~2 ms medians on a machine whose load moves them by more than
# the difference: every 1-connection create run is bracketed by bare runs (bare, create, bare, create, …) and
# compared with the mean of its two neighbours; the figure is the median of those differences.
for run in $(seq 1 "$BENCH_RUNS"); do
    say "api: run $run/$BENCH_RUNS (wrk ${BENCH_WRK_SECONDS}s each; $BENCH_API_PAIRS bracketed 1-connection pairs)"
    bare_1 "bare1-$run-0"
    for pair in $(seq 1 "$BENCH_API_PAIRS"); do
        totals_before=$(latency_totals)
        post_1 "post1-$run-$pair"
        # The same requests' means, whole (the client) and in parts (the API's metrics): "client route rpc", in ms.
        echo "$(json_key "post1-$run-$pair" post_1_mean_ms) $totals_before $(latency_totals)" |
            awk '{ printf "%.3f %.3f %.3f\n", $1, ($8 - $4) * 1000 / ($9 - $5), ($6 - $2) * 1000 / ($7 - $3) }' >>"$WORK/split-1"
        bare_1 "bare1-$run-$pair"
        awk -v post="$(json_key "post1-$run-$pair" post_1_p50_ms)" \
            -v before="$(json_key "bare1-$run-$((pair - 1))" start_1_p50_ms)" -v after="$(json_key "bare1-$run-$pair" start_1_p50_ms)" \
            'BEGIN { printf "%.3f\n", post - (before + after) / 2 }' >>"$WORK/added-1"
        say "api: 1-connection create p50 minus its bare neighbours: $(tail -1 "$WORK/added-1") ms;" \
            "means (client route StartWorkflowExecution): $(tail -1 "$WORK/split-1") ms"
    done
    python_1 "python1-$run"
    # The bare starts at BENCH_CONCURRENCY run before and after the concurrent creates: every start leaves an open
    # workflow behind (no worker), and the dev server slows as they pile up, so one side measured first would look faster.
    bare "bare-$run-before"
    post post-n "$run" "$BENCH_CONCURRENCY" "$BENCH_WRK_SECONDS"
    bare "bare-$run-after"
    measure status-n "$run" "$BENCH_CONCURRENCY" "$BENCH_WRK_SECONDS" -s "$WORK/report.lua" "$API_URL/api/orders/$ORDER_ID/status"
    measure health-1 "$run" 1 "$BENCH_WRK_SECONDS" -s "$WORK/report.lua" "$API_URL/healthz"
done

# wrk_figure NAME KEY: the median of KEY over NAME's runs.
wrk_figure() { cat "$WORK/$1"-[0-9]*.txt | grep -o "$2=[-0-9.]*" | cut -d= -f2 | median; }
per_second() { paste <(cat "$WORK/$1"-[0-9]*.txt | grep -o 'requests=[0-9]*' | cut -d= -f2) \
    <(cat "$WORK/$1"-[0-9]*.txt | grep -o 'seconds=[0-9.]*' | cut -d= -f2) | awk '{ printf "%.0f\n", $1 / $2 }' | median; }
cpu_per_request() { paste <(cat "$WORK/$1"-[0-9]*.txt | grep -o 'api_cpu_ms=[0-9]*' | cut -d= -f2) \
    <(cat "$WORK/$1"-[0-9]*.txt | grep -o 'requests=[0-9]*' | cut -d= -f2) | awk '{ printf "%.3f\n", $1 / $2 }' | median; }
# json_figure PREFIX KEY: the median of KEY over the JSON reports PREFIX*.json.
json_figure() { cat "$WORK/$1"*.json | grep -o "\"$2\": *[-0-9.eE+]*" | sed 's/.*: *//' | median; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.2f\n", a - b }'; }

p50_1=$(json_figure post1- post_1_p50_ms); p99_1=$(json_figure post1- post_1_p99_ms); rps_1=$(json_figure post1- post_1_per_s)
cpu_1=$(cat "$WORK"/post1-*.cpu | median)
p50_n=$(wrk_figure post-n p50_ms); p99_n=$(wrk_figure post-n p99_ms); rps_n=$(per_second post-n)
sp50=$(wrk_figure status-n p50_ms); sp99=$(wrk_figure status-n p99_ms); srps=$(per_second status-n)
hp50=$(wrk_figure health-1 p50_ms); hp99=$(wrk_figure health-1 p99_ms); hrps=$(per_second health-1)
b50_1=$(json_figure bare1- start_1_p50_ms); b99_1=$(json_figure bare1- start_1_p99_ms); brps_1=$(json_figure bare1- start_1_per_s)
b50_n=$(json_figure bare- start_n_p50_ms); b99_n=$(json_figure bare- start_n_p99_ms); brps_n=$(json_figure bare- start_n_per_s)
y50_1=$(json_figure python1- start_1_p50_ms); y99_1=$(json_figure python1- start_1_p99_ms); yrps_1=$(json_figure python1- start_1_per_s)
added_1=$(median <"$WORK/added-1" | awk '{ printf "%+.2f\n", $1 }')
added_1_range=$(sort -g "$WORK/added-1" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%+.2f … %+.2f", lo, hi }')
added_n=$(minus "$p50_n" "$b50_n")
# The split of the 1-connection run whose own time (client minus RPC) is the median one, so its parts add up.
read -r own_mean client_mean route_mean rpc_mean < <(awk '{ printf "%.3f %s\n", $1 - $3, $0 }' "$WORK/split-1" |
    sort -g | awk '{ line[NR] = $0 } END { print line[int((NR + 1) / 2)] }')

{
    echo "## api"
    echo
    echo "\`order-api\` at 1 connection under \`orderflow-bench post\` (a keep-alive client as lean as the bare one: a"
    echo "blocking socket, the request made before the clock starts; wrk at one connection adds a millisecond or more of"
    echo "its own), at $BENCH_CONCURRENCY under wrk (${BENCH_WRK_SECONDS} s per run, $BENCH_WRK_THREADS threads), beside the bare"
    echo "StartWorkflowExecution round trip through TemporalBridge (\`orderflow-bench client --order-starts\`: the"
    echo "request the API sends, OrderWorkflow with the input of docs/workflow.md and the API's id policies),"
    echo "against the same private in-memory dev server in the same run; no worker while measuring. A create is: JSON"
    echo "parse and validation, StartWorkflowExecution with the \`pending\` row written to PostgreSQL meanwhile, the"
    echo "201 body. **Added at 1 connection**: each 1-connection create run ($BENCH_API_BARE_COUNT creates) sits between two"
    echo "bare runs at 1 caller ($BENCH_API_BARE_COUNT starts each) and is compared with their mean; the figure is the median"
    echo "of those $((BENCH_RUNS * BENCH_API_PAIRS)) differences (their range beside it), which cancels most of the drift a shared machine"
    echo "and the server's growing pile of open workflows put into any one median. Target: under 0.5 ms. At"
    echo "$BENCH_CONCURRENCY connections \"added\" is the API's p50 minus the bare start's p50 (bare runs before and after the"
    echo "creates); there Temporal's own queueing dominates. The Python SDK has no API of ours to put beside it; its row is"
    echo "the Temporal Python SDK client's own \`start_workflow\` at 1 caller (\`Benchmarks/python/client_bench.py\`, an"
    echo "empty workflow), measured in the same sequence: what any API on the Python SDK would pay before its own work."
    echo
    echo "| what | callers | req/s | p50 ms | p99 ms | API added p50 ms | API CPU ms/request |"
    echo "|---|---|---|---|---|---|---|"
    echo "| \`POST /api/orders\` (201) | 1 | $rps_1 | $p50_1 | $p99_1 | **$added_1** (range $added_1_range) | $cpu_1 |"
    echo "| bare StartWorkflowExecution, TemporalBridge | 1 | $brps_1 | $b50_1 | $b99_1 | | |"
    echo "| bare \`start_workflow\`, Temporal Python SDK client | 1 | $yrps_1 | $y50_1 | $y99_1 | | |"
    echo "| \`POST /api/orders\` (201) | $BENCH_CONCURRENCY | $rps_n | $p50_n | $p99_n | $added_n | $(cpu_per_request post-n) |"
    echo "| bare StartWorkflowExecution, TemporalBridge | $BENCH_CONCURRENCY | $brps_n | $b50_n | $b99_n | | |"
    echo "| \`GET /api/orders/{id}/status\` (completed order: query refused, row from PostgreSQL) | $BENCH_CONCURRENCY | $srps | $sp50 | $sp99 | | $(cpu_per_request status-n) |"
    echo "| \`GET /healthz\` (the HTTP stack alone) | 1 | $hrps | $hp50 | $hp99 | | $(cpu_per_request health-1) |"
    echo
    echo "Where a 1-connection create's time goes: means over the same requests, so the dev server's drift cancels"
    echo "(the client's mean, and the sums and counts of order-api's own \`http_server_request_duration\` for the route and"
    echo "\`temporal_request_latency\` for StartWorkflowExecution read from its \`/metrics\` before and after each run;"
    echo "of the $((BENCH_RUNS * BENCH_API_PAIRS)) 1-connection runs, the one whose own time is the median). Means carry the dev server's"
    echo "tail, which the p50s above do not."
    echo
    echo "| part of a create (1 connection) | mean ms |"
    echo "|---|---:|"
    echo "| the whole request, as the client saw it | $client_mean |"
    echo "| StartWorkflowExecution, as order-api timed it (the call the bare rows time) | $rpc_mean |"
    echo "| the route around it (\`RequestMetricsMiddleware\` inwards): validation, the \`pending\` row, the 201 body | $(minus "$route_mean" "$rpc_mean") |"
    echo "| outside the route's timing: the outer middlewares, HTTP parsing, the socket reads and writes, waking the event loop and the client | $(minus "$client_mean" "$route_mean") |"
    echo "| **order-api's own time** (the whole request minus its Temporal call) | **$(minus "$own_mean" 0)** |"
    echo
    echo "Medians of $BENCH_RUNS runs; the clients, the API, the dev server and PostgreSQL share this machine's $(nproc) cores."
    load_note "$load_start" "$(load_average)"
} >"$BENCH_OUT/api.md"
cat "$BENCH_OUT/api.md"
