#!/usr/bin/env bash
# Prints wall time and peak memory for generating and loading the national
# demo data set (about 1,800 organizations, 200,000 systems, 3,000,000
# components) into SQLite and into PostgreSQL, then the Go benchmarks for
# import and bulk load. Targets on a 2-core machine: under 60 s and under
# 2 GiB peak memory per store.
#
#   scripts/bench.sh            # both stores
#   scripts/bench.sh sqlite     # one store
set -euo pipefail
cd "$(dirname "$0")/.."

stores=("${@:-sqlite postgres}")
stores=(${stores[*]})
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/mamori" ./cmd/mamori

measure() { # label dsn
	local label=$1 dsn=$2
	/usr/bin/time -f "%e %M" -o "$work/time" "$work/mamori" demo --scale national --no-serve --db "$dsn" >"$work/out"
	read -r secs kib <"$work/time"
	printf '%-10s national demo: %6.1f s wall, %6.0f MiB peak RSS  (%s)\n' "$label" "$secs" "$(awk "BEGIN { print $kib / 1024 }")" "$(tail -1 "$work/out")"
}

for s in "${stores[@]}"; do
	case $s in
	sqlite)
		measure sqlite "$work/national.db"
		printf '%-10s database file: %s\n' sqlite "$(du -h "$work/national.db" | cut -f1)"
		;;
	postgres)
		base=${MAMORI_TEST_POSTGRES:-$(scripts/postgres.sh)}
		schema="bench_$$"
		psql "$base" -qc "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" 2>/dev/null
		sep='?'
		[[ $base == *\?* ]] && sep='&'
		measure postgres "${base}${sep}search_path=${schema}"
		psql "$base" -qc "DROP SCHEMA $schema CASCADE" 2>/dev/null
		;;
	*)
		echo "unknown store $s (sqlite or postgres)" >&2
		exit 2
		;;
	esac
done

echo "== Go benchmarks (import and bulk load)"
go test -run '^$' -bench . -benchtime 3x ./internal/register ./internal/store ./internal/demo
