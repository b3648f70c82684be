#!/usr/bin/env bash
# Measures the web UI on the national demo data set (about 1,900
# organizations, 200,000 systems, 3,000,000 components): for each store it
# generates the data, runs a check so the dashboard and the findings exist,
# serves it on a free loopback port and runs bench/load against the
# dashboard, the register list (first and a deep page), one system page and
# the findings list (first and a deep page). Target: p99 under 100 ms.
# Then the audit report page in-process (BenchmarkReportPage): its size and
# latency percentiles (target: under 500 KB, p99 under 300 ms).
#
#   scripts/bench-web.sh               # both stores
#   scripts/bench-web.sh sqlite        # one store
#
# Environment:
#   MAMORI_BENCH_DB=PATH|DSN      reuse a national demo database instead of
#                                 generating one (a postgres:// DSN is used for
#                                 the postgres store, anything else is a SQLite
#                                 file for the sqlite store)
#   MAMORI_BENCH_POSTGRES=DSN     server for the generated PostgreSQL set
#                                 (default postgres://root@127.0.0.1:5432/test?sslmode=disable);
#                                 the data goes into its own schema, dropped at the end
#   MAMORI_BENCH_KEEP=1           keep the generated databases and print how to reuse them
#   MAMORI_BENCH_CHECK=0          skip the check run on a reused database
#   MAMORI_BENCH_LOAD_FLAGS=...   extra bench/load flags, e.g. "-n 50 -c 2" or "-d 20s"
#   MAMORI_BENCH_PASSWORD=...     the demo account's password (default: the demo's)
set -euo pipefail
cd "$(dirname "$0")/.."

stores=("${@:-sqlite postgres}")
stores=(${stores[*]})
reuse=${MAMORI_BENCH_DB:-}
keep=${MAMORI_BENCH_KEEP:-0}
work=$(mktemp -d)
server=""
schemas=()

cleanup() {
	if [ -n "$server" ]; then
		kill "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
	fi
	if [ "$keep" = 1 ]; then
		echo "kept: $work" >&2
		return
	fi
	for dsn in "${schemas[@]}"; do
		psql "${dsn%%::*}" -qc "DROP SCHEMA IF EXISTS ${dsn##*::} CASCADE" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/mamori" ./cmd/mamori
go build -o "$work/load" ./bench/load

timed() { # label command...
	local label=$1
	shift
	/usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; return 1; }
	read -r secs kib <"$work/time"
	printf '%-10s %s: %.1f s wall, %.0f MiB peak RSS\n' "$store" "$label" "$secs" "$(awk "BEGIN { print $kib / 1024 }")"
}

# bench dsn generate(0|1): prepares the data and measures the pages.
bench() {
	local dsn=$1 generate=$2 status=0
	if [ "$generate" = 1 ]; then
		timed "national demo" "$work/mamori" demo --scale national --no-serve --db "$dsn"
		timed "check" "$work/mamori" check --db "$dsn"
	elif [ "${MAMORI_BENCH_CHECK:-1}" != 0 ]; then
		# A database made by an older build may not open or check with this
		# one; then it has to be generated again.
		timed "check" "$work/mamori" check --db "$dsn" ||
			{ echo "$store: check failed on $dsn; generate it again (unset MAMORI_BENCH_DB)" >&2; return 1; }
	fi
	[ -f "$work/out" ] && grep -h '^assessment' "$work/out" | cut -c1-120

	"$work/mamori" serve --db "$dsn" --addr 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.log" &
	server=$!
	local url=""
	for _ in $(seq 1 300); do
		url=$(sed -n 's|^mamori: serving \(http://[^ ]*\)/ .*|\1|p' "$work/serve.out")
		[ -n "$url" ] && break
		kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; return 1; }
		sleep 0.2
	done
	[ -n "$url" ] || { echo "$store: the server did not start" >&2; return 1; }
	echo "== $store: bench/load on $url"
	# shellcheck disable=SC2086 # the extra flags are meant to split
	MAMORI_LOAD_PASSWORD=${MAMORI_BENCH_PASSWORD:-mamori-demo-2026} \
		"$work/load" -url "$url" -user demo ${MAMORI_BENCH_LOAD_FLAGS:-} || status=$?
	kill "$server"
	wait "$server" 2>/dev/null || true
	server=""
	# The audit report page and its largest list, in-process: page size and
	# latency percentiles (target: < 500 KB, p99 < 300 ms).
	echo "== $store: the audit report (BenchmarkReportPage)"
	go test ./internal/web -run '^$' -bench ReportPage -benchtime 300x -bench-db "$dsn" -timeout 30m |
		grep -E '^(first|largest)|report_bench_test' || status=$?
	return "$status"
}

for store in "${stores[@]}"; do
	case $store in
	sqlite)
		if [ -n "$reuse" ] && [[ $reuse != postgres* ]]; then
			bench "$reuse" 0
		else
			bench "$work/national.db" 1
			printf '%-10s database file: %s\n' sqlite "$(du -h "$work/national.db" | cut -f1)"
			if [ "$keep" = 1 ]; then echo "reuse with MAMORI_BENCH_DB=$work/national.db"; fi
		fi
		;;
	postgres)
		if [[ $reuse == postgres* ]]; then
			bench "$reuse" 0
		else
			base=${MAMORI_BENCH_POSTGRES:-postgres://root@127.0.0.1:5432/test?sslmode=disable}
			# Its own schema, so the tests sharing this database never see
			# (or clear) the national set.
			schema="bench_web_$$"
			psql "$base" -qc "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" >/dev/null
			schemas+=("$base::$schema")
			sep='?'
			[[ $base == *\?* ]] && sep='&'
			bench "${base}${sep}search_path=${schema}" 1
			if [ "$keep" = 1 ]; then echo "reuse with MAMORI_BENCH_DB='${base}${sep}search_path=${schema}'"; fi
		fi
		;;
	*)
		echo "unknown store $store (sqlite or postgres)" >&2
		exit 2
		;;
	esac
done
