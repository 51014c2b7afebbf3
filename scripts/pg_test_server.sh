#!/usr/bin/env bash
# Start (idempotent) a private PostgreSQL server on loopback for the test suite and print
# its admin URL on the last line. Used by scripts/check.sh; also handy by hand:
#     DESK_APP_TEST_PG="$(bash scripts/pg_test_server.sh | tail -1)" .venv/bin/python -m pytest tests/integration
# The cluster is the suite's own (its own folder and port, trust authentication on
# 127.0.0.1 only), so it never touches a PostgreSQL the machine already runs.
# Packages: `postgresql` is installed by scripts/setup.sh (test profile).
set -euo pipefail

PORT="${DESK_APP_PG_PORT:-54329}"
DATA="${DESK_APP_PG_DATA:-${TMPDIR:-/tmp}/desk_app-test-pg-$PORT}"
say() { printf '[desk-app pg] %s\n' "$*" >&2; }

BIN=""
for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && { BIN="$dir"; break; }
done
if [ -z "$BIN" ]; then
    say "未找到 PostgreSQL 服务器 / PostgreSQL server not found. Run as root:"
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends postgresql" >&2
    exit 1
fi

# initdb and postgres refuse to run as root: as root the cluster belongs to `postgres`.
if [ "$(id -u)" -eq 0 ]; then
    as_owner() { runuser -u postgres -- "$@"; }
else
    as_owner() { "$@"; }
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
    say "initdb $DATA"
    rm -rf "$DATA"
    mkdir -p "$DATA"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$DATA"
    # C collation: ordering and ranges are by code point, as on SQLite (docs/database.md).
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C \
        --no-instructions >/dev/null
    # Tests need speed, not durability: this server's data is thrown away.
    cat >>"$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DATA'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
fi
if ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    say "starting PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 start >/dev/null
fi
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
