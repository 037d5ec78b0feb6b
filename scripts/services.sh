#!/usr/bin/env bash
# Local services for development and tests: a private PostgreSQL 15 cluster, the Temporal dev server and a
# private redis-server.
#   services.sh up | down | status | restart-postgres
# Each service is started only when nothing answers on its port, waited for until ready, logged under
# .data/logs/ and stopped through its pid file (never by process name).
source "$(dirname "$0")/lib.sh"

PG_PIDFILE="$PG_DATA/postmaster.pid"
TEMPORAL_PIDFILE="$DATA/temporal.pid"
REDIS_PORT="${REDIS_PORT:-6379}"
TEMPORAL_UI_PORT="${TEMPORAL_UI_PORT:-8088}"
REDIS_DIR="$DATA/redis"
REDIS_PIDFILE="$DATA/redis.pid"
as_postgres() { runuser -u postgres -- "$@"; }

pg_answering() { "$PG_BIN/pg_isready" -q -h "$POSTGRES_HOST" -p "$POSTGRES_PORT"; }
redis_answering() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }
temporal_answering() { "$TEMPORAL_CLI" operator cluster health --address "127.0.0.1:$TEMPORAL_PORT" 2>/dev/null | grep -q SERVING; }

postgres_up() {
    [ -n "$PG_BIN" ] || die "PostgreSQL 15 binaries not found; run 'make deps'"
    if pg_answering; then
        say "PostgreSQL already answering on port $POSTGRES_PORT"
    else
        if [ ! -f "$PG_DATA/PG_VERSION" ]; then
            say "initialising a private PostgreSQL cluster in $PG_DATA"
            mkdir -p "$PG_DATA" "$PG_RUN"
            chown postgres:postgres "$PG_DATA" "$PG_RUN"
            chmod 700 "$PG_DATA"
            as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
                -E UTF8 --locale=C.UTF-8 >"$LOGS/initdb.log" 2>&1 || die "initdb failed; see $LOGS/initdb.log"
        fi
        mkdir -p "$PG_RUN"; chown postgres:postgres "$PG_RUN"
        touch "$LOGS/postgres.log"; chown postgres:postgres "$LOGS/postgres.log"
        say "starting PostgreSQL on port $POSTGRES_PORT"
        # fsync=off: a dev cluster need not survive a machine crash. synchronous_commit stays on: a crash of
        # PostgreSQL alone must never lose a commit an activity was told had happened (the fault drill shows it).
        as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$LOGS/postgres.log" -w -t 60 \
            -o "-p $POSTGRES_PORT -k $PG_RUN -c listen_addresses=127.0.0.1,::1 -c max_connections=200 -c fsync=off" \
            start >/dev/null || die "PostgreSQL did not start; see $LOGS/postgres.log"
        wait_for 60 "PostgreSQL" pg_answering || die "PostgreSQL is not answering; see $LOGS/postgres.log"
    fi
    ensure_role_and_db
}

ensure_role_and_db() {
    # Only our own cluster can be set up here; a foreign server must already have the role.
    if PGPASSWORD="$POSTGRES_PASSWORD" psql -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d "$POSTGRES_DB" -Atqc 'select 1' >/dev/null 2>&1; then
        return
    fi
    [ -S "$PG_RUN/.s.PGSQL.$POSTGRES_PORT" ] || die "PostgreSQL on port $POSTGRES_PORT refuses $POSTGRES_USER@$POSTGRES_DB and is not ours to set up; stop it or set POSTGRES_PORT"
    say "creating role $POSTGRES_USER and database $POSTGRES_DB"
    as_postgres psql -h "$PG_RUN" -p "$POSTGRES_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
        -v role="$POSTGRES_USER" -v pass="$POSTGRES_PASSWORD" -v db="$POSTGRES_DB" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pass')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'role', :'pass') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
}

postgres_down() {
    if [ -f "$PG_PIDFILE" ]; then
        say "stopping PostgreSQL"
        as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null || true
    fi
}

postgres_restart() {
    [ -f "$PG_PIDFILE" ] || die "PostgreSQL in $PG_DATA is not running"
    say "restarting PostgreSQL"
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$LOGS/postgres.log" -m fast -w -t 60 restart \
        -o "-p $POSTGRES_PORT -k $PG_RUN -c listen_addresses=127.0.0.1,::1 -c max_connections=200 -c fsync=off" >/dev/null
}

temporal_up() {
    need_temporal
    if temporal_answering; then
        say "Temporal already answering on port $TEMPORAL_PORT"
        return
    fi
    say "starting the Temporal dev server (gRPC $TEMPORAL_PORT, Web UI $TEMPORAL_UI_PORT, history in .data/temporal.db)"
    # TEMPORAL_DEV_ARGS passes extra flags, e.g. --dynamic-config-value for benchmarks.
    nohup "$TEMPORAL_CLI" server start-dev --ip 127.0.0.1 --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT" \
        --db-filename "$DATA/temporal.db" --log-level warn ${TEMPORAL_DEV_ARGS:-} \
        >"$LOGS/temporal.log" 2>&1 </dev/null &
    echo $! >"$TEMPORAL_PIDFILE"
    wait_for 120 "Temporal" temporal_answering || die "Temporal did not become SERVING; see $LOGS/temporal.log"
}

temporal_down() { stop_pidfile "$TEMPORAL_PIDFILE" "Temporal dev server"; }

redis_up() {
    command -v redis-server >/dev/null || die "redis-server not found; run 'make deps'"
    if redis_answering; then
        say "Redis already answering on port $REDIS_PORT"
        return
    fi
    mkdir -p "$REDIS_DIR"
    say "starting redis-server on port $REDIS_PORT (data in .data/redis)"
    # Nothing in Redis must outlive a restart (rate-limit buckets, pub/sub): no snapshots, no AOF.
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$REDIS_DIR" --daemonize yes \
        --pidfile "$REDIS_PIDFILE" --logfile "$LOGS/redis.log" --save "" --appendonly no \
        || die "redis-server did not start; see $LOGS/redis.log"
    wait_for 30 "Redis" redis_answering || die "Redis is not answering; see $LOGS/redis.log"
}

redis_down() { stop_pidfile "$REDIS_PIDFILE" "redis-server"; }

case "${1:-}" in
    up) postgres_up; temporal_up; redis_up ;;
    down) redis_down; temporal_down; postgres_down ;;
    restart-postgres) postgres_restart ;;
    postgres-up) postgres_up ;;
    temporal-up) temporal_up ;;
    temporal-down) temporal_down ;;
    redis-up) redis_up ;;
    redis-down) redis_down ;;
    status)
        pg_answering && echo "postgres: up (port $POSTGRES_PORT)" || echo "postgres: down"
        temporal_answering && echo "temporal: up (port $TEMPORAL_PORT)" || echo "temporal: down"
        redis_answering && echo "redis: up (port $REDIS_PORT)" || echo "redis: down" ;;
    *) die "usage: $0 up|down|status|restart-postgres|postgres-up|temporal-up|temporal-down|redis-up|redis-down" ;;
esac
