#!/usr/bin/env bash
# Python-side interop checks (fast, no Swift build needed); for `make test`.
#   PYTHON: a python3 with `temporalio` installed (default: python3). Needs `protoc` on PATH.
# Proto/generate.sh --check (generated Swift is current) is separate: it needs protoc-gen-swift.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PYTHON=${PYTHON:-python3}
status=0
"$PYTHON" "$ROOT/Proto/conformance_test.py" || status=1
"$PYTHON" "$ROOT/Tests/interop/payload_roundtrip.py" check || status=1
"$PYTHON" "$ROOT/Tests/interop/upstream_history_fixture.py" check || status=1
exit $status
