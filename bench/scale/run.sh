#!/usr/bin/env bash
# Scale benchmark: mamori against osv-scanner on N generated Go SBOMs,
# offline, end to end, with the same OSV records. See README.md. Nothing is
# written inside the repository: binaries, the offline DB, the generated
# SBOMs, the scratch databases and the outputs go under $CACHE.
#
#   bench/scale/run.sh [N...]        default: 200 2000
#
# Environment: DATA (default: ../shared/data beside the repository root),
# CACHE (default: ${XDG_CACHE_HOME:-$HOME/.cache}/mamori-bench), MAMORI_REV
# (build that commit rather than the working tree), OSV_VERSION (v2.5.0),
# PER (Go modules per SBOM, 350), SEED (1), RUNS (mamori repetitions, 3;
# the median is reported), OSV_RUNS (osv-scanner repetitions, 1),
# OSV_CHUNK (SBOMs per osv-scanner process, 1: one process per SBOM),
# ONLY=mamori or ONLY=osv (run one tool; the comparison then uses the
# other's last outputs for that N, if any). Needs go, GNU time (/usr/bin/time) and, the first time, the Go
# module proxy (osv-scanner is built once into $CACHE/bin).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
DATA=${DATA:-$root/../shared/data}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mamori-bench}
OSV_VERSION=${OSV_VERSION:-v2.5.0}
PER=${PER:-350}
SEED=${SEED:-1}
RUNS=${RUNS:-3}
OSV_RUNS=${OSV_RUNS:-1}
OSV_CHUNK=${OSV_CHUNK:-1}
ONLY=${ONLY:-}
RECORDS=$DATA/osv-go
work=$CACHE/scale
bin=$CACHE/bin
mkdir -p "$work" "$bin"
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(200 2000); fi
if [ ! -x /usr/bin/time ]; then
	echo "needs GNU time as /usr/bin/time (Debian package time)" >&2
	exit 1
fi

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
spread() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%s–%s", v[1], v[NR] }'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { r = a / b; printf (r < 1 ? "%.2f" : "%.1f"), r }'; }
# timed OUT CMD...: runs CMD, appends "wall_s max_rss_kib cpu_s" to OUT
# (cpu = user + system).
timed() {
	local out=$1
	shift
	local rc=0
	/usr/bin/time -o "$out.t" -f '%e %M %U %S' "$@" || rc=$?
	# GNU time writes "Command exited with non-zero status N" first.
	tail -1 "$out.t" | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' >>"$out"
	return "$rc"
}
sum_wall() { awk '{ s += $1 } END { printf "%.2f", s }' "$1"; }
max_rss() { awk '$2 > m { m = $2 } END { printf "%d", m }' "$1"; }
sum_cpu() { awk '{ s += $3 } END { printf "%.2f", s }' "$1"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

echo "# scale $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -sm), $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB, $(go version | cut -d' ' -f3), load average $(load)"

# 1. mamori (working tree, or MAMORI_REV exported with git archive), the
# generator/comparison program (bench/osvdiff) and, once, osv-scanner.
if [ -n "${MAMORI_REV:-}" ]; then
	rev=$(git -C "$root" rev-parse --short "$MAMORI_REV")
	src=$CACHE/mamori-src-$rev
	if [ ! -d "$src" ]; then
		mkdir -p "$src.tmp"
		git -C "$root" archive "$rev" | tar -x -C "$src.tmp"
		mv "$src.tmp" "$src"
	fi
	(cd "$src" && go build -o "$bin/mamori-scale" ./cmd/mamori)
	mamori_version="$rev (exported commit)"
else
	(cd "$root" && go build -o "$bin/mamori-scale" ./cmd/mamori)
	mamori_version="$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown) (working tree)"
fi
(cd "$root/bench/osvdiff" && go build -o "$bin/osvdiff" .)
M=$bin/mamori-scale
osv=$bin/osv-scanner-$OSV_VERSION
if [ ! -x "$osv" ]; then
	echo "building osv-scanner $OSV_VERSION into $bin (once, about 5 minutes)"
	tmpbin=$(mktemp -d "$CACHE/gobin.XXXXXX")
	(cd "$CACHE" && GOTOOLCHAIN=local GOBIN=$tmpbin go install "github.com/google/osv-scanner/v2/cmd/osv-scanner@$OSV_VERSION")
	mv "$tmpbin/osv-scanner" "$osv"
	rmdir "$tmpbin"
fi
echo "osv-scanner: $("$osv" --version 2>&1 | head -1); mamori: $mamori_version"
# A mamori without the batch form imports one SBOM per process.
# (Not "| grep -q": under pipefail, grep leaving early fails the test.)
batch=0
case $("$M" import --help 2>&1 || true) in *--sboms*) batch=1 ;; esac
echo "SBOM imports: $([ "$batch" = 1 ] && echo "one process, import --sboms" || echo "one process per SBOM, import --component")"

