#!/usr/bin/env bash
# Where `order-worker` spends its instructions per order in the shipped configuration (issue 18): the worker
# runs under `valgrind --tool=callgrind` (instrumentation off at start, so start-up and warm-up are not counted)
# while Benchmarks/python/api_load.py creates BENCH_PROFILE_COUNT orders through the API (the servers and
# settings of Benchmarks/shipped_env.sh). Callgrind counts instructions, which do not move with the load on
# a shared machine: compare changes by these, not by seconds. Writes "$BENCH_OUT/profile.md": instructions
# per order and the ten largest costs, inclusive and self, by function (Swift names demangled); the raw
# profile stays in $BENCH_OUT/profile/callgrind.out.* for callgrind_annotate or KCachegrind. With
# BENCH_PROFILE_DUMP=FILE it writes the tables from that profile instead of taking one (no pipe may stop early
# here: under pipefail a reader that quits first fails the script).
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/Benchmarks/lib.sh"

: "${BENCH_PROFILE_COUNT:=$((BENCH_COUNT >= 100 ? 100 : 5))}"
: "${BENCH_PROFILE_CONCURRENCY:=10}"
WARMUP_FACTOR=3
WORK="$BENCH_OUT/profile"
source "$ROOT/Benchmarks/shipped_env.sh"
trap shipped_cleanup EXIT
command -v valgrind >/dev/null && command -v callgrind_control >/dev/null \
    || die "valgrind is not installed (apt-get install valgrind)"
DEMANGLE=$(command -v swift-demangle || echo "$(dirname "$(command -v swift)")/swift-demangle")

OUT="$WORK/callgrind.out"
if ldd "$WORKER_BIN" 2>/dev/null | grep 'libdispatch\.so' >/dev/null; then
    # Valgrind 3.19 dies reading the toolchain's shared libdispatch (CI's debug binaries link it); the release
    # build links the Swift runtime statically and profiles fine.
    say "profile: skipped, $WORKER_BIN links the shared Swift runtime, which valgrind cannot load"
    printf '## Profile: order-worker under callgrind\n\nSkipped: %s links the Swift runtime as shared libraries,\n%s\n' \
        "\`$WORKER_BIN\`" "which valgrind cannot load; \`make bench\` profiles the release build." >"$BENCH_OUT/profile.md"
    exit 0
fi
if [ -n "${BENCH_PROFILE_DUMP:-}" ]; then
    # Tables again from a profile taken before (BENCH_PROFILE_COUNT must be the count it was taken with).
    dump=$BENCH_PROFILE_DUMP
