#!/usr/bin/env bash
# make bench, client: unary round trips (DescribeNamespace) and StartWorkflowExecution throughput at one
# and at BENCH_CONCURRENCY callers, TemporalBridge (`orderflow-bench client`) against the Temporal Python
# SDK client (Benchmarks/python/client_bench.py), on one private in-memory dev server, in the same run.
# Writes "$BENCH_OUT/client.md".
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/Benchmarks/lib.sh"

PORT=7301
ADDRESS="127.0.0.1:$PORT"
UNARY_COUNT=$((BENCH_COUNT * 5))
RESULTS="$BENCH_OUT/client"
SWIFT_BENCH="$BENCH_BIN/orderflow-bench"

[ -x "$SWIFT_BENCH" ] || die "$SWIFT_BENCH is not built (swift build -c release --static-swift-stdlib --product orderflow-bench)"
[ -x "$BENCH_PYTHON" ] || die "$BENCH_PYTHON is missing (make deps)"
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.json

# The dev server's default per-namespace rate limit (RESOURCE_EXHAUSTED) is below what 50 callers reach;
# the benchmark measures the clients, not the limiter.
bench_temporal_start client "$PORT" \
    --dynamic-config-value frontend.rps=1000000 \
    --dynamic-config-value frontend.namespaceRPS=1000000 \
    --dynamic-config-value frontend.globalNamespaceRPS=1000000
trap 'bench_temporal_stop client' EXIT

# side NAME [flags...]: one run of one client, its JSON report on stdout.
side() {
    local name=$1; shift
    case $name in
        swift) "$SWIFT_BENCH" client --address "$ADDRESS" --json "$@" ;;
        python) "$BENCH_PYTHON" "$ROOT/Benchmarks/python/client_bench.py" --address "$ADDRESS" --json "$@" ;;
    esac
}

say "client: warm-up (server and both clients)"
side swift --count 20 --unary-count 100 --concurrency "$BENCH_CONCURRENCY" >/dev/null
side python --count 20 --unary-count 100 --concurrency "$BENCH_CONCURRENCY" >/dev/null

# Who goes first alternates, so the server's growing in-memory history weighs on both sides alike.
for run in $(seq 1 "$BENCH_RUNS"); do
    order="swift python"
    [ $((run % 2)) -eq 0 ] && order="python swift"
    for name in $order; do
        say "client: run $run/$BENCH_RUNS, $name ($BENCH_COUNT starts and $UNARY_COUNT DescribeNamespace per phase, 1 and $BENCH_CONCURRENCY callers)"
        side "$name" --count "$BENCH_COUNT" --unary-count "$UNARY_COUNT" --concurrency "$BENCH_CONCURRENCY" \
            >"$RESULTS/$name-$run.json" || die "client benchmark run $run of $name failed"
    done
done

# figure SIDE KEY: the median of KEY over SIDE's runs (the reports are flat JSON objects of numbers).
figure() {
    local name=$1 key=$2
    cat "$RESULTS/$name"-*.json | grep -o "\"$key\": *[-0-9.eE+]*" | sed 's/.*: *//' | median
}

# row LABEL KEY BETTER: one table line, ours beside Python and ours ÷ Python.
row() {
    local label=$1 key=$2 better=$3 ours python
    ours=$(figure swift "$key")
    python=$(figure python "$key")
    echo "| $label | $ours | $python | $(ratio "$ours" "$python") | $better |"
}

C=$BENCH_CONCURRENCY
{
    echo "## Client: TemporalBridge vs Temporal Python SDK client"
    echo
    echo "One private dev server (in-memory, port $PORT); per run and side: $UNARY_COUNT DescribeNamespace calls and"
    echo "$BENCH_COUNT StartWorkflowExecution calls at 1 caller, then again at $C concurrent callers sharing one"
    echo "connection. Median of $BENCH_RUNS runs per side, sides alternating. Ratio = ours ÷ Python SDK; the last"
    echo "column says which direction is better. CPU is the client process's own (all threads) during the measured calls."
    echo
    echo "| metric | ours | Python SDK | ratio | better |"
    echo "|---|---:|---:|---:|---|"
    row "DescribeNamespace p50, 1 caller (ms)" describe_1_p50_ms lower
    row "DescribeNamespace p99, 1 caller (ms)" describe_1_p99_ms lower
    row "DescribeNamespace calls/s, 1 caller" describe_1_per_s higher
    row "DescribeNamespace p50, $C callers (ms)" describe_n_p50_ms lower
    row "DescribeNamespace p99, $C callers (ms)" describe_n_p99_ms lower
    row "DescribeNamespace calls/s, $C callers" describe_n_per_s higher
    row "StartWorkflowExecution starts/s, 1 caller" start_1_per_s higher
    row "StartWorkflowExecution p50, 1 caller (ms)" start_1_p50_ms lower
    row "StartWorkflowExecution p99, 1 caller (ms)" start_1_p99_ms lower
    row "StartWorkflowExecution starts/s, $C callers" start_n_per_s higher
    row "StartWorkflowExecution p50, $C callers (ms)" start_n_p50_ms lower
    row "StartWorkflowExecution p99, $C callers (ms)" start_n_p99_ms lower
    row "client CPU during the measured calls (ms)" cpu_ms lower
    row "client peak RSS (MiB)" peak_rss_mb lower
} >"$BENCH_OUT/client.md"

cat "$BENCH_OUT/client.md"
