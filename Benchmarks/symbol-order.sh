#!/usr/bin/env bash
# Writes Linker/order-worker.order, the order in which the release link lays out order-worker's functions: every
# function the worker runs in the shipped configuration, most instructions first. The kernel maps an executable's
# code 64 KiB at a time around each page touched; with the ~2 MiB of code a worker runs spread over 24 MiB of
# text, most of the text ended up resident. Laid out together, the code that runs fits in few pages (BENCHMARKS.md,
# "Orders (as shipped)"). The list comes from `valgrind --tool=callgrind` over the worker's whole life: start-up,
# WARM orders at WARM in flight, SYMBOL_ORDER_COUNT orders at 10 in flight through the API, then a burst of
# SYMBOL_ORDER_BURST created at once (a full cache, backpressure, replays and task heartbeats), shutdown, with
# /metrics, /healthz and /readyz scraped throughout. Functions not in the list (errors, rare paths, code added since)
# are laid out after it, so a stale list costs memory, never correctness: run this again
# (`bash Benchmarks/symbol-order.sh`, ~5 min) after large changes to the worker.
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/Benchmarks/lib.sh"

: "${SYMBOL_ORDER_COUNT:=60}"
: "${SYMBOL_ORDER_BURST:=150}"
WARM=30
WORK="$BENCH_OUT/symbol-order"
ORDER_FILE="$ROOT/Linker/order-worker.order"
say "symbol order: release build of order-worker and order-api"
release_build order-worker order-api
BENCH_BIN="$BENCH_OUT/symbol-order-bin"
bench_link_binaries "$BENCH_BIN" order-worker order-api
source "$ROOT/Benchmarks/shipped_env.sh"
trap shipped_cleanup EXIT
command -v valgrind >/dev/null || die "valgrind is not installed (apt-get install valgrind)"

WORKER_BIN=$(valgrind_copy "$WORKER_BIN" "$WORK") || die "could not copy $WORKER_BIN for valgrind"
OUT="$WORK/callgrind.out"
# As shipped, the fraud screen on (start_worker turns it off for the Python peer's sake; env here turns it back on).
WORKER_WRAPPER=(env FRAUD_SCREEN=on valgrind --tool=callgrind --demangle=no --callgrind-out-file="$OUT")
prepare_database
start_servers
reset_database
queue="symbol-order-$$"
start_worker ours "$queue" 300
start_api "$queue"
driver=("$BENCH_PYTHON" "$DRIVER" --api "127.0.0.1:$API_PORT_SHIPPED" --redis "127.0.0.1:$REDIS_PORT_SHIPPED"
    --temporal "127.0.0.1:$TEMPORAL_PORT_SHIPPED")
# Scraped as Prometheus and a probe would be (every 2 s): rendering /metrics runs code no order does, and a first
# scrape outside the list pulled ~4 MiB more of the text into memory.
while sleep 2; do
    for path in metrics healthz readyz; do curl -fsS -o /dev/null "http://127.0.0.1:$METRICS_PORT/$path" || true; done
done &
scraper=$!
trap 'kill $scraper 2>/dev/null || true; shipped_cleanup' EXIT
say "symbol order: $WARM + $SYMBOL_ORDER_COUNT orders with order-worker under callgrind"
"${driver[@]}" --count "$WARM" --concurrency "$WARM" --id-prefix symbol-warm >/dev/null || die "the warm-up failed"
"${driver[@]}" --count "$SYMBOL_ORDER_COUNT" --concurrency 10 --id-prefix symbol >/dev/null || die "the orders failed"
say "symbol order: a burst of $SYMBOL_ORDER_BURST orders"
"${driver[@]}" --burst --count "$SYMBOL_ORDER_BURST" --concurrency 50 --id-prefix symbol-burst >/dev/null \
    || die "the burst failed"
kill $scraper 2>/dev/null
stop_pidfile "$API_PIDFILE" "order-api" >/dev/null
stop_pidfile "$WORKER_PIDFILE" "order worker under callgrind" >/dev/null
[ -s "$OUT" ] || die "callgrind wrote no profile ($OUT)"

# Self cost per function of the executable, largest first; only names its symbol table defines as code.
nm --defined-only "$WORKER_BIN" | awk '$2 ~ /^[tTwW]$/ { print $3 }' | sort -u >"$WORK/functions"
callgrind_annotate --inclusive=no --threshold=100 "$OUT" 2>/dev/null \
    | awk -v exe="[$WORKER_BIN]" '/^ *[0-9,]+ \(/ && index($0, exe) { sub(/ \[[^]]*\]$/, ""); sub(/^.*  [^:]*:/, ""); print }' \
    | awk 'NR == FNR { known[$1] = 1; next } ($1 in known) && !seen[$1]++' "$WORK/functions" - >"$WORK/order"
[ "$(wc -l <"$WORK/order")" -gt 1000 ] || die "only $(wc -l <"$WORK/order") functions found in $OUT"
mkdir -p "$(dirname "$ORDER_FILE")"
mv "$WORK/order" "$ORDER_FILE"
say "wrote $ORDER_FILE ($(wc -l <"$ORDER_FILE") functions)"
