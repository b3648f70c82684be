#!/usr/bin/env bash
# Differential test of mamori's purl matcher against osv-scanner, offline,
# on the shipped SBOMs that hold Go modules and the shipped Go OSV records.
# See README.md. Nothing is written inside the repository: binaries, the
# offline DB, the scratch databases and the outputs go under $CACHE.
#
#   bench/osvdiff/run.sh [SBOM...]
#
# Environment: DATA (default: ../shared/data beside the repository root),
# MAMORI_REV (build that commit rather than the working tree),
# CACHE (default: ${XDG_CACHE_HOME:-$HOME/.cache}/mamori-bench),
# OSV_VERSION (default v2.5.0), RUNS (timed repetitions, default 5; the
# median is reported). Needs go, sqlite3, and the Go module proxy the first
# time (osv-scanner is built once into $CACHE/bin).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
DATA=${DATA:-$root/../shared/data}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mamori-bench}
OSV_VERSION=${OSV_VERSION:-v2.5.0}
RUNS=${RUNS:-5}
RECORDS=${RECORDS:-$DATA/osv-go}
work=$CACHE/osvdiff-$OSV_VERSION
bin=$CACHE/bin
rm -rf "$work/out"
mkdir -p "$work/out" "$bin"

if [ $# -gt 0 ]; then
	sboms=("$@")
else
	sboms=(
		"$DATA/vuln/sbom-guac/spdx-2.2/vault.spdx.json"
		"$DATA/vuln/sbom-guac/spdx-2.2/mongo.spdx.json"
		"$DATA/vuln/sbom-guac/spdx-2.2/redis.spdx.json"
		"$DATA/vuln/cyclonedx/sbom/proton-bridge-1.8.0.cdx.json"
	)
fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
spread() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "min %s, median %s, max %s (%d runs)", v[1], v[int((NR + 1) / 2)], v[NR], NR }'; }
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime; }

echo "# osvdiff $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -sm), $(nproc) cores, $(go version | cut -d' ' -f3), load average $(load)"

# 1. Build mamori and the comparison program (both fast). MAMORI_REV=REV
# builds that commit (exported with git archive under $CACHE) instead of
# the working tree, e.g. while the tree is being edited.
if [ -n "${MAMORI_REV:-}" ]; then
	rev=$(git -C "$root" rev-parse --short "$MAMORI_REV")
	src=$CACHE/mamori-src-$rev
	if [ ! -d "$src" ]; then
		mkdir -p "$src.tmp"
		git -C "$root" archive "$rev" | tar -x -C "$src.tmp"
		mv "$src.tmp" "$src"
	fi
	(cd "$src" && go build -o "$bin/mamori" ./cmd/mamori)
	mamori_version="$rev (exported commit)"
else
	(cd "$root" && go build -o "$bin/mamori" ./cmd/mamori)
	mamori_version="$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown) (working tree)"
fi
(cd "$here" && go build -o "$bin/osvdiff" .)
M=$bin/mamori

# 2. Build osv-scanner once (about 5 minutes and 80 MB the first time).
osv=$bin/osv-scanner-$OSV_VERSION
if [ ! -x "$osv" ]; then
	echo "building osv-scanner $OSV_VERSION into $bin (once)"
	t0=$(now)
	tmpbin=$(mktemp -d "$CACHE/gobin.XXXXXX")
	(cd "$CACHE" && GOTOOLCHAIN=local GOBIN=$tmpbin go install "github.com/google/osv-scanner/v2/cmd/osv-scanner@$OSV_VERSION")
	mv "$tmpbin/osv-scanner" "$osv"
	rmdir "$tmpbin"
	echo "built in $(elapsed "$t0" "$(now)") s, $(du -m "$osv" | cut -f1) MB"
fi
echo "osv-scanner: $("$osv" --version 2>&1 | head -1)"
echo "mamori: $mamori_version"

# 3. The offline DB: v2.5.0 reads
# $OSV_SCALIBR_LOCAL_DB_CACHE_DIRECTORY/osv-scalibr/<ecosystem>/all.zip.
# Only Go records exist here; the other ecosystems the SBOMs name (Debian,
# Ubuntu, Alpine) get an empty all.zip, because a missing database stops the
# offline scan (exit 127, "no offline version of the OSV database is
# available"): their packages match nothing on either side.
db=$work/db
"$bin/osvdiff" zip -src "$RECORDS" -out "$db/osv-scalibr/Go/all.zip"
for eco in Debian Ubuntu Alpine; do
	if [ ! -f "$db/osv-scalibr/$eco/all.zip" ]; then
		mkdir -p "$db/osv-scalibr/$eco"
		empty=$(mktemp -d)
		"$bin/osvdiff" zip -src "$empty" -out "$db/osv-scalibr/$eco/all.zip" >/dev/null
		rmdir "$empty"
	fi
done
export OSV_SCALIBR_LOCAL_DB_CACHE_DIRECTORY=$db
export OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY=$db # the name the docs give

