#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 for the JDBC store tests, on 127.0.0.1:${OPENCX_PG_PORT:-55432},
# trusting local connections (user postgres, no password). Idempotent: when a server already answers
# on the port it is reused; when PostgreSQL 15 is missing it is installed from Debian (needs root).
# Prints the JDBC URL on stdout (everything else goes to stderr), e.g. for
#   export OPENCX_PG_URL=$(bash .ci/postgres.sh)
# Stop it with: runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$OPENCX_PG_DIR" stop
set -euo pipefail

PORT="${OPENCX_PG_PORT:-55432}"
DIR="${OPENCX_PG_DIR:-/tmp/opencx-pg-${PORT}}"
BIN=/usr/lib/postgresql/15/bin
URL="jdbc:postgresql://127.0.0.1:${PORT}/postgres"

log() { echo "postgres.sh: $*" >&2; }

ready() { "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" >/dev/null 2>&1; }

if [ ! -x "$BIN/postgres" ]; then
    if [ "$(id -u)" != 0 ]; then
        log "PostgreSQL 15 is not installed and this is not root: install the Debian package postgresql-15"
        exit 1
    fi
    log "installing postgresql-15 from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    if ! apt-cache show postgresql-15 >/dev/null 2>&1; then
        log "the package postgresql-15 is not available from the configured apt sources"
        exit 1
    fi
    apt-get install -y -qq --no-install-recommends postgresql-15 </dev/null >&2
fi

if ready; then
    log "a server already answers on 127.0.0.1:${PORT}; reusing it"
    echo "$URL"
    exit 0
fi

# PostgreSQL refuses to run as root: run it as the postgres user (created by the Debian package)
if [ "$(id -u)" = 0 ]; then
    AS=(runuser -u postgres --)
else
    AS=()
fi

if [ ! -f "$DIR/PG_VERSION" ]; then
    rm -rf "$DIR"
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
    chmod 700 "$DIR"
    log "initdb into $DIR"
    "${AS[@]}" "$BIN/initdb" -D "$DIR" -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
fi
rm -f "$DIR/postmaster.pid" 2>/dev/null || true # stale after a machine restart; pg_ctl refuses a live one anyway

log "starting PostgreSQL 15 on 127.0.0.1:${PORT}"
"${AS[@]}" "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 \
    -o "-p ${PORT} -k ${DIR} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >&2 || { log "PostgreSQL did not start; its log:"; tail -n 30 "$DIR/server.log" >&2 || true; exit 1; }

for _ in $(seq 1 50); do
    ready && break
    sleep 0.2
done
ready || { log "PostgreSQL is not ready on 127.0.0.1:${PORT}"; exit 1; }
echo "$URL"
