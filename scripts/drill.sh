#!/usr/bin/env bash
# make drill: the fault drill. DRILL_ORDERS orders (default 300) go through POST /api/orders at a
# steady pace while the worker is killed with SIGKILL twice (and restarted), PostgreSQL is
# restarted once, and the worker is upgraded mid-load: it starts as the build from before the fraud
# screen (FRAUD_SCREEN=off) and is replaced by the build with it (the `fraud-screen` patch) while
# orders are in flight. Orders the old build started must finish on the old path, orders started
# after the switch must run ScreenFraud, and no history may hold a non-determinism failure.
# Then every order must reach a terminal state and the books must balance: at most
# one payment per order, no double refund or release, completed orders paid once and never refunded,
# cancelled/failed orders holding neither money nor stock, and per product
# stock + unreleased reservations = the starting stock. Prints the figures, writes them to
# test-output/drill/, and exits non-zero naming every violated invariant.
#
# Everything it disrupts is its own, so it never disturbs the shared services: a private PostgreSQL
# cluster (.data/drill/postgres on DRILL_PG_PORT, default 5442), a private in-memory Temporal dev
# server (DRILL_TEMPORAL_PORT, 7341; disposable, so a failed drill leaves no open workflows in the
# shared server's history and the drill's counts need no filtering), and its own order-worker and
# order-api (binaries from DRILL_BIN, default .build/debug; API on DRILL_API_PORT, 18090).
# Logs: .data/logs/drill-*.log. Everything it started is stopped on exit, failure included.
#
# Sizes and knobs (environment): DRILL_ORDERS, DRILL_SECONDS (submission window; default
# max(24, orders/8)), DRILL_DRAIN_TIMEOUT (seconds to wait for every order to finish; default
# 120 + orders/2), DRILL_SEED, DRILL_WORKER_DOWN_SECONDS, DRILL_PG_DOWN_SECONDS, DRILL_OUT,
# DRILL_FRAUD_MAX_ORDERS (the new build's FRAUD_VELOCITY_MAX_ORDERS; default 3, so some customers
# go over it and FraudSuspected shows).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

