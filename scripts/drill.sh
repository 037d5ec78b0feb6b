#!/usr/bin/env bash
# make drill: the fault drill. DRILL_ORDERS orders (default 1000) go through POST /api/orders at a
# steady pace while, on the drill's own services:
#   - the worker is killed with SIGKILL three times (and restarted);
#   - the worker is upgraded mid-load: it starts as the build from before the fraud screen
#     (FRAUD_SCREEN=off) and is replaced by the build with it (the `fraud-screen` patch) while orders
#     are in flight; orders the old build started must finish on the old path, orders started after
#     the switch must run ScreenFraud, and no history may hold a non-determinism failure. Then the
#     new build scales out to three replicas on the one task queue;
#   - PostgreSQL is stopped immediately (as in a crash) and restarted;
#   - the Temporal dev server is killed with SIGKILL and restarted on its own database file;
#   - Temporal is frozen with SIGSTOP for DRILL_FREEZE_SECONDS, then continued;
#   - Redis (the status feed) is killed and restarted;
#   - the three replicas are restarted one at a time by SIGTERM (a rolling restart): each must drain
#     its in-flight activities and exit by itself, and once it exited Temporal must show no activity
#     attempt still started by it (one it abandoned, which would time out).
# Then every order must reach a terminal state and the books must balance: at most one payment per
# order, no double refund or release, completed orders paid once and never refunded, cancelled/failed
# orders holding neither money nor stock, and per product stock + unreleased reservations = the
# starting stock. Prints the figures (terminal share, time to drain, p50/p99 end to end, workflow task
# failures and timeouts by cause, activity attempts beyond the first), writes them to
# test-output/drill/, and exits non-zero naming every violated invariant. A passing run of at least
# 1000 orders (or any run with DRILL_REPORT set) writes the `drill` section of BENCHMARKS.md.
#
# Everything it disrupts is its own, so it never disturbs the shared services: a private PostgreSQL
# cluster (.data/drill/postgres on DRILL_PG_PORT, default 5442), a private Temporal dev server
# (DRILL_TEMPORAL_PORT, 7341) on its own database file (.data/drill/temporal.db, deleted at the
# start: a failed drill leaves no open workflows in the shared server, and the drill's counts need
# no filtering), a private redis-server (DRILL_REDIS_PORT, 6391), and its own order-worker replicas
# (operations ports DRILL_WORKER_METRICS_BASE+1.., 9481-9483) and order-api (binaries from DRILL_BIN,
# default .build/debug; API on DRILL_API_PORT, 18090). Logs: .data/logs/drill-*.log. Everything it
# started is stopped on exit, failure included.
#
# Sizes and knobs (environment): DRILL_ORDERS, DRILL_SECONDS (submission window; default
# max(90, orders * 9 / 20)), DRILL_DRAIN_TIMEOUT (seconds to wait for every order to finish; default
# 120 + orders/2), DRILL_SEED, DRILL_WORKER_DOWN_SECONDS, DRILL_PG_DOWN_SECONDS,
# DRILL_TEMPORAL_DOWN_SECONDS, DRILL_REDIS_DOWN_SECONDS, DRILL_FREEZE_SECONDS, DRILL_QUIET_SECONDS
# (no other fault this long before the rolling restart), DRILL_OUT, DRILL_REPORT, DRILL_FRAUD_MAX_ORDERS
# (the new build's FRAUD_VELOCITY_MAX_ORDERS; default 3 % of the orders, at least 3, so some customers go over it and
# FraudSuspected shows).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

