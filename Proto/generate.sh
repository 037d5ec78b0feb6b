#!/usr/bin/env bash
# Regenerates the Swift code for the Temporal API subset:
#   1. Proto/prune.py writes Proto/temporal/**.proto from the upstream schema shipped in PyPI `temporalio`
#   2. protoc + protoc-gen-swift (swift-protobuf, same version as Package.swift) write
#      Sources/TemporalBridge/Generated/*.pb.swift
#
# Usage: Proto/generate.sh            regenerate in place
#        Proto/generate.sh --check    regenerate into a temp copy and fail if the committed files differ
#
# Environment: PYTHON (python3 with temporalio + protobuf), PROTOC (protoc),
#   PROTOC_GEN_SWIFT (path to a protoc-gen-swift 1.39.0; built into the cache below when unset and missing),
#   ORDERFLOW_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/orderflow).
set -euo pipefail

SWIFT_PROTOBUF_VERSION=1.39.0 # keep equal to the swift-protobuf pin in Package.swift
SWIFT_PROTOBUF_GIT=${SWIFT_PROTOBUF_GIT:-https://github.com/apple/swift-protobuf.git}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-python3}
PROTOC=${PROTOC:-protoc}
CACHE=${ORDERFLOW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/orderflow}
GENERATED="$ROOT/Sources/TemporalBridge/Generated"

check=false
case "${1:-}" in
  --check) check=true ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

log() { echo "generate.sh: $*" >&2; }

# Builds protoc-gen-swift once per machine (a release build takes minutes).
ensure_plugin() {
  if [[ -n "${PROTOC_GEN_SWIFT:-}" ]]; then
    echo "$PROTOC_GEN_SWIFT"
    return
  fi
  local dir="$CACHE/protoc-gen-swift-$SWIFT_PROTOBUF_VERSION"
  local bin="$dir/protoc-gen-swift"
  if [[ ! -x "$bin" ]]; then
    log "building protoc-gen-swift $SWIFT_PROTOBUF_VERSION into $dir (takes a few minutes)"
    mkdir -p "$dir"
    if [[ ! -d "$dir/src/.git" ]]; then
      git clone --quiet "$SWIFT_PROTOBUF_GIT" "$dir/src"
    fi
    git -C "$dir/src" -c advice.detachedHead=false checkout --quiet "$SWIFT_PROTOBUF_VERSION"
    (cd "$dir/src" && swift build -c release --product protoc-gen-swift >&2)
    cp "$(cd "$dir/src" && swift build -c release --show-bin-path)/protoc-gen-swift" "$bin"
  fi
  echo "$bin"
}

# Writes the .proto subset and the Swift code under $1 (a copy of the repository layout).
generate_into() {
  local out_root=$1
  local plugin
  plugin=$(ensure_plugin)
  "$PYTHON" "$ROOT/Proto/prune.py" --out "$out_root/Proto"
  cp -R "$ROOT/Proto/google" "$out_root/Proto/"
  local swift_out="$out_root/Sources/TemporalBridge/Generated"
  mkdir -p "$swift_out"
  local protos
  protos=$(cd "$out_root/Proto" && find temporal google -name '*.proto' | LC_ALL=C sort)
  # shellcheck disable=SC2086 # word splitting of the file list is intended
  (cd "$out_root/Proto" && "$PROTOC" -I . \
    --plugin=protoc-gen-swift="$plugin" \
    --swift_out="$swift_out" \
    --swift_opt=Visibility=Public \
    --swift_opt=FileNaming=PathToUnderscores \
    $protos)
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/Proto"
generate_into "$work"

if $check; then
  status=0
  diff -r -q "$work/Proto/temporal" "$ROOT/Proto/temporal" || status=1
  for f in "$work"/Sources/TemporalBridge/Generated/*.pb.swift; do
    cmp -s "$f" "$GENERATED/$(basename "$f")" || { echo "differs: Generated/$(basename "$f")"; status=1; }
  done
  for f in "$GENERATED"/*.pb.swift; do
    [[ -e "$work/Sources/TemporalBridge/Generated/$(basename "$f")" ]] || { echo "stale: Generated/$(basename "$f")"; status=1; }
  done
  if [[ $status -ne 0 ]]; then
    log "generated files are out of date: run Proto/generate.sh"
  else
    log "generated files are up to date"
  fi
  exit $status
fi

rm -rf "$ROOT/Proto/temporal"
cp -R "$work/Proto/temporal" "$ROOT/Proto/temporal"
mkdir -p "$GENERATED"
rm -f "$GENERATED"/*.pb.swift
cp "$work"/Sources/TemporalBridge/Generated/*.pb.swift "$GENERATED/"
log "wrote $(ls "$GENERATED"/*.pb.swift | wc -l) Swift files to Sources/TemporalBridge/Generated"
