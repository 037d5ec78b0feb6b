#!/usr/bin/env bash
# make bench: builds release, runs the benchmarks in Benchmarks/ (ours beside the Temporal Python SDK's,
# same servers, same run) and writes their sections of BENCHMARKS.md (scripts/report_sections.py keeps the others).
#   bench.sh [section ...]     sections: client worker orders backlog workers api replay shipped profile
#                              local-activities (default: all)
# Sizes: BENCH_COUNT (1000) BENCH_CONCURRENCY (50) BENCH_RUNS (3), BENCH_BACKLOG_SIZES (2000 5000 10000; small
# when BENCH_COUNT is); BENCH_REPORT is where the report goes;
# BENCH_BIN, when set, names prebuilt binaries to use instead of a release build (CI's small run uses debug).
PREBUILT_BIN="${BENCH_BIN:-}"
source "$(dirname "$0")/lib.sh"
source "$ROOT/Benchmarks/lib.sh"
cd "$ROOT"

SECTIONS=("$@")
[ ${#SECTIONS[@]} -gt 0 ] || SECTIONS=(client worker orders backlog workers api replay shipped profile local-activities)
: "${BENCH_REPORT:=$ROOT/BENCHMARKS.md}"

if [ -n "$PREBUILT_BIN" ]; then
    BENCH_BIN="$PREBUILT_BIN"
    say "using the binaries in $BENCH_BIN"
else
    say "building release binaries"
    release_build orderflow-bench order-worker order-api
    BENCH_BIN="$BENCH_OUT/bin"
    bench_link_binaries "$BENCH_BIN" orderflow-bench order-worker order-api
fi
export BENCH_BIN

started=$(date -u '+%Y-%m-%d %H:%M UTC')
failed=()
for section in "${SECTIONS[@]}"; do
    script="$ROOT/Benchmarks/$section.sh"
    [ -f "$script" ] || die "no benchmark named $section (Benchmarks/$section.sh)"
    rm -f "$BENCH_OUT/$section.md"
    say "benchmark: $section (count $BENCH_COUNT, concurrency $BENCH_CONCURRENCY, runs $BENCH_RUNS)"
    if ! bash "$script"; then
        failed+=("$section")
        printf '## %s\n\nThe benchmark failed; see the output of `make bench`.\n' "$section" >"$BENCH_OUT/$section.md"
    fi
done

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
if [ -n "$PREBUILT_BIN" ]; then
    binaries="${BENCH_BIN#"$ROOT"/}"
else
    binaries="release (\`release_build\` in scripts/lib.sh)"
fi
header="$BENCH_OUT/header.md"
{
    echo "# OrderFlow benchmarks"
    echo
    echo "Written by \`make bench\` (one section: \`bash scripts/bench.sh orders\`, sizes by environment) and, for"
    echo "the drill section, \`make drill\`. Each section says when it was measured and at what size; running"
    echo "one section rewrites only that one. Every table puts our figures beside the Temporal Python SDK's,"
    echo "measured against the same Temporal dev server in the same run; each figure is the median of the"
    echo "section's runs. Absolute times move with the load on this shared machine; the ratios are the point."
    echo
    echo "| | |"
    echo "|---|---|"
    echo "| machine | $(nproc) × $cpu, $mem, $(uname -sr) |"
    echo "| Swift | $(swift --version 2>&1 | head -1) |"
    echo "| Temporal | $("$TEMPORAL_CLI" --version 2>/dev/null | head -1) |"
    echo "| Python SDK | temporalio $("$BENCH_PYTHON" -c 'import temporalio; print(temporalio.__version__)' 2>/dev/null) on $("$BENCH_PYTHON" --version 2>&1) |"
    echo "| binaries | release: order-worker and orderflow-bench with the Swift runtime linked statically, order-api" \
        "with the shared runtime and NIO's event loops as its executor |"
} >"$header"
pairs=()
for section in "${SECTIONS[@]}"; do
    stamped="$BENCH_OUT/$section.stamped.md"
    {
        sed -n '1p' "$BENCH_OUT/$section.md"
        echo
        echo "_Measured $started: BENCH_COUNT=$BENCH_COUNT BENCH_CONCURRENCY=$BENCH_CONCURRENCY BENCH_RUNS=$BENCH_RUNS, binaries $binaries._"
        sed -n '2,$p' "$BENCH_OUT/$section.md"
    } >"$stamped"
    pairs+=("$section=$stamped")
done
python3 "$ROOT/scripts/report_sections.py" "$BENCH_REPORT" "$header" "${pairs[@]}"
say "wrote the sections ${SECTIONS[*]} of $BENCH_REPORT"
[ ${#failed[@]} -eq 0 ] || die "benchmarks failed: ${failed[*]}"
