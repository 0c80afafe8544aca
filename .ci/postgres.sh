#!/usr/bin/env bash
# A local PostgreSQL server for the second test run: installs it with apt-get if missing, starts
# the cluster, creates the role `snt_test` and a database for this checkout, and prints the
# SQLAlchemy URI on stdout. Any failure stops with a message and a non-zero exit: `make test`
# must not pass without it.
set -euo pipefail
say() { echo "postgres.sh: $*" >&2; }
as_postgres() { runuser -u postgres -- "$@"; }

if [ "$(id -u)" -ne 0 ]; then
  say "needs root (apt-get, pg_ctlcluster, runuser); run as root or set SNT_TEST_DATABASE_URI yourself"
  exit 1
fi
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  say "installing PostgreSQL with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)
if ! pg_lsclusters --no-header | awk '{print $1, $2}' | grep -qx "$version main"; then
  say "creating cluster $version/main"
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters --no-header | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -qx online; then
  say "starting cluster $version/main"
  pg_ctlcluster "$version" main start >&2
fi
# One database per checkout: two work trees testing at once must not empty each other's schema.
database="snt_test_$(pwd -P | md5sum | cut -c1-8)"
port=$(pg_lsclusters --no-header | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')

psql_admin() { as_postgres psql --port "$port" -v ON_ERROR_STOP=1 -qtAc "$1"; }
if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = 'snt_test'")" != 1 ]; then
  psql_admin "CREATE ROLE snt_test LOGIN PASSWORD 'snt_test'" >&2
fi
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]; then
  psql_admin "CREATE DATABASE $database OWNER snt_test ENCODING 'UTF8' TEMPLATE template0" >&2
fi
say "PostgreSQL $version on port $port, database $database"
echo "postgresql+psycopg://snt_test:snt_test@127.0.0.1:$port/$database"
