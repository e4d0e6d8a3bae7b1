#!/usr/bin/env bash
# Idempotently start a local PostgreSQL 15 for the silo (as the `postgres` user, on its own data directory and
# port, listening on 127.0.0.1 only), create the database and print the connection string.
# Environment: PGPORT (default 55432), PGDATA_DIR (default /tmp/hymirec-pg), PGDATABASE_NAME (default hymirec).
set -euo pipefail
port=${PGPORT:-55432}
data=${PGDATA_DIR:-/tmp/hymirec-pg}
db=${PGDATABASE_NAME:-hymirec}
bin=/usr/lib/postgresql/15/bin

if [ ! -x "$bin/pg_ctl" ]; then
  echo "postgres.sh: installing PostgreSQL (apt-get install -y postgresql)" >&2
  apt-get install -y postgresql >&2
fi

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

if [ ! -s "$data/PG_VERSION" ]; then
  mkdir -p "$data"
  chown postgres:postgres "$data"
  chmod 700 "$data"
  as_postgres "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
fi

if ! as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  as_postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -o "-p $port -k $data -c listen_addresses=127.0.0.1" start >/dev/null
fi

if ! as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" postgres | grep -q 1; then
  as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE \"$db\"" postgres
fi

echo "Host=127.0.0.1;Port=$port;Database=$db;Username=postgres"
