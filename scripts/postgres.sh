#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 for the tests and
# that the role "root" and the database "test" exist, then prints the DSN the
# tests use. It starts the local cluster if it is down and, where the role
# cannot connect (a stock Debian install has no "root" role), creates the role
# and the database as the postgres superuser.
set -euo pipefail

dsn="postgres://root@127.0.0.1:5432/test?sslmode=disable"

can_connect() { psql "$dsn" -tAc 'select 1' >/dev/null 2>&1; }

if can_connect; then
	echo "$dsn"
	exit 0
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
	if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
		version=$(ls /etc/postgresql | sort -V | tail -1)
		pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
		for _ in $(seq 1 30); do
			pg_isready -q -h 127.0.0.1 -p 5432 && break
			sleep 1
		done
	fi
fi
if ! can_connect && [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
	su postgres -c "psql -tAc \"select 1 from pg_roles where rolname='root'\"" | grep -q 1 ||
		su postgres -c "createuser --superuser root" >&2
	su postgres -c "psql -tAc \"select 1 from pg_database where datname='test'\"" | grep -q 1 ||
		su postgres -c "createdb --owner root test" >&2
	# Stock Debian asks for a password on 127.0.0.1; allow the local test role in.
	hba=$(su postgres -c "psql -tAc 'show hba_file'")
	if ! can_connect && [ -f "$hba" ] && ! grep -q '^host test root 127.0.0.1/32 trust' "$hba"; then
		sed -i '1i host test root 127.0.0.1/32 trust' "$hba"
		su postgres -c "psql -tAc 'select pg_reload_conf()'" >/dev/null
	fi
fi
if can_connect; then
	echo "$dsn"
	exit 0
fi
echo "postgres: no PostgreSQL server reachable at $dsn" >&2
exit 1
