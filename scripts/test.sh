#!/usr/bin/env bash
# mamori's test command: formatting, vet, the test suite on SQLite and on
# PostgreSQL (with the race detector where goroutines run), and a short run
# of every fuzzer. CI runs exactly this. Long benchmarks are not run here:
# see scripts/bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== gofmt"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
	echo "not gofmt-ed:" >&2
	echo "$unformatted" >&2
	exit 1
fi

echo "== go vet"
go vet ./...

echo "== PostgreSQL"
if [ -z "${MAMORI_TEST_POSTGRES:-}" ]; then
	if dsn=$(scripts/postgres.sh); then
		export MAMORI_TEST_POSTGRES="$dsn"
	elif [ "${CI:-}" = "true" ]; then
		echo "CI needs PostgreSQL; none could be started" >&2
		exit 1
	else
		echo "warning: no PostgreSQL; storage tests run on SQLite only" >&2
	fi
fi
echo "MAMORI_TEST_POSTGRES=${MAMORI_TEST_POSTGRES:-(unset)}"

echo "== go test (race detector on the packages that run goroutines)"
# The race detector finds races only where goroutines meet: the store (its
# locks and pools), the web server (concurrent requests, caches), the command
# line (serve), the checks (parallel evaluation) and the notifications (the
# outbox worker beside SMTP and webhook servers). Their tests drive the
# importers, reports and matcher from those goroutines too; the packages
# that start none run once, below, without its 5-10x slowdown. Of the web
# pages, the command line, the workflows and the API, whose other tests
# send one request or run one command at a time (thousands of them, which
# the race detector made last over ten minutes on two cores), only the
# tests that start goroutines run under it: simultaneous saves and actors,
# the dashboard's background refresh, serve and its jobs, notifications.
race=(./internal/store/... ./internal/check ./internal/notify)
# go test's own limit of ten minutes per package is not the budget (the whole
# run is timed); on a loaded machine the store's race pass neared it.
go test -race -count=1 -timeout 30m "${race[@]}"
go test -race -count=1 -timeout 30m -run 'Concurrent|Simultaneous|TwoAtOnce|RegisterEditor|Dashboard|Serve|Notif|Outbox' \
	./internal/web ./internal/app ./internal/api ./internal/workflow

echo "== go test (the other packages)"
# Every package the first command did not run whole, once.
mapfile -t others < <(go list ./... | grep -v -x -E 'mamori/internal/(store(/.*)?|check|notify)')
go test -count=1 -timeout 30m "${others[@]}"

echo "== bench/osvdiff (its comparison logic)"
(cd bench/osvdiff && go vet ./... && go test -count=1 ./...)

echo "== version order against the field's libraries (bench/versiondiff)"
# A module of its own (go.mod names go-deb-version, go-rpm-version, ... so
# that mamori does not depend on them); go test fetches them like the main
# module's. It compares every version of ../shared/data and of the
# repository's fixtures, pair by pair, in a few seconds.
if [ ! -d ../shared/data ]; then
	echo "../shared/data is absent: comparing the repository's fixtures only"
fi
(cd bench/versiondiff && go test -count=1 ./...)

echo "== fuzz (briefly)"
# Every fuzz run is bounded by a count of inputs (e.g. 2000x), never a
# duration: a time limit can expire in the middle of an input under load and
# be reported as a failure ("context deadline exceeded", golang/go#75804).
fuzz() { # package fuzzer count
	local log
	log=$(mktemp)
	local t=$3
	if [[ $t != *x ]]; then
		echo "fuzz $1 $2: give a count such as 2000x, not $t" >&2
		exit 1
	fi
	local corpus="$1/testdata/fuzz/$2" before after
	before=$({ ls "$corpus" 2>/dev/null || true; } | wc -l)
	if ! go test -run '^$' -fuzz "^$2\$" -fuzztime "$t" -fuzzminimizetime 50x "$1" >"$log" 2>&1; then
		cat "$log" >&2
		rm -f "$log"
		after=$({ ls "$corpus" 2>/dev/null || true; } | wc -l)
		# Say that an input was saved only when one was: a failure of
		# the fuzzing engine itself saves none.
		if [ "$after" -gt "$before" ]; then
			echo "fuzz $1 $2: FAILED (the failing input is saved under $corpus)" >&2
		else
			echo "fuzz $1 $2: FAILED (no failing input was saved: see the output above)" >&2
		fi
		exit 1
	fi
	rm -f "$log"
	echo "fuzz $1 $2: ok"
}
fuzz ./internal/wareki FuzzParseDate 10000x
fuzz ./internal/wareki FuzzParseFiscalYear 10000x
fuzz ./internal/wareki FuzzParseMonth 10000x
fuzz ./internal/yen FuzzParse 10000x
fuzz ./internal/register FuzzImportCSV 2000x
fuzz ./internal/register FuzzImportJSON 2000x
fuzz ./internal/register FuzzImportXLSX 1000x
fuzz . FuzzCheckIncidentTimeline 10000x
fuzz ./internal/ismaplist FuzzParse 2000x
fuzz ./internal/oscal FuzzDecodeCatalog 300x
fuzz ./internal/cpe FuzzParse 10000x
fuzz ./internal/cpe FuzzParseURI 10000x
fuzz ./internal/version FuzzGeneric 10000x
fuzz ./internal/version FuzzSchemes 10000x
fuzz ./internal/version FuzzPEP440 5000x
fuzz ./internal/version FuzzDebian 5000x
fuzz ./internal/vuln/nvd FuzzDecode 2000x
fuzz ./internal/vuln/kev FuzzDecode 2000x
fuzz ./internal/vuln/epss FuzzDecode 2000x
fuzz ./internal/vuln/osv FuzzDecodeRecord 2000x
fuzz ./internal/vuln/jvn FuzzDecode 1000x
fuzz ./internal/vuln/jvn FuzzParseVersionText 2000x
fuzz ./internal/sbom FuzzDecode 1000x
fuzz ./internal/auth FuzzDecodeHash 5000x
fuzz ./internal/store FuzzAuditHash 2000x
fuzz ./internal/audit FuzzVerifyEntries 2000x
fuzz ./internal/forum FuzzText 5000x

echo "== browser tests (Chromium)"
# Skipped without Chromium, except in CI, where scripts/e2e.sh fails then.
scripts/e2e.sh
echo "all tests passed"