else
    WORKER_BIN=$(valgrind_copy "$WORKER_BIN" "$WORK") || die "could not copy $WORKER_BIN for valgrind"
    WORKER_WRAPPER=(valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$OUT")
    prepare_database
    start_servers
    reset_database
    queue="bench-profile-$$"
    start_worker ours "$queue" 300
    start_api "$queue"
    pid=$(cat "$WORKER_PIDFILE")
    driver=("$BENCH_PYTHON" "$DRIVER" --api "127.0.0.1:$API_PORT_SHIPPED" --redis "127.0.0.1:$REDIS_PORT_SHIPPED"
        --temporal "127.0.0.1:$TEMPORAL_PORT_SHIPPED" --concurrency "$BENCH_PROFILE_CONCURRENCY")
    say "profile: warm-up under callgrind"
    # Warm-up at three times the profiled concurrency: the PostgreSQL pool opens a connection (SCRAM key
    # derivation, ~25 M instructions) the first time that many activities run at once, a start-up cost outside
    # the steady state; under callgrind's slowness the activities of 10 orders in flight pile up well past 10.
    "${driver[@]}" --count $((WARMUP_FACTOR * BENCH_PROFILE_CONCURRENCY)) \
        --concurrency $((WARMUP_FACTOR * BENCH_PROFILE_CONCURRENCY)) --id-prefix profile-warm >/dev/null \
        || die "the warm-up under callgrind failed"
    callgrind_control --instr=on "$pid" >/dev/null
    say "profile: $BENCH_PROFILE_COUNT orders under callgrind"
    report=$("${driver[@]}" --count "$BENCH_PROFILE_COUNT" --id-prefix profile) \
        || die "the profiled orders failed: $report"
    callgrind_control --dump=profile "$pid" >/dev/null
    callgrind_control --instr=off "$pid" >/dev/null
    stop_pidfile "$API_PIDFILE" "order-api" >/dev/null
    stop_pidfile "$WORKER_PIDFILE" "order worker under callgrind" >/dev/null
    # The dump taken after the measured orders (the file written at exit holds only the shutdown).
    dump=$(grep -l "^desc: Trigger: .*dump" "$OUT"* 2>/dev/null | awk 'NR == 1')
    [ -n "$dump" ] || die "callgrind wrote no dump for the profiled orders (files: $(ls "$OUT"* 2>/dev/null))"

fi

total=$(awk '/^(summary|totals):/ { print $2; exit }' "$dump")
# Connections the pool still opened while the orders were counted (inclusive cost of PostgresConnection.open):
# a start-up cost whose size depends on how many were opened, so changes are compared without it.
setup=$(callgrind_annotate --inclusive=yes --threshold=100 "$dump" 2>/dev/null | "$DEMANGLE" --simplified \
    | awk '/:PostgresConnection\.open\(\) \[/ && !found { ir = $1; gsub(",", "", ir); found = 1 }
           END { print found ? ir : 0 }')
# Frames of the scheduler (executor, dispatch, thunks, recursion cycles) include nearly everything and say
# nothing about where the work is: left out of the tables.
SCHEDULER="'[0-9]|swift_task_switch|runJob|_dispatch_|swift_job_run|jobInvoke|__swift_run_job|partial apply|thunk for"
SCHEDULER+="|withTaskCancellationHandler|start_thread|^clone|ConnectionThread.serve|ConnectionWorker.perform|0x0000"
annotate() { # annotate yes|no: the ten largest functions, inclusive or self, as "IR<TAB>NAME" lines.
    callgrind_annotate --inclusive="$1" --threshold=100 "$dump" 2>/dev/null \
        | awk '/^ *[0-9,]+ \(/ && /:/ && !/PROGRAM TOTALS/ {
                ir = $1; gsub(",", "", ir); sub(/^ *[0-9,]+ \([^)]*\) +/, ""); sub(/^[^:]*:/, "")
                object = ""; if (match($0, / \[[^]]*\]$/)) { object = substr($0, RSTART + 2, RLENGTH - 3); $0 = substr($0, 1, RSTART - 1) }
                n = split(object, parts, "/"); object = parts[n]
                print ir "\t" $0 "\t" object }' \
        | "$DEMANGLE" --simplified | awk -F'\t' -v skip="$SCHEDULER" '$2 !~ skip' | awk 'NR <= 10' 
}
table() { # table yes|no
    echo "| instructions per order | share | function | in |"
    echo "|---:|---:|---|---|"
    annotate "$1" | while IFS=$'\t' read -r ir name object; do
        name=${name//|/\\|}
        [ ${#name} -le 160 ] || name="${name:0:157}..."
        printf '| %s | %s %% | `%s` | %s |\n' "$(awk -v i="$ir" -v n="$BENCH_PROFILE_COUNT" 'BEGIN { printf "%.0f", i / n }')" \
            "$(awk -v i="$ir" -v t="$total" 'BEGIN { printf "%.1f", 100 * i / t }')" "$name" "$object"
    done
}

{
    echo "## Profile: order-worker's instructions per order (callgrind, as shipped)"
    echo
    echo "\`order-worker\` under \`valgrind --tool=callgrind\` in the configuration of the as-shipped section (API in"
    echo "front, 1–3 items per order, Redis feed on, history on disk), counting only while"
    echo "$BENCH_PROFILE_COUNT orders ran ($BENCH_PROFILE_CONCURRENCY in flight, after $((WARMUP_FACTOR * BENCH_PROFILE_CONCURRENCY)) warm-up orders at $((WARMUP_FACTOR * BENCH_PROFILE_CONCURRENCY)) in flight). Instruction counts"
    echo "do not depend on the machine's load: changes are compared by them. All threads together; names"
    echo "demangled by swift-demangle. Raw profile: \`$(basename "$dump")\` under the benchmark output folder."
    echo
    printf '**%s instructions per order** (%s in all).\n' \
        "$(awk -v t="$total" -v n="$BENCH_PROFILE_COUNT" 'BEGIN { printf "%.2f M", t / n / 1e6 }')" \
        "$(awk -v t="$total" 'BEGIN { printf "%.1f M", t / 1e6 }')"
    printf 'Of these, %s per order opened PostgreSQL connections the warm-up had not (SCRAM; a start-up cost):\n' \
        "$(awk -v s="$setup" -v n="$BENCH_PROFILE_COUNT" 'BEGIN { printf "%.2f M", s / n / 1e6 }')"
    printf '**%s instructions per order without connection set-up**, the figure changes are compared by.\n' \
        "$(awk -v t="$total" -v s="$setup" -v n="$BENCH_PROFILE_COUNT" 'BEGIN { printf "%.2f M", (t - s) / n / 1e6 }')"
    echo
    echo "Largest inclusive costs (a function and everything it calls):"
    echo
    table yes
    echo
    echo "Largest self costs (the function's own instructions):"
    echo
    table no
    echo
    echo "Self cost by object file (the executable holds our code, the Swift runtime, Foundation and gRPC-core):"
    echo
    echo "| object | instructions per order | share |"
    echo "|---|---:|---:|"
    callgrind_annotate --inclusive=no --threshold=100 "$dump" 2>/dev/null \
        | awk -v n="$BENCH_PROFILE_COUNT" -v t="$total" '/^ *[0-9,]+ \(/ && / \[[^]]*\]$/ && !/PROGRAM TOTALS/ {
            ir = $1; gsub(",", "", ir); match($0, / \[[^]]*\]$/); object = substr($0, RSTART + 2, RLENGTH - 3)
            k = split(object, p, "/"); sum[p[k]] += ir }
            END { for (o in sum) printf "%d\t| %s | %.0f | %.1f %% |\n", sum[o], o, sum[o] / n, 100 * sum[o] / t }' \
        | sort -rn | awk 'NR <= 10' | cut -f2-
} >"$BENCH_OUT/profile.md"
cat "$BENCH_OUT/profile.md"
