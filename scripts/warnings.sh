#!/usr/bin/env bash
# Zero warnings in our own targets: `make lint` runs this. Package.swift makes every warning of our targets an
# error, so a debug build with the tests fails on one; this also fails on a warning the compiler flags cannot
# reach (SwiftPM's about our targets, the linker's, the C shim's) in a path of ours. Dependencies' warnings are
# theirs and are left alone. An up-to-date build compiles nothing, so this costs seconds after `swift build`.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
swift build --build-tests "$@" >"$log" 2>&1 || status=$?
# Compiler diagnostics name the file; SwiftPM's name the package, whose identity is this folder's name.
package="$(basename "$ROOT" | tr '[:upper:]' '[:lower:]')"
ours="$(grep -E "^($ROOT/)?(Sources|Tests|Benchmarks)/[^:]+:[0-9]+(:[0-9]+)?: (warning|error):|^warning: '$package'" "$log" |
    sort -u || true)"
if [ "$status" -ne 0 ] || [ -n "$ours" ]; then
    [ -n "$ours" ] && printf '%s\n' "$ours" >&2 || tail -n 40 "$log" >&2
    die "our targets must build without a warning: fix the lines above (swift build --build-tests shows them in context)"
fi
echo "no warnings in our targets"
