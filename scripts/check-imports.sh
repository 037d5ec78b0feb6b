#!/usr/bin/env bash
# The dependency rules of docs/architecture.md, checked on the imports of every Swift file under Sources/ and of the
# drivers' test targets: what each target must never import. Prints each offending file:line and fails;
# `make lint` runs it.
#   bash scripts/check-imports.sh [ROOT]     check ROOT (default: the repository)
#   bash scripts/check-imports.sh --self-test   plant a violation in a scratch copy and show that it fails
set -euo pipefail

HTTP="Hummingbird HummingbirdCore HummingbirdTesting HTTPTypes NIOCore NIOPosix NIOHTTP1 NIOHTTP2 OpsHTTP"
TEMPORAL="TemporalBridge SwiftProtobuf CGRPCShim"
DRIVERS="PostgresClient RedisClient ThreadConfinement CLibPQ CHiredis"
ORDER="OrderCore OrderStore OrderStatusFeed OrderWorker OrderAPI"

# target|modules it must never import|why
RULES=(
    "OrderCore|$HTTP $TEMPORAL $DRIVERS OrderStore OrderStatusFeed OrderWorker OrderAPI|OrderCore is what an order is: no HTTP, no Temporal, no driver (the store uses the drivers)"
    "TemporalBridge|$ORDER $DRIVERS $HTTP|TemporalBridge is a Temporal SDK with no order knowledge"
    "ThreadConfinement|$ORDER $TEMPORAL $HTTP PostgresClient RedisClient CLibPQ CHiredis|the drivers' thread knows no driver, order or transport"
    "PostgresClient|$ORDER $TEMPORAL $HTTP RedisClient CHiredis|the PostgreSQL driver has no order knowledge"
    "RedisClient|$ORDER $TEMPORAL $HTTP PostgresClient CLibPQ|the Redis driver has no order knowledge"
    "OrderStore|$HTTP $TEMPORAL RedisClient CHiredis CLibPQ OrderStatusFeed OrderWorker OrderAPI|the order store speaks SQL through PostgresClient only"
    "OrderStatusFeed|$HTTP $TEMPORAL PostgresClient CLibPQ CHiredis OrderStore OrderWorker OrderAPI|the status feed speaks Redis through RedisClient only"
    "Tests/PostgresClientTests|$ORDER $TEMPORAL RedisClient|the driver's tests need no orders"
    "Tests/RedisClientTests|$ORDER $TEMPORAL PostgresClient|the driver's tests need no orders"
)
# C libraries have exactly one Swift caller each.
ONLY_CALLER=("CLibPQ|PostgresClient" "CHiredis|RedisClient" "CGRPCShim|TemporalBridge")

check() {
    local root="$1" failures=0 rule target forbidden why module file line
    for rule in "${RULES[@]}"; do
        IFS='|' read -r target forbidden why <<<"$rule"
        local folder="Sources/$target"
        case "$target" in Tests/*) folder="$target" target="${target#Tests/}" ;; esac
        [ -d "$root/$folder" ] || { echo "check-imports: no $folder (update the rules)"; failures=$((failures + 1)); continue; }
        for module in $forbidden; do
            while IFS=: read -r file line _; do
                [ -n "$file" ] || continue
                echo "${file#"$root"/}:$line: $target imports $module ($why)"
                failures=$((failures + 1))
            done < <(grep -rnE --include='*.swift' "^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*import[[:space:]]+((struct|class|enum|protocol|func|var|let|typealias)[[:space:]]+)?$module([[:space:]]|\.|$)" "$root/$folder" || true)
        done
    done
    for rule in "${ONLY_CALLER[@]}"; do
        IFS='|' read -r module owner <<<"$rule"
        while IFS=: read -r file line _; do
            [ -n "$file" ] || continue
            case "$file" in "$root/Sources/$owner/"*) continue ;; esac
            echo "${file#"$root"/}:$line: imports $module (only $owner may call it)"
            failures=$((failures + 1))
        done < <(grep -rnE --include='*.swift' "^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*import[[:space:]]+$module([[:space:]]|\.|$)" "$root/Sources" "$root/Benchmarks" 2>/dev/null || true)
    done
    if [ "$failures" -gt 0 ]; then
        echo "check-imports: $failures forbidden import(s); see docs/architecture.md (Dependency rules)"
        return 1
    fi
    echo "check-imports: every target imports only what docs/architecture.md allows"
}

self_test() {
    local here scratch output
    here="$(cd "$(dirname "$0")/.." && pwd)"
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' RETURN
    cp -R "$here/Sources" "$scratch/Sources"
    mkdir -p "$scratch/Tests"
    cp -R "$here/Tests/PostgresClientTests" "$here/Tests/RedisClientTests" "$scratch/Tests/"
    check "$scratch" >/dev/null || { echo "self-test: the clean tree already fails"; return 1; }
    # Plant one violation of each kind and expect each to be named with its file and line.
    printf 'import Foundation\n@preconcurrency import Hummingbird\n' >"$scratch/Sources/OrderCore/Planted.swift"
    printf 'import Logging\nimport OrderCore\n' >"$scratch/Sources/PostgresClient/Planted.swift"
    printf '\n\nimport OrderStore\n' >"$scratch/Sources/TemporalBridge/Planted.swift"
    printf 'import CLibPQ\n' >"$scratch/Sources/OrderStore/Planted.swift"
    printf '@testable import OrderCore\n' >"$scratch/Tests/RedisClientTests/Planted.swift"
    if output="$(check "$scratch")"; then
        echo "self-test: planted violations were not found"
        return 1
    fi
    for expected in "Sources/OrderCore/Planted.swift:2: OrderCore imports Hummingbird" \
        "Sources/PostgresClient/Planted.swift:2: PostgresClient imports OrderCore" \
        "Sources/TemporalBridge/Planted.swift:3: TemporalBridge imports OrderStore" \
        "Sources/OrderStore/Planted.swift:1: OrderStore imports CLibPQ" \
        "Tests/RedisClientTests/Planted.swift:1: RedisClientTests imports OrderCore"; do
        grep -qF "$expected" <<<"$output" || { echo "self-test: expected \"$expected\" in:"; echo "$output"; return 1; }
    done
    echo "check-imports self-test: a planted violation fails the check, naming file:line"
}

if [ "${1:-}" = "--self-test" ]; then
    self_test
else
    check "${1:-$(cd "$(dirname "$0")/.." && pwd)}"
fi
