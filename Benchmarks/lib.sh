# Shared helpers for the benchmark scripts in this folder. Source it after scripts/lib.sh.
#
# Contract of a benchmark script Benchmarks/<name>.sh: it runs with the release binaries already built
# (BENCH_BIN), PostgreSQL up, the test venv ready; it starts the Temporal dev server(s) it needs with
# bench_temporal_start, prints progress, and writes its markdown section (tables with our figures beside
# the Python SDK's and the ratios) to "$BENCH_OUT/<name>.md". Sizes come from the environment so CI can
# run every benchmark small.
: "${BENCH_COUNT:=1000}"        # workflows / orders per measured run
: "${BENCH_CONCURRENCY:=50}"    # concurrent callers
: "${BENCH_RUNS:=3}"            # runs per figure; tables report the median
: "${BENCH_OUT:=$DATA/bench}"
: "${BENCH_BIN:=$ROOT/.build/release}"
export BENCH_COUNT BENCH_CONCURRENCY BENCH_RUNS BENCH_OUT BENCH_BIN
BENCH_PYTHON="$VENV/bin/python"
mkdir -p "$BENCH_OUT"

# bench_temporal_start NAME PORT [extra `temporal server start-dev` flags...]
# A private, in-memory dev server for one benchmark (no UI), so runs never share history or load.
bench_temporal_start() {
    local name=$1 port=$2; shift 2
    local pidfile="$BENCH_OUT/temporal-$name.pid"
    bench_temporal_stop "$name"
    "$TEMPORAL_CLI" server start-dev --headless --port "$port" --log-level error "$@" \
        >"$LOGS/bench-temporal-$name.log" 2>&1 &
    echo $! >"$pidfile"
    wait_for 60 "bench Temporal dev server $name on $port" \
        bash -c "\"$TEMPORAL_CLI\" operator cluster health --address 127.0.0.1:$port 2>/dev/null | grep -q SERVING" \
        || die "bench Temporal server $name did not start; see $LOGS/bench-temporal-$name.log"
}

bench_temporal_stop() { stop_pidfile "$BENCH_OUT/temporal-$1.pid" "bench Temporal dev server $1" >/dev/null; }

# bench_link_binaries DIR PRODUCT...: DIR names the release binaries of PRODUCT..., wherever each was built
# (scripts/lib.sh's release_bin).
bench_link_binaries() {
    local dir=$1 product; shift
    mkdir -p "$dir"
    for product in "$@"; do ln -sf "$(release_bin "$product")/$product" "$dir/$product"; done
}

# valgrind_copy BINARY DIR: copies BINARY into DIR without its debug info and prints the copy's path. Valgrind 3.19
# cannot read the toolchain's DWARF 5; the symbol table, all callgrind needs for function names, stays.
valgrind_copy() {
    local copy
    copy="$2/$(basename "$1")"
    cp "$1" "$copy" && strip --strip-debug "$copy" && echo "$copy"
}

# proc_cpu_ms PID: user+sys CPU time the process has used so far, in milliseconds.
proc_cpu_ms() {
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print int(($12 + $13) * 1000 / hz) }' "/proc/$1/stat"
}

# proc_peak_rss_mb PID: the process's peak resident set size so far (VmHWM), in MiB with one decimal.
proc_peak_rss_mb() { awk '/^VmHWM:/ { printf "%.1f\n", $2 / 1024 }' "/proc/$1/status"; }

# median: the median of the numbers on stdin, one per line.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ratio A B [DIGITS]: A / B, or "n/a" when B is zero or missing.
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.*f\n", d, a / b }'; }

# load_average: the machine's 1-minute load average now. A section records it at its start and end (load_note),
# so a reader can tell figures measured on a busy shared machine from figures of record.
load_average() { cut -d' ' -f1 /proc/loadavg; }
# load_note START END: one sentence for a section's text.
load_note() {
    echo "Load average (1 min) at the start and end of this section: $1 and $2 on $(nproc) cores$(
        awk -v a="$1" -v b="$2" -v n="$(nproc)" 'BEGIN { if (a > 2 * n || b > 2 * n) printf "; the machine was busy with other work, so absolute figures are slow and noisy and the ratios are what carries over" }')."
}

# bench_psql DATABASE [psql arguments...]: one quiet psql call on the shared PostgreSQL, stopping on errors.
bench_psql() {
    local database=$1; shift
    PGPASSWORD="$POSTGRES_PASSWORD" PGOPTIONS="-c client_min_messages=warning" psql -h "$POSTGRES_HOST" \
        -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d "$database" -v ON_ERROR_STOP=1 -Atq "$@"
}

# bench_migrated_database DATABASE NAME: creates DATABASE if it is missing (another section may be creating
# it at the same moment) and migrates it with the order-worker under test; NAME names the log.
bench_migrated_database() {
    local database=$1 log="$LOGS/bench-$2-migrate.log"
    local exists="SELECT 1 FROM pg_database WHERE datname = '$database'"
    if [ -z "$(bench_psql postgres -c "$exists")" ]; then
        say "creating database $database"
        bench_psql postgres -c "CREATE DATABASE $database" 2>/dev/null \
            || [ -n "$(bench_psql postgres -c "$exists")" ] || die "could not create database $database"
    fi
    POSTGRES_DB=$database "$BENCH_BIN/order-worker" migrate --log-level warning >"$log" 2>&1 \
        || die "migrating $database failed; see $log"
}
