#!/usr/bin/env bash
# Prints wall time and peak memory for generating and loading the national
# demo data set (about 1,800 organizations, 200,000 systems, 3,000,000
# components) into SQLite and into PostgreSQL, then the Go benchmarks for
# import and bulk load. Targets on a 2-core machine: under 60 s and under
# 2 GiB peak memory per store. Then, on the SQLite national set, the
# vulnerability figures: feed import (one NVD year, the OSV Go set) with
# time and peak memory, a full match of every installed product, one
# system's re-match, and a re-match after a daily delta; the public feeds
# are read from ../shared/data (skipped when absent).
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

timed() { # label command...
	local label=$1
	shift
	/usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; return 1; }
	read -r secs kib <"$work/time"
	printf '  %-34s %6.2f s wall, %5.0f MiB peak RSS  %s\n' "$label" "$secs" "$(awk "BEGIN { print $kib / 1024 }")" "$(tail -1 "$work/out" | cut -c1-110)"
}

vulns() { # sqlite-file
	local db=$1 data=../shared/data
	if [ ! -d "$data/vuln" ]; then
		echo "vulnerability benchmarks skipped: no $data/vuln"
		return
	fi
	echo "sqlite     vulnerability management on the national set:"
	timed "import NVD 2018 (76 MB raw, gz)" "$work/mamori" vuln import --db "$db" "$data/vuln/nvd/nvdcve-1.1-2018.json.gz"
	timed "import OSV Go (4,291 records)" "$work/mamori" vuln import --db "$db" "$data/osv-go"
	timed "import KEV" "$work/mamori" vuln import --db "$db" "$data/vuln/kev/known_exploited_vulnerabilities.json"
	timed "full match" "$work/mamori" vuln match --db "$db"
	timed "re-match one system" "$work/mamori" vuln match --db "$db" --system P13-M0001-S00001
	timed "daily delta: import 2025 overrides" "$work/mamori" vuln import --db "$db" "$data/vuln/nvd/anchore-nvd-overrides-2025.jsonl"
	timed "full re-match after the delta" "$work/mamori" vuln match --db "$db"
	"$work/mamori" vuln status --db "$db" | tail -2 | head -1
	go test -run '^$' -bench 'Find|RunSystem' -benchtime 3x ./internal/match -bench-db "$db" | grep Benchmark
}

for s in "${stores[@]}"; do
	case $s in
	sqlite)
		measure sqlite "$work/national.db"
		printf '%-10s database file: %s\n' sqlite "$(du -h "$work/national.db" | cut -f1)"
		vulns "$work/national.db"
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

echo "== Go benchmarks (import and bulk load, feed import)"
go test -run '^$' -bench . -benchtime 3x ./internal/register ./internal/store ./internal/demo
go test -run '^$' -bench Import -benchtime 2x ./internal/feed