: "${DRILL_ORDERS:=1000}"
: "${DRILL_BIN:=.build/debug}"
: "${DRILL_PG_PORT:=5442}"
: "${DRILL_API_PORT:=18090}"
: "${DRILL_TEMPORAL_PORT:=7341}"
: "${DRILL_REDIS_PORT:=6391}"
: "${DRILL_WORKER_METRICS_BASE:=9480}"
: "${DRILL_SEED:=7}"
[[ "$DRILL_ORDERS" =~ ^[1-9][0-9]*$ ]] || die "DRILL_ORDERS must be a positive integer (got '$DRILL_ORDERS')"
: "${DRILL_SECONDS:=$(( DRILL_ORDERS * 9 / 20 > 90 ? DRILL_ORDERS * 9 / 20 : 90 ))}"
: "${DRILL_DRAIN_TIMEOUT:=$(( 120 + DRILL_ORDERS / 2 ))}"
: "${DRILL_WORKER_DOWN_SECONDS:=2}"
: "${DRILL_PG_DOWN_SECONDS:=2}"
: "${DRILL_TEMPORAL_DOWN_SECONDS:=2}"
: "${DRILL_REDIS_DOWN_SECONDS:=2}"
: "${DRILL_FREEZE_SECONDS:=10}"
: "${DRILL_QUIET_SECONDS:=20}"
: "${DRILL_OUT:=$ROOT/test-output/drill}"
if [ -z "${DRILL_REPORT+set}" ] && [ "$DRILL_ORDERS" -ge 1000 ]; then DRILL_REPORT="$ROOT/BENCHMARKS.md"; fi
: "${DRILL_REPORT:=}"
case "$DRILL_BIN" in /*) ;; *) DRILL_BIN="$ROOT/$DRILL_BIN" ;; esac

RUN_ID="drill-$(date -u +%Y%m%d%H%M%S)-$$"
STARTED_AT=$(date -u +%FT%TZ)
DRILL_DIR="$DATA/drill"
RUN_DIR="$DRILL_DIR/run"
DRILL_PG_DATA="$DRILL_DIR/postgres"
DRILL_PG_SOCKETS="$DRILL_DIR/postgres-run"
DRILL_TEMPORAL_DB="$DRILL_DIR/temporal.db"
PYTHON="$VENV/bin/python"
LOAD="$ROOT/scripts/drill_load.py"
# The starting stock of every product: scarce enough that the later valid orders meet
# InsufficientInventory, so reservations are also refused and rolled back under the faults.
STOCK_PER_PRODUCT=$(( DRILL_ORDERS / 4 > 10 ? DRILL_ORDERS / 4 : 10 ))
# Above every valid order's total (at most two lines of two units), below the "declined" orders'.
PAYMENT_LIMIT="5000.00"
# Worker replicas after the upgrade, and their pools: 3 x 50 + the API's 20 + a migration's 1 stay
# below the private cluster's max_connections (200, 3 of them reserved for superusers).
REPLICAS=3
WORKER_POOL_SIZE=50
API_POOL_SIZE=20
# OrderWorkflow's activity start-to-close timeout (ActivitySettings): an attempt held by a worker
# that went away is timed out by the server this long after it started.
ACTIVITY_START_TO_CLOSE_SECONDS=10
# How long a SIGTERM'd replica may take to drain (up to 10 s of workflow tasks, 10 s of activities,
# 5 s of responses) before the drill kills it and counts a violation.
TERM_TIMEOUT_SECONDS=40

# The settings (docs/configuration.md) of the drill's own processes. Transient payment failures and a payment
# delay keep orders mid-workflow when the faults land; short retry intervals keep the drill quick.
export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT="$DRILL_PG_PORT" POSTGRES_USER=orderflow \
    POSTGRES_PASSWORD=orderflow123 POSTGRES_DB=orderflow
export TEMPORAL_HOST_PORT="127.0.0.1:$DRILL_TEMPORAL_PORT" TEMPORAL_NAMESPACE=default TEMPORAL_TASK_QUEUE="$RUN_ID"
export API_HOST=127.0.0.1 API_PORT="$DRILL_API_PORT" LOG_LEVEL="${DRILL_LOG_LEVEL:-info}"
export REDIS_URL="redis://127.0.0.1:$DRILL_REDIS_PORT"
export PAYMENT_FAILURE_RATE=0.2 PAYMENT_DELAY_MS=1500 PAYMENT_MAX_AMOUNT="$PAYMENT_LIMIT"
export ACTIVITY_INITIAL_INTERVAL_MS=200 ACTIVITY_MAX_ATTEMPTS=6
# The 25 customers place about DRILL_ORDERS / 25 orders each: a limit of 3 % of the orders flags the last
# quarter or so of each customer's orders on the new path (at least 3, so a small run shows some too).
export FRAUD_VELOCITY_MAX_ORDERS="${DRILL_FRAUD_MAX_ORDERS:-$(( DRILL_ORDERS * 3 / 100 > 3 ? DRILL_ORDERS * 3 / 100 : 3 ))}"
export FRAUD_VELOCITY_WINDOW_SECONDS=3600
export WORKER_METRICS_HOST=127.0.0.1
unset FRAUD_VELOCITY_MAX_AMOUNT POSTGRES_POOL_SIZE WORKER_METRICS_PORT
unset TEMPORAL_TLS_CA TEMPORAL_TLS_CERT TEMPORAL_TLS_KEY TEMPORAL_API_KEY

API_URL="http://127.0.0.1:$DRILL_API_PORT"
API_PIDFILE="$RUN_DIR/order-api.pid"
TEMPORAL_PIDFILE="$RUN_DIR/temporal.pid"
REDIS_PIDFILE="$RUN_DIR/redis.pid"
LOAD_PIDFILE="$RUN_DIR/load.pid"
worker_pidfile() { echo "$RUN_DIR/order-worker-$1.pid"; }
worker_port() { echo $((DRILL_WORKER_METRICS_BASE + $1)); }
worker_log() { echo "$LOGS/drill-worker-$1.log"; }

as_postgres() { runuser -u postgres -- "$@"; }
now_ms() { date +%s%3N; }
seconds_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }
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
    local i
    for i in $(seq 1 "$REPLICAS"); do stop_pidfile "$(worker_pidfile "$i")" "drill order-worker $i" >/dev/null; done
    # A frozen server ignores SIGTERM until it is continued.
    pid_alive "$TEMPORAL_PIDFILE" && kill -CONT "$(cat "$TEMPORAL_PIDFILE")" 2>/dev/null
    stop_pidfile "$TEMPORAL_PIDFILE" "drill Temporal dev server" >/dev/null
    stop_pidfile "$REDIS_PIDFILE" "drill redis-server" >/dev/null
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
        -o "-p $DRILL_PG_PORT -k $DRILL_PG_SOCKETS -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c full_page_writes=off" \
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

temporal_healthy() {
    "$TEMPORAL_CLI" operator cluster health --address "127.0.0.1:$DRILL_TEMPORAL_PORT" 2>/dev/null | grep -q SERVING
}

# The dev server keeps its state in DRILL_TEMPORAL_DB, so a restart (after SIGKILL) finds every run again.
temporal_start() {
    port_busy "$DRILL_TEMPORAL_PORT" && die "port $DRILL_TEMPORAL_PORT is taken; set DRILL_TEMPORAL_PORT"
    "$TEMPORAL_CLI" server start-dev --headless --ip 127.0.0.1 --port "$DRILL_TEMPORAL_PORT" --log-level error \
        --db-filename "$DRILL_TEMPORAL_DB" >>"$LOGS/drill-temporal.log" 2>&1 </dev/null &
    echo $! >"$TEMPORAL_PIDFILE"
    wait_for 90 "private Temporal dev server on port $DRILL_TEMPORAL_PORT" temporal_healthy \
        || die "the drill's Temporal dev server did not start; see $LOGS/drill-temporal.log"
}

temporal_up() {
    rm -f "$DRILL_TEMPORAL_DB" "$DRILL_TEMPORAL_DB"-*
    : >"$LOGS/drill-temporal.log"
    temporal_start
}

redis_start() {
    port_busy "$DRILL_REDIS_PORT" && die "port $DRILL_REDIS_PORT is taken; set DRILL_REDIS_PORT"
    redis-server --port "$DRILL_REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
        >>"$LOGS/drill-redis.log" 2>&1 </dev/null &
    echo $! >"$REDIS_PIDFILE"
    wait_for 30 "private redis-server on port $DRILL_REDIS_PORT" redis-cli -p "$DRILL_REDIS_PORT" ping \
        || die "the drill's redis-server did not start; see $LOGS/drill-redis.log"
}

redis_up() {
    command -v redis-server >/dev/null || die "redis-server not found; run 'make deps'"
    : >"$LOGS/drill-redis.log"
    redis_start
}

WORKER_STARTS=0
# The worker build: "old" (FRAUD_SCREEN=off, OrderWorkflow as before the fraud screen) until the
# upgrade, "new" after it. The pids of old-build processes tell who started which order.
WORKER_BUILD=old
declare -a OLD_BUILD_PIDS=()
# worker_start I: starts replica I (operations port DRILL_WORKER_METRICS_BASE + I) of the current build.
worker_start() {
    local replica=$1 screen=off
    WORKER_STARTS=$((WORKER_STARTS + 1))
    [ "$WORKER_BUILD" = new ] && screen=on
    printf '\n===== drill: order-worker replica %s, start #%s (%s build, FRAUD_SCREEN=%s) at %s =====\n' "$replica" \
        "$WORKER_STARTS" "$WORKER_BUILD" "$screen" "$(date -u +%T.%3N)" >>"$(worker_log "$replica")"
    FRAUD_SCREEN=$screen POSTGRES_POOL_SIZE=$WORKER_POOL_SIZE WORKER_METRICS_PORT=$(worker_port "$replica") \
        "$DRILL_BIN/order-worker" run >>"$(worker_log "$replica")" 2>&1 </dev/null &
    echo $! >"$(worker_pidfile "$replica")"
    [ "$WORKER_BUILD" = old ] && OLD_BUILD_PIDS+=("$!")
    return 0
}
worker_pid() { cat "$(worker_pidfile "$1")"; }
worker_ready() { curl -fsS "http://127.0.0.1:$(worker_port "$1")/readyz" >/dev/null 2>&1; }
# Activity slots in use on replica I now (its temporal_worker_task_slots_used gauge), "?" when it does not answer.
worker_activities() {
    curl -fsS --max-time 2 "http://127.0.0.1:$(worker_port "$1")/metrics" 2>/dev/null \
        | awk '/^temporal_worker_task_slots_used\{/ && /ActivityWorker/ { n += $NF; seen = 1 }
               END { if (seen) printf "%d", n; else printf "?" }' || echo "?"
}

api_start() {
    port_busy "$DRILL_API_PORT" && die "port $DRILL_API_PORT is taken; set DRILL_API_PORT"
    POSTGRES_POOL_SIZE=$API_POOL_SIZE "$DRILL_BIN/order-api" >"$LOGS/drill-api.log" 2>&1 </dev/null &
    echo $! >"$API_PIDFILE"
    wait_for 90 "drill order-api /readyz" curl -fsS "$API_URL/readyz" \
        || die "the drill's order-api did not become ready; see $LOGS/drill-api.log"
}
api_ready() { curl -fsS --max-time 3 "$API_URL/readyz" >/dev/null 2>&1; }

in_flight() { dsql -c "SELECT count(*) FROM orders WHERE status NOT IN ('completed', 'cancelled', 'failed')" 2>/dev/null || echo "?"; }

# ---------------------------------------------------------------------------------------------
# Faults. Each ends by waiting until the API answers /readyz again (PostgreSQL and Temporal reachable),
# and so does each replica the fault started or cut off from PostgreSQL; how long that took is noted, and
# a fault they do not recover from within RECOVERY_TIMEOUT is a violation. (After a Temporal restart or
# freeze a replica's /readyz waits for an answer to a poll it sent since, up to a long poll's 70 s
# when its queue is idle: the orders finishing are the proof there.)

RECOVERY_TIMEOUT=90
LIVE_REPLICAS=1
KILLS=0
PG_RESTARTS=0
TEMPORAL_RESTARTS=0
TEMPORAL_FREEZES=0
REDIS_RESTARTS=0
LAST_FAULT_END_MS=0
declare -a FAULT_NOTES=()
declare -a UNRECOVERED=()

everything_ready() {
    api_ready || return 1
    local i
    for i in "$@"; do worker_ready "$i" || return 1; done
}
# recovered WHAT START_MS [REPLICA...]: waits for the API's and the replicas' readiness; prints the
# seconds it took since START_MS.
recovered() {
    local what=$1 start=$2 deadline=$((SECONDS + RECOVERY_TIMEOUT))
    shift 2
    until everything_ready "$@"; do
        if [ $SECONDS -ge $deadline ]; then
            UNRECOVERED+=("$what")
            echo "not within ${RECOVERY_TIMEOUT}s"
            return 0
        fi
        sleep 0.25
    done
    echo "$(seconds_since "$start")s"
}
fault_done() {
    FAULT_NOTES+=("at +$(( ($(now_ms) - T1) / 1000 ))s: $1")
    say "fault: $1"
    LAST_FAULT_END_MS=$(now_ms)
}

# kill_worker I: SIGKILL replica I, restart it after DRILL_WORKER_DOWN_SECONDS.
kill_worker() {
    local replica=$1 pid; pid=$(worker_pid "$replica")
    kill -0 "$pid" 2>/dev/null || die "order-worker replica $replica (pid $pid) exited by itself before the drill killed it; see $(worker_log "$replica")"
    local flight activities; flight=$(in_flight); activities=$(worker_activities "$replica")
    local start; start=$(now_ms)
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null || true
    KILLS=$((KILLS + 1))
    sleep "$DRILL_WORKER_DOWN_SECONDS"
    worker_start "$replica"
    fault_done "SIGKILL #$KILLS of replica $replica (of $LIVE_REPLICAS; $activities activities on it, $flight orders in flight), restarted after ${DRILL_WORKER_DOWN_SECONDS}s, ready in $(recovered "SIGKILL #$KILLS" "$start" "$replica")"
}

# The upgrade: the old build shuts down gracefully (it finishes the tasks it holds), the orders in
# flight are noted, and the new build takes over the same task queue. Never both builds at once: an
# old-build worker would fail the workflow tasks of runs that took the new path. Then the new build
# scales out to REPLICAS replicas, which the later faults (and the rolling restart) work on.
UPGRADE_NOTE="not done"
upgrade_worker() {
    local pid; pid=$(worker_pid 1)
    kill -0 "$pid" 2>/dev/null || die "order-worker (pid $pid) exited by itself before the upgrade; see $(worker_log 1)"
    local start; start=$(now_ms)
    kill -TERM "$pid"
    local waited=0
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt $((TERM_TIMEOUT_SECONDS * 10)) ]; do sleep 0.1; waited=$((waited + 1)); done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    wait "$pid" 2>/dev/null || true
    dsql -c "INSERT INTO drill.upgrade (switch_ms) VALUES ($(now_ms));
             INSERT INTO drill.in_flight_at_switch SELECT id, status FROM orders
              WHERE status NOT IN ('completed', 'cancelled', 'failed')"
    local flight; flight=$(dsql -c "SELECT coalesce(sum(n), 0) || ' (' || coalesce(string_agg(status || ' ' || n, ', '
        ORDER BY status), '-') || ')' FROM (SELECT status, count(*) n FROM drill.in_flight_at_switch GROUP BY status) s")
    WORKER_BUILD=new
    local replica
    for replica in $(seq 1 "$REPLICAS"); do worker_start "$replica"; done
    LIVE_REPLICAS=$REPLICAS
    UPGRADE_NOTE="$flight orders in flight at the switch"
    say "upgrade: old build (FRAUD_SCREEN=off, pid $pid) stopped after $((waited / 10))s with $flight orders in flight; new build (FRAUD_SCREEN=on) started as $REPLICAS replicas"
    fault_done "upgrade FRAUD_SCREEN off->on with $flight orders in flight, then $REPLICAS replicas, ready in $(recovered "upgrade" "$start" $(seq 1 "$REPLICAS"))"
}

restart_postgres() {
    local flight; flight=$(in_flight)
    local start; start=$(now_ms)
    # Immediate: the server dies as in a crash (open connections cut, recovery at start).
    as_postgres "$PG_BIN/pg_ctl" -D "$DRILL_PG_DATA" -m immediate -w stop >/dev/null
    sleep "$DRILL_PG_DOWN_SECONDS"
    pg_start
    PG_RESTARTS=$((PG_RESTARTS + 1))
    fault_done "PostgreSQL stopped (immediate) with $flight orders in flight, down ${DRILL_PG_DOWN_SECONDS}s, API and replicas ready in $(recovered "PostgreSQL restart" "$start" $(seq 1 "$LIVE_REPLICAS"))"
}

restart_temporal() {
    local flight; flight=$(in_flight)
    local start; start=$(now_ms)
    local pid; pid=$(cat "$TEMPORAL_PIDFILE")
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null || true
    sleep "$DRILL_TEMPORAL_DOWN_SECONDS"
    temporal_start
    TEMPORAL_RESTARTS=$((TEMPORAL_RESTARTS + 1))
    fault_done "Temporal dev server SIGKILLed with $flight orders in flight, restarted on its database file after ${DRILL_TEMPORAL_DOWN_SECONDS}s, API ready in $(recovered "Temporal restart" "$start")"
}

freeze_temporal() {
    local flight; flight=$(in_flight)
    local pid; pid=$(cat "$TEMPORAL_PIDFILE")
    kill -STOP "$pid"
    sleep "$DRILL_FREEZE_SECONDS"
    local start; start=$(now_ms)
    kill -CONT "$pid"
    TEMPORAL_FREEZES=$((TEMPORAL_FREEZES + 1))
    fault_done "Temporal frozen (SIGSTOP) for ${DRILL_FREEZE_SECONDS}s with $flight orders in flight, API ready $(recovered "Temporal freeze" "$start") after SIGCONT"
}

# The status feed's channel: after a restart the API must subscribe again and the workers publish again.
STATUS_CHANNEL="orderflow:order-status"
feed_subscribers() { redis-cli -p "$DRILL_REDIS_PORT" PUBSUB NUMSUB "$STATUS_CHANNEL" 2>/dev/null | sed -n 2p; }
restart_redis() {
    local flight; flight=$(in_flight)
    local start; start=$(now_ms)
    local pid; pid=$(cat "$REDIS_PIDFILE")
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null || true
    sleep "$DRILL_REDIS_DOWN_SECONDS"
    redis_start
    REDIS_RESTARTS=$((REDIS_RESTARTS + 1))
    local ready; ready=$(recovered "Redis restart" "$start")
    # The API resubscribes on its own; the feed is back when it listens and a worker's change reaches it.
    local deadline=$((SECONDS + 30)) subscribers=0
    while [ $SECONDS -lt $deadline ]; do
        subscribers=$(feed_subscribers); [ "${subscribers:-0}" -ge 1 ] && break
        sleep 0.5
    done
    local heard
    heard=$(timeout 15 redis-cli -p "$DRILL_REDIS_PORT" SUBSCRIBE "$STATUS_CHANNEL" 2>/dev/null | grep -c order_id || true)
    [ "${subscribers:-0}" -ge 1 ] || UNRECOVERED+=("Redis restart: the API did not subscribe to $STATUS_CHANNEL again")
    [ "${heard:-0}" -ge 1 ] || [ "$(in_flight)" = 0 ] \
        || UNRECOVERED+=("Redis restart: no status change published within 15 s while orders were in flight")
    fault_done "redis-server SIGKILLed with $flight orders in flight, restarted after ${DRILL_REDIS_DOWN_SECONDS}s, API ready in $ready; the API subscribed again (${subscribers:-0} subscribers), $heard status changes heard in the next 15 s"
}

# The rolling restart: replica by replica, SIGTERM, wait for it to exit (it drains its activities),
# start its replacement, ask Temporal which attempts the exited replica still holds (drill.abandoned:
# must stay empty), wait for the replacement's /readyz. Each step is recorded in drill.rolling. The
# window [first SIGTERM, last replacement ready + start-to-close + 5 s] is also searched for activity
# timeouts (a figure); the drill first waits until no other fault happened for DRILL_QUIET_SECONDS
# (> start-to-close plus a retry), so the timeouts other faults cause land before it when the queue keeps up.
ROLLING_NOTE="not done"
rolling_restart() {
    local quiet_until=$((LAST_FAULT_END_MS + DRILL_QUIET_SECONDS * 1000))
    while [ "$(now_ms)" -lt "$quiet_until" ]; do sleep 0.2; done
    local replica steps=()
    for replica in $(seq 1 "$LIVE_REPLICAS"); do
        local pid; pid=$(worker_pid "$replica")
        kill -0 "$pid" 2>/dev/null || die "order-worker replica $replica (pid $pid) exited by itself before the rolling restart; see $(worker_log "$replica")"
        # While orders still flow, SIGTERM a replica that holds an activity (waiting up to 10 s for one),
        # so the drain has something to finish.
        local activities flight wait_until=$((SECONDS + 10))
        activities=$(worker_activities "$replica")
        while kill -0 "$LOAD_PID" 2>/dev/null && [ "$activities" = 0 ] && [ $SECONDS -lt $wait_until ]; do
            sleep 0.1; activities=$(worker_activities "$replica")
        done
        flight=$(in_flight)
        local term_ms; term_ms=$(now_ms)
        kill -TERM "$pid"
        local killed=false
        while kill -0 "$pid" 2>/dev/null && [ $(( $(now_ms) - term_ms )) -lt $((TERM_TIMEOUT_SECONDS * 1000)) ]; do sleep 0.05; done
        if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; killed=true; fi
        local code=0
        wait "$pid" 2>/dev/null || code=$?
        local exit_ms; exit_ms=$(now_ms)
        worker_start "$replica"
        # What Temporal says the exited replica still holds: an attempt it neither finished nor reported.
        "$PYTHON" "$LOAD" abandoned --address "127.0.0.1:$DRILL_TEMPORAL_PORT" --task-queue "$RUN_ID" --pid "$pid" \
            --replica "$replica" --out "$DRILL_OUT/abandoned.csv" >>"$LOGS/drill-load.log" 2>&1 \
            || echo "$replica,?,abandoned check failed (see $LOGS/drill-load.log),0,?" >>"$DRILL_OUT/abandoned.csv"
        local ready_ms=""
        local deadline=$((SECONDS + RECOVERY_TIMEOUT))
        until worker_ready "$replica"; do [ $SECONDS -lt $deadline ] || break; sleep 0.1; done
        worker_ready "$replica" && ready_ms=$(now_ms)
        dsql -c "INSERT INTO drill.rolling VALUES ($replica, $pid, $(worker_pid "$replica"), '$activities', $term_ms,
                 $exit_ms, $code, $killed, ${ready_ms:-NULL})"
        local step="replica $replica: $activities activities on it at SIGTERM, exited in $(awk -v a="$term_ms" -v b="$exit_ms" 'BEGIN { printf "%.1f", (b - a) / 1000 }')s (exit $code$([ "$killed" = true ] && echo ', SIGKILLed'))"
        step+=", replacement ready in $([ -n "$ready_ms" ] && awk -v a="$exit_ms" -v b="$ready_ms" 'BEGIN { printf "%.1f", (b - a) / 1000 }' || echo never)s"
        say "rolling restart: $step ($flight orders in flight)"
        steps+=("$step")
    done
    ROLLING_NOTE=$(printf '%s; ' "${steps[@]}" | sed 's/; $//')
    fault_done "rolling restart by SIGTERM of $LIVE_REPLICAS replicas, one at a time"
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
rm -f "$DRILL_OUT"/{abandoned.csv,submissions.csv,load.json,workflows.csv,troubles.csv,api-statuses.csv,upgrade.csv,invariants.txt,figures.txt,drill.md}
for stale in "$LOAD_PIDFILE" "$API_PIDFILE" "$TEMPORAL_PIDFILE" "$REDIS_PIDFILE" "$RUN_DIR"/order-worker*.pid; do
    [ -e "$stale" ] || continue
    pid_alive "$stale" && kill -CONT "$(cat "$stale")" 2>/dev/null
    stop_pidfile "$stale" "process left by an earlier drill"
done
for i in $(seq 1 "$REPLICAS"); do
    port_busy "$(worker_port "$i")" && die "port $(worker_port "$i") is taken; set DRILL_WORKER_METRICS_BASE"
    : >"$(worker_log "$i")"
done
: >"$LOGS/drill-load.log"

T0=$(now_ms)
say "fault drill $RUN_ID: $DRILL_ORDERS orders over ${DRILL_SECONDS}s; 3 worker SIGKILLs, an upgrade, PostgreSQL, Temporal and Redis restarts, a Temporal freeze, a rolling restart of $REPLICAS replicas"
postgres_up
temporal_up
redis_up
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
    first_task_pid INT, started_ms BIGINT, closed_ms BIGINT);
CREATE TABLE drill.troubles (order_id TEXT, event TEXT, detail TEXT, activity TEXT, attempt INT, event_ms BIGINT);
CREATE TABLE drill.upgrade (switch_ms BIGINT);
CREATE TABLE drill.in_flight_at_switch (order_id TEXT PRIMARY KEY, status TEXT);
CREATE TABLE drill.old_build_pids (pid INT PRIMARY KEY);
CREATE TABLE drill.api_statuses (order_id TEXT PRIMARY KEY, http_status INT, status TEXT, source TEXT);
CREATE TABLE drill.abandoned (replica INT, order_id TEXT, activity TEXT, attempt INT, identity TEXT);
CREATE TABLE drill.rolling (replica INT, pid INT, replacement_pid INT, activities_at_term TEXT, term_ms BIGINT,
    exit_ms BIGINT, exit_code INT, killed BOOLEAN, ready_ms BIGINT);
SQL
worker_start 1
wait_for 90 "drill order-worker /readyz" worker_ready 1 || die "the drill's order-worker did not become ready; see $(worker_log 1)"
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

# When each fault lands: per mille of the orders submitted. The rolling restart comes last, after a
# quiet spell, with orders still flowing.
FAULT_AT=(80 160 260 340 420 500 580 660 760)
FAULT_ACTIONS=("kill_worker 1" upgrade_worker restart_postgres "kill_worker 2" restart_temporal restart_redis
    freeze_temporal "kill_worker 3" rolling_restart)
next=0
last_report=$SECONDS
while kill -0 "$LOAD_PID" 2>/dev/null; do
    submitted=$(cat "$PROGRESS" 2>/dev/null || echo 0)
    if [ "$next" -lt ${#FAULT_AT[@]} ] && [ "${submitted:-0}" -ge $(( (DRILL_ORDERS * FAULT_AT[next] + 999) / 1000 )) ]; then
        ${FAULT_ACTIONS[$next]}
        next=$((next + 1))
    elif [ $((SECONDS - last_report)) -ge 10 ]; then
        say "submitted $submitted of $DRILL_ORDERS ($(in_flight) in flight)"
        last_report=$SECONDS
    fi
    sleep 0.2
done
LOAD_RC=0
wait "$LOAD_PID" || LOAD_RC=$?
rm -f "$LOAD_PIDFILE"
# A small run can finish submitting before the last faults' thresholds are seen: the faults still happen.
while [ "$next" -lt ${#FAULT_ACTIONS[@]} ]; do ${FAULT_ACTIONS[$next]}; next=$((next + 1)); done
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
    [ $((SECONDS % 10)) -ge 2 ] || say "draining: $open orders not yet terminal in the database, ${running:-?} workflows running ($((deadline - SECONDS))s left)"
    sleep 2
done
DRAIN_SECONDS=$(seconds_since "$T2")
[ "$DRAINED" = 1 ] && say "every order is terminal after ${DRAIN_SECONDS}s" \
    || say "gave up waiting after ${DRAIN_SECONDS}s: $open orders not terminal, ${running:-?} workflows running"

"$PYTHON" "$LOAD" histories --address "127.0.0.1:$DRILL_TEMPORAL_PORT" --task-queue "$RUN_ID" \
    --out "$DRILL_OUT/workflows.csv" --troubles-out "$DRILL_OUT/troubles.csv" >>"$LOGS/drill-load.log" 2>&1 \
    || die "reading the workflows failed; see $LOGS/drill-load.log"
dsql -c "\\copy drill.workflows FROM '$DRILL_OUT/workflows.csv' WITH (FORMAT csv, HEADER true)"
dsql -c "\\copy drill.troubles FROM '$DRILL_OUT/troubles.csv' WITH (FORMAT csv, HEADER true)"
touch "$DRILL_OUT/abandoned.csv"
dsql -c "\\copy drill.abandoned FROM '$DRILL_OUT/abandoned.csv' WITH (FORMAT csv)"
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
verdict "every order-worker replica and order-api outlived the drill (no crash of their own)" \
    "$(for i in $(seq 1 "$LIVE_REPLICAS"); do pid_alive "$(worker_pidfile "$i")" || echo "replica $i exited"; done
       pid_alive "$API_PIDFILE" || echo "order-api exited")"
verdict "the API and every replica were ready again after each fault (within ${RECOVERY_TIMEOUT}s)" \
    "$(printf '%s\n' "${UNRECOVERED[@]}" | sed '/^$/d')"
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
check "the rolling restart: every SIGTERM'd replica exited by itself (exit 0, within ${TERM_TIMEOUT_SECONDS}s) and its replacement became ready" \
    "SELECT 'replica ' || replica || ' pid ' || pid || ': exit ' || exit_code || CASE WHEN killed THEN ', SIGKILLed' ELSE '' END
            || CASE WHEN ready_ms IS NULL THEN ', replacement never ready' ELSE '' END
       FROM drill.rolling WHERE killed OR exit_code <> 0 OR ready_ms IS NULL
     UNION ALL SELECT 'no rolling restart happened' WHERE NOT EXISTS (SELECT 1 FROM drill.rolling)"
check "the rolling restart left no activity attempt to time out (after each exit, Temporal shows none still started by it)" \
    "SELECT 'replica ' || replica || ' ' || order_id || ':' || activity || ' attempt ' || attempt FROM drill.abandoned"
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
TERMINAL=$(figure "SELECT count(*) FROM drill.submissions s JOIN orders o ON o.id = s.order_id
    WHERE s.accepted AND o.status IN ('completed', 'cancelled', 'failed')")
TERMINAL_SHARE=$(awk -v t="$TERMINAL" -v a="$ACCEPTED" 'BEGIN { printf "%.1f%%", a ? 100 * t / a : 0 }')
# End to end: the workflow's start to its close, as Temporal recorded them.
E2E=$(figure "SELECT coalesce(round((percentile_cont(0.5) WITHIN GROUP (ORDER BY closed_ms - started_ms) / 1000.0)::numeric, 1)
    || ' s / ' || round((percentile_cont(0.99) WITHIN GROUP (ORDER BY closed_ms - started_ms) / 1000.0)::numeric, 1)
    || ' s (max ' || round(max(closed_ms - started_ms) / 1000.0, 1) || ' s)', '-')
    FROM drill.workflows WHERE closed_ms IS NOT NULL")
# trouble_counts EVENT: "DETAIL n, ..." of one kind of trouble in the histories, or "0".
trouble_counts() {
    figure "SELECT coalesce(sum(n) || ' (' || string_agg(detail || ' ' || n, ', ' ORDER BY n DESC, detail) || ')', '0')
        FROM (SELECT detail, count(*) n FROM drill.troubles WHERE event = '$1' GROUP BY detail) t"
}
WFT_FAILURES=$(trouble_counts workflow_task_failed)
WFT_TIMEOUTS=$(trouble_counts workflow_task_timed_out)
ACTIVITY_TIMEOUTS=$(figure "SELECT coalesce(sum(n) || ' (' || string_agg(activity || ' ' || detail || ' ' || n, ', '
    ORDER BY n DESC, activity) || ')', '0') FROM (SELECT activity, lower(detail) AS detail, count(*) n FROM drill.troubles
    WHERE event IN ('activity_timed_out', 'activity_attempt_timed_out') GROUP BY 1, 2) t")
# Timeouts whose retry started in the rolling-restart window. Not an invariant: under a backlog a retry
# starts long after the timeout it follows (the SIGKILLs' can land here); the check above is exact.
WINDOW_TIMEOUTS=$(figure "SELECT count(*) || coalesce(' (' || string_agg(t.activity, ', ' ORDER BY t.event_ms) || ')', '')
    FROM drill.troubles t CROSS JOIN (SELECT min(term_ms) AS first_term,
        max(coalesce(ready_ms, exit_ms)) + $(( (ACTIVITY_START_TO_CLOSE_SECONDS + 5) * 1000 )) AS last FROM drill.rolling) w
    WHERE t.event IN ('activity_timed_out', 'activity_attempt_timed_out') AND t.event_ms BETWEEN w.first_term AND w.last")
ABANDONED=$(figure "SELECT count(*) FROM drill.abandoned")
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

RESULT="PASS — every invariant holds"
[ ${#VIOLATED[@]} -eq 0 ] || RESULT="FAIL — violated: $(printf '%s; ' "${VIOLATED[@]}" | sed 's/; $//')"
FIGURES=(
    "orders submitted" "$DRILL_ORDERS over ${DRILL_SECONDS}s ($KINDS)"
    "orders accepted (201/200)" "$ACCEPTED"
    "terminal" "$TERMINAL of $ACCEPTED ($TERMINAL_SHARE)"
    "completed" "$(by_status completed)"
    "cancelled" "$(by_status cancelled)"
    "failed" "$(by_status failed) ($REASONS)"
    "time to drain" "${DRAIN_SECONDS}s after the last submission and fault"
    "end to end p50 / p99" "$E2E"
    "cancel requests through the API" "$CANCELS"
    "503 / 429 / connection retries" "$(load_figure retries_503) / $(load_figure retries_429) / $(load_figure retries_connection)"
    "faults" "$KILLS worker SIGKILLs, $PG_RESTARTS PostgreSQL, $TEMPORAL_RESTARTS Temporal and $REDIS_RESTARTS Redis restarts, $TEMPORAL_FREEZES Temporal freeze, 1 upgrade, 1 rolling restart"
    "payments" "$PAYMENTS"
    "max payments for one order" "$MAX_PAYMENTS"
    "stock before" "$STOCK_START"
    "stock after + unreleased reserved" "$STOCK_END + $RESERVED = $((STOCK_END + RESERVED))"
    "workflows in Temporal" "$WF_STATUSES"
    "final status reads through the API" "$API_READS"
    "activity attempts beyond the first" "$ACTIVITY_RETRIES"
    "activity timeouts in histories" "$ACTIVITY_TIMEOUTS"
    "WorkflowTaskFailed by cause" "$WFT_FAILURES"
    "WorkflowTaskTimedOut by type" "$WFT_TIMEOUTS"
    "upgrade (FRAUD_SCREEN off->on)" "$UPGRADE_NOTE; they finished on: $IN_FLIGHT_PATHS"
    "rolling restart (SIGTERM)" "$ROLLING_NOTE"
    "attempts left started by a SIGTERM'd replica" "$ABANDONED"
    "activity timeouts retried in the rolling-restart window" "$WINDOW_TIMEOUTS (the retry's start; under a backlog it may follow an earlier fault's timeout)"
    "paths of all workflows" "$PATHS ($SCREENED)"
    "elapsed" "${TOTAL_SECONDS}s (setup ${SETUP_SECONDS}s, submitting ${SUBMIT_SECONDS}s, draining ${DRAIN_SECONDS}s)"
)
{
printf '\nfault drill %s (%s)\n' "$RUN_ID" "$(date -u +%FT%TZ)"
printf '  %-38s %s\n' "${FIGURES[@]}"
printf '  faults, in order (seconds since the first order was sent):\n'
printf '    %s\n' "${FAULT_NOTES[@]}"
printf '  orders in flight at the upgrade, and the path each finished on:\n'
printf '%s\n' "$IN_FLIGHT_EACH" | sed 's/^/    /'
printf 'result: %s\n' "$RESULT"
} | tee "$DRILL_OUT/figures.txt"

# The `drill` section of BENCHMARKS.md (scripts/report_sections.py keeps the report's header and other sections).
{
    echo "## Fault drill"
    echo
    echo "_Measured $STARTED_AT: \`make drill\`, DRILL_ORDERS=$DRILL_ORDERS over ${DRILL_SECONDS}s, DRILL_SEED=$DRILL_SEED," \
        "binaries ${DRILL_BIN#"$ROOT"/}, $REPLICAS worker replicas after the upgrade, on $(nproc) shared cores._"
    echo
    echo "Orders flow through the API while the faults below land on the drill's own PostgreSQL, Temporal dev"
    echo "server (on its database file), Redis and workers; then every invariant is checked"
    echo "([docs/operations.md](docs/operations.md#fault-drill))."
    echo
    echo "| figure | value |"
    echo "|---|---|"
    printf '| %s | %s |\n' "${FIGURES[@]}"
    echo
    echo "Faults, in order (seconds since the first order was sent):"
    echo
    printf -- '- %s\n' "${FAULT_NOTES[@]}"
    echo
    echo "| invariant | |"
    echo "|---|---|"
    sed -n 's/^  ok    \(.*\)$/| \1 | ok |/p; s/^  FAIL  \([^:]*\): \(.*\)$/| \1 | **FAIL** \2 |/p' "$DRILL_OUT/invariants.txt"
    echo
    echo "Result: $RESULT."
} >"$DRILL_OUT/drill.md"
if [ -n "$DRILL_REPORT" ] && [ ${#VIOLATED[@]} -eq 0 ]; then
    # The header only starts a report that does not exist yet; an existing report keeps its own (make bench's).
    printf '# OrderFlow benchmarks\n\nWritten by `make bench` and, for the drill section, `make drill`.\n' >"$DRILL_OUT/header.md"
    python3 "$ROOT/scripts/report_sections.py" --keep-header "$DRILL_REPORT" "$DRILL_OUT/header.md" \
        "drill=$DRILL_OUT/drill.md"
    say "wrote the drill section of $DRILL_REPORT"
fi

[ ${#VIOLATED[@]} -eq 0 ] || exit 1