# 4. mamori's data set: the small demo government, and one component in a
# system that has no other software, so the match and the report see only
# the SBOM.
tmpl=$work/demo.db
rm -f "$tmpl" "$tmpl-wal" "$tmpl-shm"
"$M" demo --scale small --seed 1 --no-serve --db "$tmpl" >/dev/null
read -r comp sys < <(sqlite3 -separator ' ' "$tmpl" "
	SELECT c.code, c.system_code FROM components c
	WHERE c.system_code NOT IN (SELECT system_code FROM components WHERE image_code IS NOT NULL)
	  AND c.system_code NOT IN (SELECT c2.system_code FROM components c2 JOIN component_software s ON s.component_code = c2.code)
	ORDER BY c.code LIMIT 1") || true
if [ -z "${comp:-}" ] || [ -z "${sys:-}" ]; then
	echo "no component in a system without software in the demo data set" >&2
	exit 1
fi
echo "mamori component $comp in system $sys (no other software in that system)"
echo "OSV records: $(ls "$RECORDS"/*.json | wc -l) from $RECORDS"
echo

# Each SBOM is compared twice: as shipped, and as a CycloneDX file of its
# golang purls alone whose component names are the full module paths taken
# from the purls ("<name>/purl"). osv-scanner reads an SPDX package's name
# from the purl's last segment only, so the second row is the one that
# compares the matchers rather than the SBOM readers.
inputs=()
for sbom in "${sboms[@]}"; do
	name=$(basename "$sbom" .json)
	name=${name%.spdx}
	name=${name%.cdx}
	mkdir -p "$work/out/$name/purl"
	"$bin/osvdiff" cdx -sbom "$sbom" -out "$work/out/$name/purl/$name.cdx.json"
	inputs+=("$name|$sbom" "$name/purl|$work/out/$name/purl/$name.cdx.json")
done

summary=$work/out/summary.tsv
: >"$summary"
for input in "${inputs[@]}"; do
	name=${input%%|*}
	sbom=${input#*|}
	o=$work/out/$name
	mkdir -p "$o"

	# osv-scanner, offline, on the SBOM; exit 1 means "vulnerabilities found".
	# --offline, not --offline-vulnerabilities alone: with only the latter,
	# v2.5.0 leaves the local matcher out (it requires an offline scan
	# environment) and reports "No issues found" for every SBOM.
	ts=()
	for _ in $(seq "$RUNS"); do
		t0=$(now)
		rc=0
		"$osv" scan source --offline --format json -L "$sbom" >"$o/osv-scanner.json" 2>"$o/osv-scanner.err" || rc=$?
		ts+=("$(elapsed "$t0" "$(now)")")
		if [ "$rc" -gt 1 ]; then
			echo "osv-scanner failed on $name (exit $rc):" >&2
			tail -5 "$o/osv-scanner.err" >&2
			break
		fi
	done
	t_osv=$(median "${ts[@]}")

	# mamori: a fresh copy of the demo, the OSV folder, the SBOM, a match.
	tv=()
	ti=()
	tm=()
	tim=()
	for _ in $(seq "$RUNS"); do
		# SQLite in WAL mode: a stale -wal beside a fresh copy would be
		# replayed into it.
		rm -f "$o/mamori.db" "$o/mamori.db-wal" "$o/mamori.db-shm"
		cp "$tmpl" "$o/mamori.db"
		t0=$(now)
		"$M" vuln import --db "$o/mamori.db" "$RECORDS" >"$o/vuln-import.log"
		t1=$(now)
		"$M" import --db "$o/mamori.db" --component "$comp" "$sbom" >"$o/import.log"
		t2=$(now)
		"$M" vuln match --db "$o/mamori.db" --system "$sys" >"$o/match.log"
		t3=$(now)
		tv+=("$(elapsed "$t0" "$t1")")
		ti+=("$(elapsed "$t1" "$t2")")
		tm+=("$(elapsed "$t2" "$t3")")
		tim+=("$(elapsed "$t1" "$t3")")
	done
	"$M" vuln report --db "$o/mamori.db" --system "$sys" --format json >"$o/mamori-report.json"

	"$bin/osvdiff" compare -label "$name" -sbom "$sbom" -records "$RECORDS" \
		-osv "$o/osv-scanner.json" -mamori "$o/mamori-report.json" \
		-t-osv "$t_osv" -t-vimport "$(median "${tv[@]}")" -t-import "$(median "${ti[@]}")" -t-match "$(median "${tm[@]}")" |
		tee "$o/compare.txt" | grep -v '^SUMMARY' || true
	grep '^SUMMARY' "$o/compare.txt" | cut -f2- >>"$summary"
	echo "spread: osv-scanner $(spread "${ts[@]}"); mamori import+match $(spread "${tim[@]}")"
	echo "mamori said: $(cat "$o/import.log") / $(cat "$o/match.log")"
	echo
done

echo "Summary: (package, version, advisory) triples; times: median of $RUNS runs, seconds"
{
	printf 'sbom\tgo purls\tosv-scanner\tmamori\tboth\tonly osv\tonly mamori\tmissed by both\treferee\tids osv/mamori/both\tt osv-scanner\tt mamori feed import\tt mamori sbom import\tt mamori match\tratio osv/(import+match)\n'
	cat "$summary"
} | column -t -s "$(printf '\t')"
echo "load average at the end: $(load)"
echo "outputs: $work/out"
