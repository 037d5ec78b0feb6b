#!/usr/bin/env bash
# End-to-end suites against the real stack: order-worker + order-api (already built; this script
# builds nothing) on the shared PostgreSQL and Temporal, in a private database and on a private task
# queue, so runs never see each other's orders or stock.
#
#   bash Tests/e2e/run.sh [BIN_DIR]      BIN_DIR holds order-api and order-worker (default .build/debug)
#
# Suites: test_api.py (every route of docs/api.md), test_browser.py (headless Chromium through
# the web page), test_fuzz.py (schemathesis against /openapi.yaml). Artifacts: test-output/e2e/
# (JUnit XML, the binaries' logs, screenshots, the schemathesis report).
#   E2E_SUITES     which suites, space separated (default: "browser api fuzz"; the browser goes first
#                  so its screenshots show the catalog as a new user sees it)
#   E2E_FUZZ_SECONDS / E2E_FUZZ_EXAMPLES / E2E_FUZZ_SEED   fuzzing budget (default 90 s, 40 examples per
#                  operation and phase, a fixed seed); e.g. E2E_FUZZ_SECONDS=900 E2E_FUZZ_EXAMPLES=500 for a deep run
#   E2E_PORT       API port (default 18080; 18081 is used for a second API without Temporal)
#   E2E_KEEP_DB=1  keep the private database afterwards
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$ROOT"

BIN_DIR="$(cd "${1:-.build/debug}" && pwd)" || die "binaries folder ${1:-.build/debug} not found"
for exe in order-api order-worker; do
    [ -x "$BIN_DIR/$exe" ] || die "$BIN_DIR/$exe is missing (build first: swift build)"
done
PYTHON="$VENV/bin/python"
[ -x "$PYTHON" ] || die "the test venv is missing (make deps)"

OUT="$ROOT/test-output/e2e"
rm -rf "$OUT"
mkdir -p "$OUT/screenshots"
RUN_ID="$(date +%s)-$$"
E2E_PORT="${E2E_PORT:-18080}"
SUITES="${E2E_SUITES:-browser api fuzz}"

# The stack's settings: a private database and task queue; payments slow enough to cancel one.
export POSTGRES_DB="orderflow_e2e_${RUN_ID//-/_}"
export TEMPORAL_TASK_QUEUE="e2e-$RUN_ID"
export API_HOST=127.0.0.1 API_PORT="$E2E_PORT"
export PAYMENT_DELAY_MS="${PAYMENT_DELAY_MS:-2500}"
export TEMPORAL_UI_URL="${TEMPORAL_UI_URL:-http://localhost:8088}"
export LOG_LEVEL="${LOG_LEVEL:-info}"
# REDIS_URL is passed through when set (live feed and a shared rate limit); the limit is raised so that
# other suites sharing that Redis from 127.0.0.1 cannot drain this one's bucket (its own tests cover 429).
export RATE_LIMIT_PER_MINUTE="${E2E_RATE_LIMIT_PER_MINUTE:-600000}" RATE_LIMIT_BURST="${E2E_RATE_LIMIT_BURST:-100000}"
export E2E_BASE_URL="http://127.0.0.1:$E2E_PORT" E2E_OUT="$OUT" E2E_BIN="$BIN_DIR"
export E2E_SPARE_PORT=$((E2E_PORT + 1))

psql_admin() {
    PGPASSWORD="$POSTGRES_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" \
        -U "$POSTGRES_USER" -d postgres "$@"
}

WORKER_PID="$OUT/order-worker.pid"
API_PID="$OUT/order-api.pid"
cleanup() {
    stop_pidfile "$API_PID" "order-api"
    stop_pidfile "$WORKER_PID" "order-worker"
    if [ "${E2E_KEEP_DB:-0}" != 1 ]; then
        psql_admin -c "DROP DATABASE IF EXISTS \"$POSTGRES_DB\" WITH (FORCE)" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT

say "e2e: database $POSTGRES_DB, task queue $TEMPORAL_TASK_QUEUE, API on $E2E_BASE_URL"
psql_admin -c "CREATE DATABASE \"$POSTGRES_DB\"" >/dev/null || die "cannot create database $POSTGRES_DB"

# The worker migrates the database before it polls; the API starts once the schema exists.
"$BIN_DIR/order-worker" run >"$OUT/order-worker.log" 2>&1 &
echo $! >"$WORKER_PID"
wait_for 90 "order-worker (schema migrated)" \
    bash -c "PGPASSWORD=\"$POSTGRES_PASSWORD\" psql -X -At -h \"$POSTGRES_HOST\" -p \"$POSTGRES_PORT\" -U \"$POSTGRES_USER\" \"$POSTGRES_DB\" -c 'SELECT 1 FROM products LIMIT 1' | grep -q 1" \
    || die "order-worker did not migrate $POSTGRES_DB; see $OUT/order-worker.log"
pid_alive "$WORKER_PID" || die "order-worker exited; see $OUT/order-worker.log"

"$BIN_DIR/order-api" >"$OUT/order-api.log" 2>&1 &
echo $! >"$API_PID"
wait_for 90 "order-api /readyz" curl -fsS "$E2E_BASE_URL/readyz" \
    || die "order-api did not become ready; see $OUT/order-api.log"

status=0
for suite in $SUITES; do
    say "e2e suite: $suite"
    "$PYTHON" -m pytest -p no:cacheprovider -q -rfE "Tests/e2e/test_$suite.py" \
        --junitxml="$OUT/junit-$suite.xml" -o junit_suite_name="e2e-$suite" || status=1
done

pid_alive "$API_PID" || { say "order-api died during the run"; status=1; }
pid_alive "$WORKER_PID" || { say "order-worker died during the run"; status=1; }
# Whatever the suites asserted: the API under test must never have answered a 5xx.
if grep -q 'http.status=5' "$OUT/order-api.log"; then
    say "order-api answered 5xx during the run:"
    grep -m 5 'http.status=5' "$OUT/order-api.log"
    status=1
fi
[ $status = 0 ] && say "e2e: all suites passed (artifacts in $OUT)" || say "e2e: FAILED (artifacts in $OUT)"
exit $status
