#!/usr/bin/env bash
# Starts a local PostgreSQL (Debian's package) on 127.0.0.1 for the audit store's tests and
# prints the export lines for its JDBC URL. Installs the package if it is missing.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "installing PostgreSQL from Debian's packages..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 2>/dev/null || pg_ctlcluster "$version" main status >&2
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='xssab'\"" | grep -q 1 \
  || su postgres -c "psql -p $port -c \"CREATE ROLE xssab LOGIN PASSWORD 'xssab'\"" >&2
su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname='xssab_test'\"" | grep -q 1 \
  || su postgres -c "psql -p $port -c \"CREATE DATABASE xssab_test OWNER xssab\"" >&2
echo "export XSSAB_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:$port/xssab_test"
echo "export XSSAB_TEST_POSTGRES_USER=xssab"
echo "export XSSAB_TEST_POSTGRES_PASSWORD=xssab"
