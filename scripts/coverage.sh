#!/usr/bin/env bash
# An llvm-cov summary per target of the last `swift test --enable-code-coverage` run.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bin="$(swift build --show-bin-path)"
profdata="$bin/codecov/default.profdata"
[ -f "$profdata" ] || die "no coverage data at $profdata; run make test-coverage"
xctest="$(ls -d "$bin"/*.xctest | head -1)"
mkdir -p test-output
for target in CGRPCShim TemporalBridge OrderCore OrderWorker OrderAPI; do
    printf '\n== %s\n' "$target"
    llvm-cov report "$xctest" -instr-profile="$profdata" \
        -ignore-filename-regex='(\.build|Tests|Generated)/' "$ROOT/Sources/$target" | tail -1
done | tee test-output/coverage-summary.txt
