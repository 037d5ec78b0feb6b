#!/usr/bin/env bash
# make bench, replay: one recorded history of about BENCH_REPLAY_EVENTS events (10 × BENCH_COUNT, so 10,000 at
# the default size) replayed by our WorkflowReplayer (`orderflow-bench replay`) and by the Temporal Python SDK's
# Replayer (Benchmarks/python/replay_bench.py), the same history file for both, in the same run. The history is
# ReplayBenchWorkflow (rounds of 50 parallel activities) run once on our worker against a private dev server
# and fetched with `temporal workflow show --output json`. Writes "$BENCH_OUT/replay.md".
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/Benchmarks/lib.sh"

: "${BENCH_REPLAY_EVENTS:=$((BENCH_COUNT * 10))}"
# Replays per measured run and side; each run's figure is the median of these.
: "${BENCH_REPLAY_REPEATS:=$((BENCH_COUNT < 100 ? 3 : 20))}"
PORT=7475
ADDRESS="127.0.0.1:$PORT"
BENCH_EXE="$BENCH_BIN/orderflow-bench"
PY_REPLAY="$ROOT/Benchmarks/python/replay_bench.py"
WORK="$BENCH_OUT/replay"
HISTORY="$WORK/history.json"
[ -x "$BENCH_EXE" ] || die "missing $BENCH_EXE (build the orderflow-bench product)"
[ -x "$BENCH_PYTHON" ] || die "$BENCH_PYTHON is missing (make deps)"
mkdir -p "$WORK"
rm -f "$WORK"/*.json

bench_temporal_start replay "$PORT"
trap 'bench_temporal_stop replay' EXIT

say "replay: recording a history of about $BENCH_REPLAY_EVENTS events"
workflow_id=$("$BENCH_EXE" replay-record --address "$ADDRESS" --events "$BENCH_REPLAY_EVENTS" | tail -1) \
    || die "recording the replay history failed"
"$TEMPORAL_CLI" workflow show --address "$ADDRESS" -w "$workflow_id" --output json >"$HISTORY" \
    || die "temporal workflow show failed for $workflow_id"
bench_temporal_stop replay

# side NAME: one run of one replayer over the history, its JSON report on stdout.
side() {
    case $1 in
    ours) "$BENCH_EXE" replay --history "$HISTORY" --runs "$BENCH_REPLAY_REPEATS" ;;
    python) "$BENCH_PYTHON" "$PY_REPLAY" --history "$HISTORY" --runs "$BENCH_REPLAY_REPEATS" ;;
    esac
}

for run in $(seq 1 "$BENCH_RUNS"); do
    order="ours python"
    [ $((run % 2)) -eq 0 ] && order="python ours"
    for name in $order; do
        say "replay: run $run/$BENCH_RUNS, $name ($BENCH_REPLAY_REPEATS replays)"
        side "$name" | tail -1 >"$WORK/$name-$run.json" || die "replay run $run of $name failed"
    done
done

# figure SIDE KEY: the median of KEY over SIDE's runs.
figure() { cat "$WORK/$1"-*.json | grep -o "\"$2\": *[-0-9.eE+]*" | sed 's/.*: *//' | median; }

events=$(figure ours events)
[ "$events" = "$(figure python events)" ] || die "the two replayers read different event counts"
# ms KEY SIDE: the figure with two decimals.
ms() { printf '%.2f' "$(figure "$2" "$1")"; }
ours=$(ms replay_ms_p50 ours)
python=$(ms replay_ms_p50 python)
ours_p90=$(ms replay_ms_p90 ours)
python_p90=$(ms replay_ms_p90 python)
{
    echo "## Replay: WorkflowReplayer vs Temporal Python SDK Replayer"
    echo
    echo "One history of $(printf '%.0f' "$events") events (ReplayBenchWorkflow: rounds of 50 parallel activities, run once on"
    echo "our worker against a private dev server, fetched with \`temporal workflow show --output json\`), replayed from"
    echo "that same file by both sides in the same run: ours with \`WorkflowReplayer\` (\`orderflow-bench replay\`), the"
    echo "Python SDK with \`temporalio.worker.Replayer\` (SDK defaults, sandboxed runner). Each run times"
    echo "$BENCH_REPLAY_REPEATS replays after 2 unmeasured ones and takes their median; the table gives the median of"
    echo "$BENCH_RUNS runs, sides alternating. Ratio = ours ÷ Python SDK."
    echo
    echo "| metric | ours | Python SDK | ratio | better |"
    echo "|---|---:|---:|---:|---|"
    echo "| ms per replay, $(printf '%.0f' "$events") events (median) | $ours | $python | $(ratio "$ours" "$python") | lower |"
    echo "| ms per replay, p90 of a run (median of runs) | $ours_p90 | $python_p90 | $(ratio "$ours_p90" "$python_p90") | lower |"
} >"$BENCH_OUT/replay.md"

cat "$BENCH_OUT/replay.md"
