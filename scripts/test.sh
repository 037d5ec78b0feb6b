#!/usr/bin/env bash
# make test: everything that checks the system. Services are already up (make test depends on services-up).
# Tests that restart a service run after the others, alone, so they cannot disturb them.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
mkdir -p test-output

# Tests write orders and products of their own: they get a database of their own, so the catalog and
# order list of `make run` stay clean.
export POSTGRES_DB="${TEST_POSTGRES_DB:-orderflow_test}"
bash scripts/services.sh postgres-up
bash scripts/services.sh redis-up

# Tests that stop or restart a shared service: the suites named Disruptive and the PostgreSQL restart test.
DISRUPTIVE="Disruptive|survivesServerRestart"

COVERAGE_FLAG=()
[ "${COVERAGE:-0}" = 1 ] && COVERAGE_FLAG=(--enable-code-coverage)

say "building (debug, with tests)"
swift build --build-tests "${COVERAGE_FLAG[@]}"

say "lint (swift format)"
make -s lint

say "the Docker image, without Docker: build-stage COPY lines, native release build, runtime libraries, compose files"
bash scripts/docker-check.sh
bash Tests/docker/docker_check_test.sh

say "proto subset conformance and payload interop with the Temporal Python SDK"
PYTHON="$VENV/bin/python" bash Tests/interop/run.sh

say "swift tests that restart services (run alone)"
swift test --skip-build "${COVERAGE_FLAG[@]}" --filter "$DISRUPTIVE"

say "swift tests"
swift test --skip-build "${COVERAGE_FLAG[@]}" --skip "$DISRUPTIVE"

say "end to end: the REST table, the web page in headless Chromium, schemathesis against /openapi.yaml"
bash Tests/e2e/run.sh .build/debug

say "fault drill (small)"
DRILL_ORDERS="${DRILL_ORDERS:-40}" DRILL_BIN=.build/debug bash scripts/drill.sh

say "benchmarks (small: they must run; the figures of record come from make bench)"
BENCH_COUNT=20 BENCH_RUNS=1 BENCH_WRK_SECONDS=2 BENCH_BIN=.build/debug BENCH_OUT="$ROOT/test-output/bench" \
    BENCH_REPORT="$ROOT/test-output/bench/BENCHMARKS.md" bash scripts/bench.sh

if [ "${COVERAGE:-0}" = 1 ]; then
    bash "$ROOT/scripts/coverage.sh"
fi