: "${DRILL_ORDERS:=300}"
: "${DRILL_BIN:=.build/debug}"
: "${DRILL_PG_PORT:=5442}"
: "${DRILL_API_PORT:=18090}"
: "${DRILL_TEMPORAL_PORT:=7341}"
: "${DRILL_SEED:=7}"
: "${DRILL_SECONDS:=$(( DRILL_ORDERS / 8 > 24 ? DRILL_ORDERS / 8 : 24 ))}"
: "${DRILL_DRAIN_TIMEOUT:=$(( 120 + DRILL_ORDERS / 2 ))}"
: "${DRILL_WORKER_DOWN_SECONDS:=2}"
: "${DRILL_PG_DOWN_SECONDS:=2}"
: "${DRILL_OUT:=$ROOT/test-output/drill}"
[[ "$DRILL_ORDERS" =~ ^[1-9][0-9]*$ ]] || die "DRILL_ORDERS must be a positive integer (got '$DRILL_ORDERS')"
case "$DRILL_BIN" in /*) ;; *) DRILL_BIN="$ROOT/$DRILL_BIN" ;; esac

RUN_ID="drill-$(date -u +%Y%m%d%H%M%S)-$$"
DRILL_DIR="$DATA/drill"
RUN_DIR="$DRILL_DIR/run"
DRILL_PG_DATA="$DRILL_DIR/postgres"
DRILL_PG_SOCKETS="$DRILL_DIR/postgres-run"
PYTHON="$VENV/bin/python"
LOAD="$ROOT/scripts/drill_load.py"
# The starting stock of every product: scarce enough that the later valid orders meet
# InsufficientInventory, so reservations are also refused and rolled back under the faults.
STOCK_PER_PRODUCT=$(( DRILL_ORDERS / 4 > 10 ? DRILL_ORDERS / 4 : 10 ))
# Above every valid order's total (at most two lines of two units), below the "declined" orders'.
PAYMENT_LIMIT="5000.00"

# The settings (docs/configuration.md) of the drill's own processes. Transient payment failures and a payment
# delay keep orders mid-workflow when the faults land; short retry intervals keep the drill quick.
export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT="$DRILL_PG_PORT" POSTGRES_USER=orderflow \
    POSTGRES_PASSWORD=orderflow123 POSTGRES_DB=orderflow
export TEMPORAL_HOST_PORT="127.0.0.1:$DRILL_TEMPORAL_PORT" TEMPORAL_NAMESPACE=default TEMPORAL_TASK_QUEUE="$RUN_ID"
export API_HOST=127.0.0.1 API_PORT="$DRILL_API_PORT" LOG_LEVEL="${DRILL_LOG_LEVEL:-info}"
export PAYMENT_FAILURE_RATE=0.2 PAYMENT_DELAY_MS=1500 PAYMENT_MAX_AMOUNT="$PAYMENT_LIMIT"
export ACTIVITY_INITIAL_INTERVAL_MS=200 ACTIVITY_MAX_ATTEMPTS=6
export FRAUD_VELOCITY_MAX_ORDERS="${DRILL_FRAUD_MAX_ORDERS:-3}" FRAUD_VELOCITY_WINDOW_SECONDS=3600
unset FRAUD_VELOCITY_MAX_AMOUNT
unset REDIS_URL TEMPORAL_TLS_CA TEMPORAL_TLS_CERT TEMPORAL_TLS_KEY TEMPORAL_API_KEY

API_URL="http://127.0.0.1:$DRILL_API_PORT"
WORKER_PIDFILE="$RUN_DIR/order-worker.pid"
API_PIDFILE="$RUN_DIR/order-api.pid"
TEMPORAL_PIDFILE="$RUN_DIR/temporal.pid"
LOAD_PIDFILE="$RUN_DIR/load.pid"

as_postgres() { runuser -u postgres -- "$@"; }
now_ms() { date +%s%3N; }
seconds_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
dsql() {
    PGPASSWORD="$POSTGRES_PASSWORD" psql -h 127.0.0.1 -p "$DRILL_PG_PORT" -U "$POSTGRES_USER" -d "$POSTGRES_DB" \
        -X -q -A -t -F '|' -v ON_ERROR_STOP=1 "$@"
}

# ---------------------------------------------------------------------------------------------
# Cleanup: everything this run started, through its pid files, on every exit.

pg_running() { [ -f "$DRILL_PG_DATA/postmaster.pid" ] && as_postgres "$PG_BIN/pg_ctl" -D "$DRILL_PG_DATA" status >/dev/null 2>&1; }

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    stop_pidfile "$LOAD_PIDFILE" "drill load driver" >/dev/null
    stop_pidfile "$API_PIDFILE" "drill order-api" >/dev/null
    stop_pidfile "$WORKER_PIDFILE" "drill order-worker" >/dev/null
    stop_pidfile "$TEMPORAL_PIDFILE" "drill Temporal dev server" >/dev/null
    if pg_running; then
        as_postgres "$PG_BIN/pg_ctl" -D "$DRILL_PG_DATA" -m fast -w stop >/dev/null 2>&1
    fi
    [ "$rc" = 0 ] || printf 'drill: FAILED (exit %s); logs: %s/drill-*.log\n' "$rc" "$LOGS" >&2
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# Private services.

# fsync=off is safe here (the drill crashes the server, never the machine); synchronous_commit stays on,
# or an immediate stop would lose commits the worker was told had happened.
pg_start() {
    as_postgres "$PG_BIN/pg_ctl" -D "$DRILL_PG_DATA" -l "$LOGS/drill-postgres.log" -w -t 60 \
        -o "-p $DRILL_PG_PORT -k $DRILL_PG_SOCKETS -c listen_addresses=127.0.0.1 -c max_connections=100 -c fsync=off -c full_page_writes=off" \
        start >/dev/null || die "the drill's PostgreSQL did not start; see $LOGS/drill-postgres.log"
}

postgres_up() {
    [ -n "$PG_BIN" ] || die "PostgreSQL 15 binaries not found; run 'make deps'"
    # A cluster left running by an interrupted drill is ours: stop it before wiping it.
    pg_running && as_postgres "$PG_BIN/pg_ctl" -D "$DRILL_PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
    port_busy "$DRILL_PG_PORT" && die "port $DRILL_PG_PORT is taken; set DRILL_PG_PORT"
    rm -rf "$DRILL_PG_DATA"
    mkdir -p "$DRILL_PG_DATA" "$DRILL_PG_SOCKETS"
    chown postgres:postgres "$DRILL_PG_DATA" "$DRILL_PG_SOCKETS"
    chmod 700 "$DRILL_PG_DATA"
    : >"$LOGS/drill-postgres.log"
    chown postgres:postgres "$LOGS/drill-postgres.log"
    as_postgres "$PG_BIN/initdb" -D "$DRILL_PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 --no-sync >"$LOGS/drill-initdb.log" 2>&1 || die "initdb failed; see $LOGS/drill-initdb.log"
    pg_start
    as_postgres psql -h "$DRILL_PG_SOCKETS" -p "$DRILL_PG_PORT" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE $POSTGRES_USER LOGIN PASSWORD '$POSTGRES_PASSWORD'" \
        -c "CREATE DATABASE $POSTGRES_DB OWNER $POSTGRES_USER" >/dev/null
    say "private PostgreSQL on port $DRILL_PG_PORT ($DRILL_PG_DATA)"
}

postgres_restart() {
    # Immediate: the server dies as in a crash (open connections cut, recovery at start).
    as_postgres "$PG_BIN/pg_ctl" -D "$DRILL_PG_DATA" -m immediate -w stop >/dev/null
    sleep "$DRILL_PG_DOWN_SECONDS"
    pg_start
}

temporal_up() {
    port_busy "$DRILL_TEMPORAL_PORT" && die "port $DRILL_TEMPORAL_PORT is taken; set DRILL_TEMPORAL_PORT"
    "$TEMPORAL_CLI" server start-dev --headless --ip 127.0.0.1 --port "$DRILL_TEMPORAL_PORT" --log-level error \
        >"$LOGS/drill-temporal.log" 2>&1 </dev/null &
    echo $! >"$TEMPORAL_PIDFILE"
    wait_for 90 "private Temporal dev server on port $DRILL_TEMPORAL_PORT" \
        bash -c "\"$TEMPORAL_CLI\" operator cluster health --address 127.0.0.1:$DRILL_TEMPORAL_PORT 2>/dev/null | grep -q SERVING" \
        || die "the drill's Temporal dev server did not start; see $LOGS/drill-temporal.log"
}

WORKER_STARTS=0
# The worker build: "old" (FRAUD_SCREEN=off, OrderWorkflow as before the fraud screen) until the
# rolling upgrade, "new" after it. The pids of old-build processes tell who started which order.
WORKER_BUILD=old
declare -a OLD_BUILD_PIDS=()
worker_start() {
    WORKER_STARTS=$((WORKER_STARTS + 1))
    local screen=off
    [ "$WORKER_BUILD" = new ] && screen=on
    printf '\n===== drill: order-worker start #%s (%s build, FRAUD_SCREEN=%s) at %s =====\n' "$WORKER_STARTS" \
        "$WORKER_BUILD" "$screen" "$(date -u +%T.%3N)" >>"$LOGS/drill-worker.log"
    FRAUD_SCREEN=$screen "$DRILL_BIN/order-worker" run >>"$LOGS/drill-worker.log" 2>&1 </dev/null &
    echo $! >"$WORKER_PIDFILE"
    [ "$WORKER_BUILD" = old ] && OLD_BUILD_PIDS+=("$!")
    return 0
}

api_start() {
    port_busy "$DRILL_API_PORT" && die "port $DRILL_API_PORT is taken; set DRILL_API_PORT"
    "$DRILL_BIN/order-api" >"$LOGS/drill-api.log" 2>&1 </dev/null &
    echo $! >"$API_PIDFILE"
    wait_for 90 "drill order-api /readyz" curl -fsS "$API_URL/readyz" \
        || die "the drill's order-api did not become ready; see $LOGS/drill-api.log"
}

in_flight() { dsql -c "SELECT count(*) FROM orders WHERE status NOT IN ('completed', 'cancelled', 'failed')" 2>/dev/null || echo "?"; }

# ---------------------------------------------------------------------------------------------
# Faults.

KILLS=0
PG_RESTARTS=0
declare -a FAULT_NOTES=()

kill_worker() {
    local pid; pid=$(cat "$WORKER_PIDFILE")
    kill -0 "$pid" 2>/dev/null || die "order-worker (pid $pid) exited by itself before the drill killed it; see $LOGS/drill-worker.log"
    local flight; flight=$(in_flight)
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null || true
    KILLS=$((KILLS + 1))
    say "fault: order-worker (pid $pid) killed with SIGKILL #$KILLS ($flight orders in flight); down for ${DRILL_WORKER_DOWN_SECONDS}s"
    FAULT_NOTES+=("SIGKILL #$KILLS with $flight orders in flight")
    sleep "$DRILL_WORKER_DOWN_SECONDS"
    worker_start
    say "fault: order-worker restarted (pid $(cat "$WORKER_PIDFILE"))"
}

# The rolling upgrade: the old build shuts down gracefully (it finishes the tasks it holds), the
# orders in flight are noted, and the new build takes over the same task queue. Never both at once:
# an old-build worker would fail the workflow tasks of runs that took the new path.
UPGRADE_NOTE="not done"
upgrade_worker() {
    local pid; pid=$(cat "$WORKER_PIDFILE")
    kill -0 "$pid" 2>/dev/null || die "order-worker (pid $pid) exited by itself before the upgrade; see $LOGS/drill-worker.log"
    kill -TERM "$pid"
    local waited=0
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 300 ]; do sleep 0.1; waited=$((waited + 1)); done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    wait "$pid" 2>/dev/null || true
    dsql -c "INSERT INTO drill.upgrade (switch_ms) VALUES ($(now_ms));
             INSERT INTO drill.in_flight_at_switch SELECT id, status FROM orders
              WHERE status NOT IN ('completed', 'cancelled', 'failed')"
    local flight; flight=$(dsql -c "SELECT coalesce(sum(n), 0) || ' (' || coalesce(string_agg(status || ' ' || n, ', '
        ORDER BY status), '-') || ')' FROM (SELECT status, count(*) n FROM drill.in_flight_at_switch GROUP BY status) s")
    WORKER_BUILD=new
    worker_start
    UPGRADE_NOTE="$flight orders in flight at the switch"
    say "upgrade: old build (FRAUD_SCREEN=off, pid $pid) stopped after $((waited / 10))s with $flight orders in flight; new build (FRAUD_SCREEN=on, pid $(cat "$WORKER_PIDFILE")) started"
    FAULT_NOTES+=("rolling upgrade with $flight orders in flight")
}

restart_postgres() {
    local flight; flight=$(in_flight)
    say "fault: PostgreSQL stopped (immediate) with $flight orders in flight; down for ${DRILL_PG_DOWN_SECONDS}s"
    postgres_restart
    PG_RESTARTS=$((PG_RESTARTS + 1))
    FAULT_NOTES+=("PostgreSQL restart with $flight orders in flight")
    say "fault: PostgreSQL is back"
}

# ---------------------------------------------------------------------------------------------

[ -x "$DRILL_BIN/order-worker" ] && [ -x "$DRILL_BIN/order-api" ] \
    || die "no order-worker/order-api in $DRILL_BIN; build them (swift build --product order-worker; swift build --product order-api) or set DRILL_BIN"
[ -x "$PYTHON" ] || die "no $PYTHON; run 'make deps'"
need_temporal

mkdir -p "$RUN_DIR" "$DRILL_OUT"
# One drill at a time: a second one would take the first one's cluster and ports for stale leftovers.
exec 9>"$DRILL_DIR/lock"
flock -n 9 || die "another drill is running in this tree ($DRILL_DIR/lock)"
rm -f "$DRILL_OUT"/{submissions.csv,load.json,workflows.csv,api-statuses.csv,upgrade.csv,invariants.txt,figures.txt}
for stale in "$LOAD_PIDFILE" "$API_PIDFILE" "$WORKER_PIDFILE" "$TEMPORAL_PIDFILE"; do
    stop_pidfile "$stale" "process left by an earlier drill"
done
: >"$LOGS/drill-worker.log"
: >"$LOGS/drill-load.log"

T0=$(now_ms)
say "fault drill $RUN_ID: $DRILL_ORDERS orders over ${DRILL_SECONDS}s, 2 worker SIGKILLs, 1 PostgreSQL restart, 1 rolling upgrade"
postgres_up
temporal_up
"$DRILL_BIN/order-worker" migrate >"$LOGS/drill-migrate.log" 2>&1 || die "migration failed; see $LOGS/drill-migrate.log"
dsql <<SQL
UPDATE products SET stock = $STOCK_PER_PRODUCT;
CREATE SCHEMA drill;
CREATE TABLE drill.stock_start AS SELECT id AS product_id, stock FROM products;
CREATE TABLE drill.submissions (order_id TEXT PRIMARY KEY, kind TEXT, total NUMERIC(12,2), http_status INT,
    accepted BOOLEAN, cancel TEXT, submit_ms INT);
CREATE TABLE drill.workflows (order_id TEXT PRIMARY KEY, status TEXT, payments_scheduled INT, refunds_scheduled INT,
    refunds_done INT, releases_scheduled INT, releases_done INT, workflow_task_failures INT,
    workflow_task_timeouts INT, activity_retries INT, nondeterminism_failures INT, path TEXT, fraud_screens INT,
    first_task_pid INT, started_ms BIGINT);
CREATE TABLE drill.upgrade (switch_ms BIGINT);
CREATE TABLE drill.in_flight_at_switch (order_id TEXT PRIMARY KEY, status TEXT);
CREATE TABLE drill.old_build_pids (pid INT PRIMARY KEY);
CREATE TABLE drill.api_statuses (order_id TEXT PRIMARY KEY, http_status INT, status TEXT, source TEXT);
SQL
worker_start
api_start
SETUP_SECONDS=$(seconds_since "$T0")

# --- submissions with the faults landing in between ------------------------------------------
T1=$(now_ms)
PROGRESS="$RUN_DIR/progress"
echo 0 >"$PROGRESS"
"$PYTHON" "$LOAD" load --api "$API_URL" --orders "$DRILL_ORDERS" --seconds "$DRILL_SECONDS" --prefix "$RUN_ID" \
    --seed "$DRILL_SEED" --max-payment "$PAYMENT_LIMIT" --progress "$PROGRESS" \
    --out "$DRILL_OUT/submissions.csv" --summary "$DRILL_OUT/load.json" >>"$LOGS/drill-load.log" 2>&1 &
echo $! >"$LOAD_PIDFILE"
LOAD_PID=$!

FAULTS=("$(( (DRILL_ORDERS + 2) / 3 ))" "$(( (2 * DRILL_ORDERS + 4) / 5 ))" "$(( (DRILL_ORDERS + 1) / 2 ))"
    "$(( (2 * DRILL_ORDERS + 2) / 3 ))")
FAULT_ACTIONS=(kill_worker upgrade_worker restart_postgres kill_worker)
next=0
last_report=$SECONDS
while kill -0 "$LOAD_PID" 2>/dev/null; do
    submitted=$(cat "$PROGRESS" 2>/dev/null || echo 0)
    if [ "$next" -lt ${#FAULTS[@]} ] && [ "${submitted:-0}" -ge "${FAULTS[$next]}" ]; then
        "${FAULT_ACTIONS[$next]}"
        next=$((next + 1))
    elif [ $((SECONDS - last_report)) -ge 5 ]; then
        say "submitted $submitted of $DRILL_ORDERS"
        last_report=$SECONDS
    fi
    sleep 0.2
done
LOAD_RC=0
wait "$LOAD_PID" || LOAD_RC=$?
rm -f "$LOAD_PIDFILE"
# A tiny run can finish submitting before the last fault's threshold is seen: the faults still happen.
while [ "$next" -lt ${#FAULTS[@]} ]; do "${FAULT_ACTIONS[$next]}"; next=$((next + 1)); done
[ "$LOAD_RC" = 0 ] || die "the load driver failed (exit $LOAD_RC); see $LOGS/drill-load.log"
grep "orders submitted in" "$LOGS/drill-load.log" || true
SUBMIT_SECONDS=$(seconds_since "$T1")
dsql -c "\\copy drill.submissions FROM '$DRILL_OUT/submissions.csv' WITH (FORMAT csv, HEADER true)"

# --- drain: every accepted order terminal in the database, no workflow of the run still open ---
T2=$(now_ms)
running_workflows() {
    "$TEMPORAL_CLI" workflow count --address "127.0.0.1:$DRILL_TEMPORAL_PORT" \
        --query "TaskQueue=\"$RUN_ID\" AND ExecutionStatus=\"Running\"" 2>/dev/null | grep -Eo '[0-9]+' | head -n 1
}
open_orders() {
    dsql -c "SELECT count(*) FROM drill.submissions s LEFT JOIN orders o ON o.id = s.order_id
              WHERE s.accepted AND (o.id IS NULL OR o.status NOT IN ('completed', 'cancelled', 'failed'))"
}
deadline=$((SECONDS + DRILL_DRAIN_TIMEOUT))
DRAINED=0
settled_polls=0
while :; do
    open=$(open_orders 2>/dev/null || echo "?")
    running=$(running_workflows || true)
    if [ "$open" = 0 ] && [ "${running:-?}" = 0 ]; then DRAINED=1; break; fi
    [ $SECONDS -lt $deadline ] || break
    # No workflow left to move them: orders still open now stay open. A few polls' grace for the
    # visibility store, then the invariants say which.
    if [ "${running:-?}" = 0 ]; then settled_polls=$((settled_polls + 1)); else settled_polls=0; fi
    [ "$settled_polls" -lt 3 ] || break
    say "draining: $open orders not yet terminal in the database, ${running:-?} workflows running ($((deadline - SECONDS))s left)"
    sleep 5
done
DRAIN_SECONDS=$(seconds_since "$T2")
[ "$DRAINED" = 1 ] && say "every order is terminal after ${DRAIN_SECONDS}s" \
    || say "gave up waiting after ${DRAIN_SECONDS}s: $open orders not terminal, ${running:-?} workflows running"

"$PYTHON" "$LOAD" histories --address "127.0.0.1:$DRILL_TEMPORAL_PORT" --task-queue "$RUN_ID" \
    --out "$DRILL_OUT/workflows.csv" >>"$LOGS/drill-load.log" 2>&1 || die "reading the workflows failed; see $LOGS/drill-load.log"
dsql -c "\\copy drill.workflows FROM '$DRILL_OUT/workflows.csv' WITH (FORMAT csv, HEADER true)"
for pid in "${OLD_BUILD_PIDS[@]}"; do dsql -c "INSERT INTO drill.old_build_pids VALUES ($pid) ON CONFLICT DO NOTHING"; done
"$PYTHON" "$LOAD" statuses --api "$API_URL" --orders-csv "$DRILL_OUT/submissions.csv" \
    --out "$DRILL_OUT/api-statuses.csv" >>"$LOGS/drill-load.log" 2>&1 || die "reading the statuses failed; see $LOGS/drill-load.log"
dsql -c "\\copy drill.api_statuses FROM '$DRILL_OUT/api-statuses.csv' WITH (FORMAT csv, HEADER true)"

# --- invariants ---------------------------------------------------------------------------------
# verdict NAME FINDINGS: the invariant holds when FINDINGS (one per line) is empty. The verdicts are
# printed through tee (a subshell), so violated names are collected in a file.
VIOLATED_FILE="$RUN_DIR/violated"
: >"$VIOLATED_FILE"
verdict() {
    local name=$1 findings=$2
    if [ -z "$findings" ]; then
        printf '  ok    %s\n' "$name"
    else
        printf '  FAIL  %s: %s, e.g. %s\n' "$name" "$(printf '%s\n' "$findings" | wc -l)" \
            "$(printf '%s\n' "$findings" | head -n 3 | paste -sd ' ' -)"
        printf '%s\n' "$name" >>"$VIOLATED_FILE"
    fi
}
# check NAME SQL: the query lists what breaks the invariant.
check() { verdict "$1" "$(dsql -c "$2")"; }

{
echo "invariants:"
check "the API accepted every order (no 5xx, no unanswered call)" \
    "SELECT order_id || ':http_' || http_status FROM drill.submissions WHERE NOT accepted"
check "every accepted order is terminal in the database" \
    "SELECT s.order_id || ':' || coalesce(o.status, 'no row') FROM drill.submissions s LEFT JOIN orders o ON o.id = s.order_id
      WHERE s.accepted AND (o.id IS NULL OR o.status NOT IN ('completed', 'cancelled', 'failed'))"
check "every accepted order's workflow is closed in Temporal" \
    "SELECT s.order_id || ':' || coalesce(w.status, 'no workflow') FROM drill.submissions s LEFT JOIN drill.workflows w USING (order_id)
      WHERE s.accepted AND (w.order_id IS NULL OR w.status = 'RUNNING')"
check "the workflow's outcome matches the order's status" \
    "SELECT o.id || ':' || o.status || '/' || w.status FROM orders o JOIN drill.workflows w ON w.order_id = o.id
      WHERE NOT ((o.status = 'completed' AND w.status = 'COMPLETED') OR (o.status = 'cancelled' AND w.status IN ('COMPLETED', 'CANCELED'))
              OR (o.status = 'failed' AND w.status = 'FAILED'))"
check "the API reports each order's final status, as stored (its pool survived the restart)" \
    "SELECT s.order_id || ':http_' || coalesce(a.http_status::text, '-') || ' ' || coalesce(a.status, '-') || '/' || coalesce(o.status, '-')
       FROM drill.submissions s LEFT JOIN drill.api_statuses a USING (order_id) LEFT JOIN orders o ON o.id = s.order_id
      WHERE s.accepted AND (a.http_status IS DISTINCT FROM 200 OR a.status IS DISTINCT FROM o.status)"
verdict "order-worker and order-api outlived the drill (no crash of their own)" \
    "$(pid_alive "$WORKER_PIDFILE" || echo "order-worker exited"; pid_alive "$API_PIDFILE" || echo "order-api exited")"
check "no order the drill did not submit" \
    "SELECT o.id FROM orders o LEFT JOIN drill.submissions s ON s.order_id = o.id WHERE s.order_id IS NULL"
check "at most one payment per order (and ProcessPayment scheduled at most once)" \
    "SELECT order_id || ':' || count(*) FROM payments GROUP BY order_id HAVING count(*) > 1
     UNION ALL SELECT order_id || ':scheduled ' || payments_scheduled FROM drill.workflows WHERE payments_scheduled > 1"
check "no double refund (one refund step per order, at most one refund taking effect)" \
    "SELECT order_id || ':scheduled ' || refunds_scheduled || ' done ' || refunds_done FROM drill.workflows
      WHERE refunds_scheduled > 1 OR refunds_done > 1
     UNION ALL SELECT order_id || ':' || status || ' refunded_at ' || coalesce(refunded_at::text, 'null') FROM payments
      WHERE (status = 'refunded') <> (refunded_at IS NOT NULL)"
check "no double release of stock" \
    "SELECT order_id || ':scheduled ' || releases_scheduled || ' done ' || releases_done FROM drill.workflows
      WHERE releases_scheduled > 1 OR releases_done > 1"
check "completed orders: exactly one payment, of the order's total, not refunded; all stock still reserved" \
    "SELECT o.id FROM orders o LEFT JOIN payments p ON p.order_id = o.id WHERE o.status = 'completed'
        AND (p.order_id IS NULL OR p.status <> 'completed' OR p.refunded_at IS NOT NULL OR p.amount <> o.total
             OR EXISTS (SELECT 1 FROM inventory_reservations r WHERE r.order_id = o.id AND r.released_at IS NOT NULL)
             OR (SELECT count(*) FROM inventory_reservations r WHERE r.order_id = o.id)
                <> (SELECT count(*) FROM order_items i WHERE i.order_id = o.id))"
check "cancelled/failed orders: no unrefunded payment, no unreleased reservation" \
    "SELECT o.id || ':' || o.status FROM orders o WHERE o.status IN ('cancelled', 'failed')
        AND (EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.refunded_at IS NULL)
             OR EXISTS (SELECT 1 FROM inventory_reservations r WHERE r.order_id = o.id AND r.released_at IS NULL))"
check "stock conserved per product: stock + unreleased reservations = starting stock" \
    "SELECT p.id || ': ' || p.stock || ' + ' || coalesce(r.quantity, 0) || ' <> ' || s.stock FROM products p
       JOIN drill.stock_start s ON s.product_id = p.id
       LEFT JOIN (SELECT product_id, sum(quantity) AS quantity FROM inventory_reservations WHERE released_at IS NULL
                   GROUP BY product_id) r ON r.product_id = p.id
      WHERE p.stock + coalesce(r.quantity, 0) <> s.stock"
check "orders that must fail never complete (over stock, unknown product, declined payment)" \
    "SELECT s.order_id || ':' || s.kind FROM drill.submissions s JOIN orders o ON o.id = s.order_id
      WHERE o.status = 'completed' AND s.kind IN ('over_stock', 'unknown_product', 'declined')"
check "no workflow task failed for non-determinism (the upgrade broke no history)" \
    "SELECT order_id || ':' || nondeterminism_failures FROM drill.workflows WHERE nondeterminism_failures > 0"
check "the upgrade happened with orders in flight" \
    "SELECT 'no order in flight at the switch' WHERE NOT EXISTS (SELECT 1 FROM drill.in_flight_at_switch)"
check "orders the old build started finished on the old path (no fraud-screen marker, no ScreenFraud)" \
    "SELECT order_id || ':' || path || ' screens ' || fraud_screens FROM drill.workflows
      WHERE first_task_pid IN (SELECT pid FROM drill.old_build_pids) AND (path <> 'old' OR fraud_screens > 0)"
check "orders the new build started (all started after the switch) ran the new path" \
    "SELECT w.order_id || ':' || w.path FROM drill.workflows w CROSS JOIN drill.upgrade u
      WHERE (w.started_ms > u.switch_ms OR w.first_task_pid NOT IN (SELECT pid FROM drill.old_build_pids))
        AND w.path <> 'new'"
check "new-path orders were screened before any payment" \
    "SELECT order_id FROM drill.workflows WHERE path = 'new' AND payments_scheduled > 0 AND fraud_screens = 0"
check "every terminal order has its one final notification" \
    "SELECT o.id || ':' || o.status FROM orders o WHERE o.status IN ('completed', 'cancelled', 'failed')
        AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.order_id = o.id AND n.kind = 'order_' || o.status)"
} | tee "$DRILL_OUT/invariants.txt"
mapfile -t VIOLATED <"$VIOLATED_FILE"

# --- figures --------------------------------------------------------------------------------------
figure() { dsql -c "$1"; }
load_figure() { "$PYTHON" -c "import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], 0))" "$DRILL_OUT/load.json" "$1"; }
ACCEPTED=$(figure "SELECT count(*) FROM drill.submissions WHERE accepted")
by_status() { figure "SELECT count(*) FROM orders WHERE status = '$1'"; }
KINDS=$(figure "SELECT string_agg(kind || ' ' || n, ', ' ORDER BY kind) FROM (SELECT kind, count(*) n FROM drill.submissions GROUP BY kind) k")
REASONS=$(figure "SELECT coalesce(string_agg(reason || ' ' || n, ', ' ORDER BY n DESC), '-') FROM
    (SELECT split_part(failure_reason, ':', 1) AS reason, count(*) n FROM orders WHERE status = 'failed' GROUP BY 1) r")
CANCELS=$(figure "SELECT coalesce(string_agg(cancel || ' ' || n, ', ' ORDER BY cancel), '-') FROM
    (SELECT cancel, count(*) n FROM drill.submissions WHERE kind = 'cancel' GROUP BY cancel) c")
PAYMENTS=$(figure "SELECT count(*) || ' (' || count(*) FILTER (WHERE refunded_at IS NULL) || ' kept, '
    || count(*) FILTER (WHERE refunded_at IS NOT NULL) || ' refunded)' FROM payments")
MAX_PAYMENTS=$(figure "SELECT coalesce(max(n), 0) FROM (SELECT count(*) n FROM payments GROUP BY order_id) p")
STOCK_START=$(figure "SELECT sum(stock) FROM drill.stock_start")
STOCK_END=$(figure "SELECT sum(stock) FROM products")
RESERVED=$(figure "SELECT coalesce(sum(quantity), 0) FROM inventory_reservations WHERE released_at IS NULL")
WF_STATUSES=$(figure "SELECT coalesce(string_agg(lower(status) || ' ' || n, ', ' ORDER BY status), '-') FROM
    (SELECT status, count(*) n FROM drill.workflows GROUP BY status) w")
API_READS=$(figure "SELECT coalesce(sum(n), 0) || ' (' || coalesce(string_agg(source || ' ' || n, ', ' ORDER BY source), '-') || ')' FROM
    (SELECT coalesce(nullif(source, ''), 'http_' || http_status) AS source, count(*) n FROM drill.api_statuses GROUP BY 1) a")
WFT_FAILURES=$(figure "SELECT coalesce(sum(workflow_task_failures), 0) FROM drill.workflows")
WFT_TIMEOUTS=$(figure "SELECT coalesce(sum(workflow_task_timeouts), 0) FROM drill.workflows")
ACTIVITY_RETRIES=$(figure "SELECT coalesce(sum(activity_retries), 0) || ' in ' || count(*) FILTER (WHERE activity_retries > 0)
    || ' orders' FROM drill.workflows")
PATHS=$(figure "SELECT coalesce(string_agg(path || ' ' || n, ', ' ORDER BY path), '-') FROM
    (SELECT path, count(*) n FROM drill.workflows GROUP BY path) p")
SCREENED=$(figure "SELECT count(*) FILTER (WHERE fraud_screens > 0) || ' screened, '
    || (SELECT count(*) FROM orders WHERE failure_reason LIKE 'FraudSuspected%') || ' FraudSuspected' FROM drill.workflows")
IN_FLIGHT_PATHS=$(figure "SELECT coalesce(string_agg(path || ' ' || n, ', ' ORDER BY path), 'none') FROM
    (SELECT coalesce(w.path, 'no workflow') AS path, count(*) n FROM drill.in_flight_at_switch f
       LEFT JOIN drill.workflows w USING (order_id) GROUP BY 1) p")
# One line per order in flight at the switch: its status then, the path it finished on, its end.
IN_FLIGHT_SQL="SELECT f.order_id, f.status AS status_at_switch, coalesce(w.path, '-') AS path,
    coalesce(o.status, '-') AS final_status FROM drill.in_flight_at_switch f LEFT JOIN drill.workflows w USING (order_id)
    LEFT JOIN orders o ON o.id = f.order_id ORDER BY f.order_id"
dsql -c "\\copy ($IN_FLIGHT_SQL) TO '$DRILL_OUT/upgrade.csv' WITH (FORMAT csv, HEADER true)"
IN_FLIGHT_EACH=$(figure "SELECT order_id || ': ' || status_at_switch || ' at the switch -> ' || path || ' path, '
    || final_status FROM ($IN_FLIGHT_SQL) f")
TOTAL_SECONDS=$(seconds_since "$T0")

{
printf '\nfault drill %s (%s)\n' "$RUN_ID" "$(date -u +%FT%TZ)"
printf '  %-34s %s\n' \
    "orders submitted" "$DRILL_ORDERS over ${DRILL_SECONDS}s ($KINDS)" \
    "orders accepted (201/200)" "$ACCEPTED" \
    "completed" "$(by_status completed)" \
    "cancelled" "$(by_status cancelled)" \
    "failed" "$(by_status failed) ($REASONS)" \
    "cancel requests through the API" "$CANCELS" \
    "503 retries (after Retry-After)" "$(load_figure retries_503)" \
    "429 retries" "$(load_figure retries_429)" \
    "connection retries" "$(load_figure retries_connection)" \
    "worker SIGKILLs" "$KILLS" \
    "PostgreSQL restarts" "$PG_RESTARTS" \
    "faults" "$(IFS=';'; echo "${FAULT_NOTES[*]}" | sed 's/;/; /g')" \
    "payments" "$PAYMENTS" \
    "max payments for one order" "$MAX_PAYMENTS" \
    "stock before" "$STOCK_START" \
    "stock after + unreleased reserved" "$STOCK_END + $RESERVED = $((STOCK_END + RESERVED))" \
    "workflows in Temporal" "$WF_STATUSES" \
    "final status reads through the API" "$API_READS" \
    "activity retries" "$ACTIVITY_RETRIES" \
    "workflow tasks timed out / failed" "$WFT_TIMEOUTS / $WFT_FAILURES" \
    "rolling upgrade (FRAUD_SCREEN off->on)" "$UPGRADE_NOTE; they finished on: $IN_FLIGHT_PATHS" \
    "paths of all workflows" "$PATHS ($SCREENED)" \
    "elapsed" "${TOTAL_SECONDS}s (setup ${SETUP_SECONDS}s, submitting ${SUBMIT_SECONDS}s, draining ${DRAIN_SECONDS}s)"
printf '  orders in flight at the switch, and the path each finished on:\n'
printf '%s\n' "$IN_FLIGHT_EACH" | sed 's/^/    /'
if [ ${#VIOLATED[@]} -eq 0 ]; then
    printf 'result: PASS — every invariant holds\n'
else
    printf 'result: FAIL — violated: %s\n' "$(printf '%s; ' "${VIOLATED[@]}" | sed 's/; $//')"
fi
} | tee "$DRILL_OUT/figures.txt"

[ ${#VIOLATED[@]} -eq 0 ] || exit 1
