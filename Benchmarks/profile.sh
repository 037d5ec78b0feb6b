#!/usr/bin/env bash
# Where `order-worker` spends its instructions per order in the shipped configuration (issue 18): the worker
# runs under `valgrind --tool=callgrind` (collection off at start, so start-up and warm-up are not counted)
# while Benchmarks/python/api_load.py creates BENCH_PROFILE_COUNT orders through the API (the servers and
# settings of Benchmarks/shipped_env.sh). Callgrind counts instructions, which do not move with the load on
# a shared machine: compare changes by these, not by seconds. Writes "$BENCH_OUT/profile.md": instructions
# per order and the ten largest costs, inclusive and self, by function (Swift names demangled); the raw
# profile stays in $BENCH_OUT/profile/callgrind.out.* for callgrind_annotate or KCachegrind.
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/Benchmarks/lib.sh"

: "${BENCH_PROFILE_COUNT:=$((BENCH_COUNT >= 100 ? 100 : 5))}"
: "${BENCH_PROFILE_CONCURRENCY:=10}"
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
# Valgrind 3.19 cannot read the toolchain's DWARF 5: profile a copy without debug info (the symbol table,
# all callgrind needs for function names, stays).
cp "$WORKER_BIN" "$WORK/order-worker"
strip --strip-debug "$WORK/order-worker"
WORKER_BIN="$WORK/order-worker"
WORKER_WRAPPER=(valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$OUT")
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
"${driver[@]}" --count 5 --id-prefix profile-warm >/dev/null || die "the warm-up under callgrind failed"
callgrind_control --instr=on "$pid" >/dev/null
say "profile: $BENCH_PROFILE_COUNT orders under callgrind"
report=$("${driver[@]}" --count "$BENCH_PROFILE_COUNT" --id-prefix profile) \
    || die "the profiled orders failed: $report"
callgrind_control --dump=profile "$pid" >/dev/null
callgrind_control --instr=off "$pid" >/dev/null
stop_pidfile "$API_PIDFILE" "order-api" >/dev/null
stop_pidfile "$WORKER_PIDFILE" "order worker under callgrind" >/dev/null
# The dump taken after the measured orders (the file written at exit holds only the shutdown).
dump=$(grep -l '^desc: Trigger: Client Request: profile' "$OUT"* 2>/dev/null | head -1)
[ -n "$dump" ] || die "callgrind wrote no dump for the profiled orders (files: $(ls "$OUT"* 2>/dev/null))"

total=$(awk '/^(summary|totals):/ { print $2; exit }' "$dump")
annotate() { # annotate yes|no: the ten largest functions, inclusive or self, as "IR<TAB>NAME" lines.
    callgrind_annotate --inclusive="$1" --threshold=100 "$dump" 2>/dev/null \
        | awk '/^ *[0-9,]+ \(/ && /:/ { ir = $1; gsub(",", "", ir); sub(/^ *[0-9,]+ \([^)]*\) +/, ""); print ir "\t" $0 }' \
        | grep -v 'PROGRAM TOTALS' | head -10 | "$DEMANGLE" --simplified
}
table() { # table yes|no
    echo "| instructions per order | share | function |"
    echo "|---:|---:|---|"
    annotate "$1" | while IFS=$'\t' read -r ir name; do
        name=${name#*:}
        name=${name//|/\\|}
        [ ${#name} -le 160 ] || name="${name:0:157}..."
        printf '| %s | %s %% | `%s` |\n' "$(awk -v i="$ir" -v n="$BENCH_PROFILE_COUNT" 'BEGIN { printf "%.0f", i / n }')" \
            "$(awk -v i="$ir" -v t="$total" 'BEGIN { printf "%.1f", 100 * i / t }')" "$name"
    done
}

{
    echo "## Profile: order-worker's instructions per order (callgrind, as shipped)"
    echo
    echo "\`order-worker\` under \`valgrind --tool=callgrind\` in the configuration of the as-shipped section (API in"
    echo "front, 1–3 items per order, Redis feed on, history on disk), counting only while"
    echo "$BENCH_PROFILE_COUNT orders ran ($BENCH_PROFILE_CONCURRENCY in flight, after 5 warm-up orders). Instruction counts"
    echo "do not depend on the machine's load: changes are compared by them. All threads together; names"
    echo "demangled by swift-demangle. Raw profile: \`$(basename "$dump")\` under the benchmark output folder."
    echo
    printf '**%s instructions per order** (%s in all).\n' \
        "$(awk -v t="$total" -v n="$BENCH_PROFILE_COUNT" 'BEGIN { printf "%.2f M", t / n / 1e6 }')" \
        "$(awk -v t="$total" 'BEGIN { printf "%.1f M", t / 1e6 }')"
    echo
    echo "Largest inclusive costs (a function and everything it calls):"
    echo
    table yes
    echo
    echo "Largest self costs (the function's own instructions):"
    echo
    table no
} >"$BENCH_OUT/profile.md"
cat "$BENCH_OUT/profile.md"