# 2. osv-scanner's offline database, as bench/osvdiff/run.sh builds it:
# $OSV_SCALIBR_LOCAL_DB_CACHE_DIRECTORY/osv-scalibr/<Ecosystem>/all.zip,
# with empty Debian, Ubuntu and Alpine databases (a missing one stops an
# offline scan).
db=$work/db
"$bin/osvdiff" zip -src "$RECORDS" -out "$db/osv-scalibr/Go/all.zip" >/dev/null
for eco in Debian Ubuntu Alpine; do
	if [ ! -f "$db/osv-scalibr/$eco/all.zip" ]; then
		empty=$(mktemp -d)
		"$bin/osvdiff" zip -src "$empty" -out "$db/osv-scalibr/$eco/all.zip" >/dev/null
		rmdir "$empty"
	fi
done
export OSV_SCALIBR_LOCAL_DB_CACHE_DIRECTORY=$db

# mamori_runs W: RUNS end-to-end runs on a fresh SQLite file each; writes
# W/mamori.result (one line per figure, one value per run).
mamori_runs() {
	local w=$1 mdb=$1/mamori.db r
	local totals=() rsss=() cpus=() imports=() matches=() reports=() rematches=()
	for r in $(seq "$RUNS"); do
		rm -f "$mdb" "$mdb-wal" "$mdb-shm"
		: >"$w/steps"
		: >"$w/imports"
		: >"$w/match"
		: >"$w/report"
		: >"$w/rematch"
		timed "$w/steps" "$M" import --db "$mdb" "$w/register.json" >"$w/register.log"
		timed "$w/steps" "$M" vuln import --db "$mdb" "$RECORDS" >"$w/feed.log"
		if [ "$batch" = 1 ]; then
			timed "$w/imports" "$M" import --db "$mdb" --sboms "$w/sboms" >"$w/import.log"
		else
			: >"$w/import.log"
			for f in "$w"/sboms/*.cdx.json; do
				timed "$w/imports" "$M" import --db "$mdb" --component "$(basename "$f" .cdx.json)" "$f" >>"$w/import.log"
			done
		fi
		printf '%s %s %s\n' "$(sum_wall "$w/imports")" "$(max_rss "$w/imports")" "$(sum_cpu "$w/imports")" >>"$w/steps"
		timed "$w/match" "$M" vuln match --db "$mdb" >"$w/match.log"
		cat "$w/match" >>"$w/steps"
		if [ "$r" = "$RUNS" ]; then
			# The report, for the comparison, once: at N=2000 it is 1.4 GB.
			timed "$w/report" "$M" vuln report --db "$mdb" --format json >"$w/mamori-report.json"
			reports+=("$(cut -d' ' -f1 "$w/report")")
		fi
		timed "$w/rematch" "$M" vuln match --db "$mdb" >"$w/rematch.log"
		totals+=("$(sum_wall "$w/steps")")
		rsss+=("$(max_rss "$w/steps")")
		cpus+=("$(sum_cpu "$w/steps")")
		imports+=("$(sum_wall "$w/imports")")
		matches+=("$(sum_wall "$w/match")")
		rematches+=("$(sum_wall "$w/rematch")")
		echo "mamori run $r: register, feed, SBOM imports, match (wall s, peak RSS KiB, CPU s):" $(tr '\n' ' ' <"$w/steps") "; re-match $(cat "$w/rematch")"
	done
	echo "mamori said: $(tail -1 "$w/import.log") / $(cat "$w/match.log") / re-match: $(cat "$w/rematch.log")"
	printf '%s\n' "${totals[*]}" "${rsss[*]}" "${imports[*]}" "${matches[*]}" "${rematches[*]}" \
		"${reports[*]}" "${cpus[*]}" >"$w/mamori.result"
	echo "mamori vuln report --format json (last run): $(cat "$w/report")"
}

# osv_runs W: OSV_RUNS runs of osv-scanner over W/sboms, OSV_CHUNK SBOMs
# (-L repeated) per process, one process after another; writes
# W/osv.result (times, then peak RSS).
osv_runs() {
	local w=$1 r i rc f
	local times=() rsss=() cpus=() files=() args=()
	mapfile -t files < <(ls "$w"/sboms/*.cdx.json)
	for r in $(seq "$OSV_RUNS"); do
		rm -rf "$w/osv"
		mkdir -p "$w/osv"
		: >"$w/osv.steps"
		for ((i = 0; i < ${#files[@]}; i += OSV_CHUNK)); do
			args=()
			for f in "${files[@]:i:OSV_CHUNK}"; do args+=(-L "$f"); done
			# Exit 1 means "vulnerabilities found".
			rc=0
			timed "$w/osv.steps" "$osv" scan source --offline --format json "${args[@]}" >"$w/osv/$i.json" 2>"$w/osv/$i.err" || rc=$?
			if [ "$rc" -gt 1 ]; then
				echo "osv-scanner failed (exit $rc):" >&2
				tail -5 "$w/osv/$i.err" >&2
				exit 1
			fi
		done
		times+=("$(sum_wall "$w/osv.steps")")
		rsss+=("$(max_rss "$w/osv.steps")")
		cpus+=("$(sum_cpu "$w/osv.steps")")
		echo "osv-scanner run $r: $(wc -l <"$w/osv.steps") processes of up to $OSV_CHUNK SBOMs, $(sum_wall "$w/osv.steps") s, peak RSS $(max_rss "$w/osv.steps") KiB, CPU $(sum_cpu "$w/osv.steps") s (load average $(load))"
	done
	printf '%s\n' "${times[*]}" "${rsss[*]}" "$OSV_CHUNK" "${cpus[*]}" >"$w/osv.result"
}

summary=()
for n in "${sizes[@]}"; do
	w=$work/n$n
	mkdir -p "$w"
	echo
	echo "## N=$n (load average $(load))"
	# 3. The inventory: register.json and sboms/<component>.cdx.json.
	"$bin/osvdiff" gen -records "$RECORDS" -n "$n" -per "$PER" -seed "$SEED" -out "$w" \
		"$DATA/vuln/sbom-guac/spdx-2.2/vault.spdx.json" "$DATA/vuln/sbom-guac/spdx-2.2/mongo.spdx.json" \
		"$DATA/vuln/sbom-guac/spdx-2.2/redis.spdx.json" "$DATA/vuln/cyclonedx/sbom/proton-bridge-1.8.0.cdx.json"
	comps=$(cat "$w"/sboms/*.json | grep -c '"purl"')

	# 4. mamori: the register, the OSV folder, the SBOMs, a match (end to
	# end); the JSON report and a second match with nothing changed (the
	# steady state) timed apart.
	if [ "$ONLY" != osv ]; then mamori_runs "$w"; fi
	# 5. osv-scanner.
	if [ "$ONLY" != mamori ]; then osv_runs "$w"; fi
	if [ ! -f "$w/mamori.result" ] || [ ! -f "$w/osv.result" ]; then
		summary+=("N=$n: no comparison (run both tools once)")
		continue
	fi

	# 6. The (SBOM, package, GO id) triples of both tools.
	set +e
	"$bin/osvdiff" triples -records "$RECORDS" -register "$w/register.json" -sboms "$w/sboms" \
		-osv "$w/osv" -mamori "$w/mamori-report.json" >"$w/triples.txt"
	set -e
	grep -v '^RESULT' "$w/triples.txt" || true
	res=$(grep '^RESULT' "$w/triples.txt" | cut -f2- | tr '\t' ' ')

	{
		read -r -a totals
		read -r -a rsss
		read -r -a imports
		read -r -a matches
		read -r -a rematches
		read -r -a reports
		read -r -a cpus
	} <"$w/mamori.result"
	{
		read -r -a otimes
		read -r -a orsss
		read -r chunk
		read -r -a ocpus
	} <"$w/osv.result"
	mt=$(median "${totals[@]}")
	mr=$(median "${rsss[@]}")
	ot=$(median "${otimes[@]}")
	ors=$(median "${orsss[@]}")
	mc=$(median "${cpus[@]}")
	oc=$(median "${ocpus[@]}")
	summary+=("N=$n, $comps components: mamori $mt s ($(spread "${totals[@]}"); SBOM imports $(median "${imports[@]}") s, match $(median "${matches[@]}") s; CPU $mc s), peak RSS $(mib "$mr") MiB; osv-scanner $ot s ($chunk SBOM(s) a process; CPU $oc s), peak RSS $(mib "$ors") MiB; osv-scanner/mamori: wall time $(ratio "$ot" "$mt")×, CPU time $(ratio "$oc" "$mc")×, peak memory $(ratio "$ors" "$mr")×; steady-state re-match $(median "${rematches[@]}") s ($(spread "${rematches[@]}")); JSON report $(median "${reports[@]}") s; $res")
done
echo
echo "Summary (medians; mamori of $RUNS runs, osv-scanner of $OSV_RUNS; load average now $(load)):"
printf '%s\n' "${summary[@]}"
