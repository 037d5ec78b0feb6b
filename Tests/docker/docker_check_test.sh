#!/usr/bin/env bash
# docker-check must fail, naming what is missing, when the Dockerfile loses a build-stage COPY line or the runtime
# stage drops a library package a binary needs. Fast: works on temporary copies of the Dockerfile and builds nothing
# (the second case checks the binaries of the last `make docker-check`, which scripts/test.sh runs first).
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$ROOT"

OUT_DIR="${DOCKER_CHECK_DIR:-$ROOT/.build-docker}/out"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
passed=0 failed=0

# expect_failure NAME DOCKERFILE TEXT: docker-check on DOCKERFILE must exit non-zero and say TEXT.
expect_failure() {
    local name=$1 dockerfile=$2 text=$3 output status=0
    output=$(DOCKERFILE="$dockerfile" DOCKER_CHECK_DIR="$WORK/$name" DOCKER_CHECK_BUILD=0 \
        bash scripts/docker-check.sh 2>&1) || status=$?
    if [ "$status" -ne 0 ] && grep -qF -- "$text" <<<"$output"; then
        say "ok: $name (docker-check failed with: $(grep -F 'FAILED' <<<"$output" | head -1))"
        passed=$((passed + 1))
    else
        printf 'not ok: %s: expected docker-check to fail naming "%s"; exit %s, output:\n%s\n' "$name" "$text" "$status" "$output" >&2
        failed=$((failed + 1))
    fi
}

# 1. Without the COPY of the benchmark target, SwiftPM cannot load the package: the missing path is named.
grep -q '^COPY Benchmarks/OrderFlowBench ' Dockerfile || die "the Dockerfile has no 'COPY Benchmarks/OrderFlowBench' line to remove"
grep -v '^COPY Benchmarks/OrderFlowBench ' Dockerfile >"$WORK/Dockerfile.no-bench-copy"
expect_failure missing-copy "$WORK/Dockerfile.no-bench-copy" "Benchmarks/OrderFlowBench"

# 2. Without libpq5 on the runtime stage's apt-get line, the binaries' libpq.so.5 comes from nowhere.
[ -x "$OUT_DIR/order-worker" ] && [ -x "$OUT_DIR/order-api" ] \
    || die "no binaries in $OUT_DIR: run make docker-check first"
grep -q 'apt-get install .* libpq5 ' Dockerfile || die "the Dockerfile's runtime stage installs no libpq5 to remove"
sed 's/\(apt-get install .*\) libpq5 /\1 /' Dockerfile >"$WORK/Dockerfile.no-libpq5"
mkdir -p "$WORK/missing-package"
ln -s "$OUT_DIR" "$WORK/missing-package/out"
expect_failure missing-package "$WORK/Dockerfile.no-libpq5" "libpq.so.5"

# 3. The same binaries pass with the Dockerfile as it is (so case 2 failed for the package, not the set-up).
mkdir -p "$WORK/unchanged"
ln -s "$OUT_DIR" "$WORK/unchanged/out"
if DOCKER_CHECK_DIR="$WORK/unchanged" DOCKER_CHECK_BUILD=0 bash scripts/docker-check.sh >"$WORK/unchanged.log" 2>&1; then
    say "ok: unchanged Dockerfile passes"
    passed=$((passed + 1))
else
    cat "$WORK/unchanged.log" >&2
    printf 'not ok: unchanged Dockerfile fails docker-check\n' >&2
    failed=$((failed + 1))
fi

echo "docker-check: $passed passed, $failed failed"
[ "$failed" = 0 ]
