#!/usr/bin/env bash
# db.sh connect | reset — psql on the OrderFlow database; drop everything and migrate again.
source "$(dirname "$0")/lib.sh"
export PGPASSWORD="$POSTGRES_PASSWORD"
PSQL=(psql -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d "$POSTGRES_DB")

case "${1:-}" in
    connect) exec "${PSQL[@]}" ;;
    reset)
        if [ "${FORCE:-0}" != 1 ]; then
            [ -t 0 ] || die "db-reset drops every table of $POSTGRES_DB; run with FORCE=1 to confirm"
            read -r -p "Drop every table of $POSTGRES_DB on $POSTGRES_HOST:$POSTGRES_PORT? [y/N] " answer
            [ "$answer" = y ] || [ "$answer" = Y ] || die "aborted"
        fi
        say "dropping schema public of $POSTGRES_DB"
        "${PSQL[@]}" -v ON_ERROR_STOP=1 -q -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"
        say "migrating"
        cd "$ROOT" && swift run order-worker migrate ;;
    *) die "usage: $0 connect|reset" ;;
esac
