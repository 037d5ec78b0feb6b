#!/usr/bin/env bash
# The coverage of the last `swift test --enable-code-coverage` run (make test-coverage runs the tests first):
# lines, functions and regions per target of Sources/, and an HTML report in test-output/coverage/.
# llvm-cov and llvm-profdata are the Swift toolchain's own, found beside `swift`: an older LLVM first on PATH
# (Debian's llvm package) cannot read the toolchain's profile format.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

TOOLCHAIN_BIN="$(dirname "$(readlink -f "$(command -v swift)")")"
LLVM_COV="$TOOLCHAIN_BIN/llvm-cov"
LLVM_PROFDATA="$TOOLCHAIN_BIN/llvm-profdata"
for tool in "$LLVM_COV" "$LLVM_PROFDATA"; do
    [ -x "$tool" ] || die "$tool not found: the Swift toolchain beside $(command -v swift) has no $(basename "$tool")"
done

bin="$(swift build --show-bin-path)"
codecov="$bin/codecov"
OUT="$ROOT/test-output/coverage"
mkdir -p "$OUT"
# The profiles of the last `swift test`, those scripts/test.sh kept of earlier ones (test-output/coverage/swift-test)
# and those of the built binaries the end-to-end stages ran (test-output/coverage/processes), each file once,
# merged with the toolchain's llvm-profdata.
mapfile -t raw < <(find "$codecov" "$OUT/swift-test" "$OUT/processes" -name '*.profraw' -size +0 -printf '%f\t%p\n' 2>/dev/null \
    | sort -t $'\t' -k1,1 -u | cut -f2)
[ ${#raw[@]} -gt 0 ] || die "no coverage data in $codecov; run make test-coverage (or swift test --enable-code-coverage)"
profdata="$OUT/merged.profdata"
"$LLVM_PROFDATA" merge -sparse "${raw[@]}" -o "$profdata" || die "llvm-profdata could not merge ${#raw[@]} profiles from $codecov"

# The code measured: the test bundle, and the executables when their processes left profiles.
xctest="$(ls -d "$bin"/*.xctest 2>/dev/null | head -1)"
[ -n "$xctest" ] || die "no test bundle in $bin; build with swift build --build-tests --enable-code-coverage"
objects=("$xctest")
if [ -d "$OUT/processes" ]; then
    for exe in order-worker order-api; do [ -x "$bin/$exe" ] && objects+=(-object "$bin/$exe"); done
fi
IGNORE='(\.build[^/]*|Tests|Generated|Benchmarks)/'

# Per target: the files under Sources/<target>/ in llvm-cov's summary, added up. A target none of whose files is
# in the coverage data (not instrumented, or not linked into what ran) says so rather than showing a total.
"$LLVM_COV" export -summary-only "${objects[@]}" -instr-profile="$profdata" -ignore-filename-regex="$IGNORE" \
    >"$OUT/summary.json" || die "llvm-cov export failed"
python3 - "$OUT/summary.json" "$ROOT/Sources" <<'PY' | tee "$OUT/summary.txt"
import json, os, sys
data = json.load(open(sys.argv[1]))["data"][0]["files"]
sources = sys.argv[2].rstrip("/") + "/"
kinds = ("lines", "functions", "regions")
totals = {}
for entry in data:
    if not entry["filename"].startswith(sources):
        continue
    target = entry["filename"][len(sources):].split("/")[0]
    for name in (target, "all of Sources"):
        sums = totals.setdefault(name, {kind: [0, 0] for kind in kinds})
        for kind in kinds:
            sums[kind][0] += entry["summary"][kind]["covered"]
            sums[kind][1] += entry["summary"][kind]["count"]
def cell(covered, count):
    return f"{100 * covered / count:.1f} % of {count}" if count else "-"
print(f"{'target':<16} {'lines':>17} {'functions':>17} {'regions':>17}")
targets = sorted(d for d in os.listdir(sources) if os.path.isdir(sources + d))
for name in targets + ["all of Sources"]:
    code = name == "all of Sources" or any(
        f.endswith((".swift", ".c")) for _, _, files in os.walk(sources + name) for f in files)
    if not code:
        continue  # module maps only (CLibPQ, CHiredis)
    if name not in totals:
        print(f"{name:<16} no coverage data (not instrumented, or no test ran its code)")
        continue
    print(f"{name:<16} " + " ".join(f"{cell(*totals[name][kind]):>17}" for kind in kinds))
PY
"$LLVM_COV" show "${objects[@]}" -instr-profile="$profdata" -ignore-filename-regex="$IGNORE" \
    -format=html -show-line-counts-or-regions -output-dir="$OUT/html" "$ROOT/Sources" >/dev/null \
    || die "llvm-cov show could not write the HTML report"
say "coverage: $OUT/summary.txt, HTML report $OUT/html/index.html (from ${#raw[@]} profiles, $(basename "$LLVM_COV") of $TOOLCHAIN_BIN)"
