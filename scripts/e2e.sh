#!/usr/bin/env bash
# Browser tests of the web UI in the system's Chromium (e2e/*.test.mjs, run
# by Node's built-in test runner with playwright-core; no browser is
# downloaded). Builds mamori, generates the city-scale demo into a temporary
# database (the demo checks it, so the dashboard and the report have findings), serves
# it on a free local port, runs the tests against it and stops it. One
# screenshot per test step is left in e2e/artifacts/.
#
# Without Chromium (or Node) the tests are skipped, except in CI (CI=true),
# where that is a failure.
#
#   scripts/e2e.sh                         # every test file
#   scripts/e2e.sh e2e/02-register.test.mjs  # some of them
set -euo pipefail
cd "$(dirname "$0")/.."

chromium=${MAMORI_E2E_CHROMIUM:-/usr/bin/chromium}
missing=""
[ -x "$chromium" ] || missing="$chromium"
command -v node >/dev/null 2>&1 || missing="${missing:+$missing, }node"
if [ -n "$missing" ]; then
	if [ "${CI:-}" = "true" ]; then
		echo "e2e: CI needs $missing for the browser tests (scripts/install-deps.sh)" >&2
		exit 1
	fi
	echo "e2e: skipped: no $missing (scripts/install-deps.sh installs it)"
	exit 0
fi
# Debian 12 ships Node.js 18; playwright-core is pinned to the last release
# that supports it (e2e/package.json).
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then
	echo "e2e: Node.js 18 or newer is needed, this is $(node --version)" >&2
	exit 1
fi
if [ ! -d e2e/node_modules/playwright-core ] || [ ! -d e2e/node_modules/axe-core ]; then
	(cd e2e && npm ci --no-audit --no-fund)
fi

start=$(date +%s)
work=$(mktemp -d)
server=""
cleanup() {
	if [ -n "$server" ]; then
		kill "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/mamori" ./cmd/mamori
"$work/mamori" demo --no-serve --db "$work/demo.db" >"$work/demo.out"
cat "$work/demo.out"
password=$(sed -n 's/.*sign in with password "\([^"]*\)".*/\1/p' "$work/demo.out")
ministry=$(sed -n 's/.*ministry (viewer, \([^ ]*\) only).*/\1/p' "$work/demo.out")
if [ -z "$password" ] || [ -z "$ministry" ]; then
	echo "e2e: the demo did not print its accounts' password and ministry" >&2
	exit 1
fi
# The scope test picks an organization outside the ministry from the
# register itself.
"$work/mamori" export --db "$work/demo.db" --format csv --out "$work/export" >/dev/null

"$work/mamori" serve --db "$work/demo.db" --addr 127.0.0.1:0 >"$work/serve.log" 2>&1 &
server=$!
url=""
for _ in $(seq 1 100); do
	url=$(sed -n 's|.*serving \(http://[^ ]*/\).*|\1|p' "$work/serve.log" | head -1)
	[ -n "$url" ] && break
	kill -0 "$server" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$url" ]; then
	echo "e2e: mamori serve did not start:" >&2
	cat "$work/serve.log" >&2
	exit 1
fi
echo "e2e: serving $url"

mkdir -p e2e/artifacts
rm -f e2e/artifacts/*.png
mkdir -p "$work/state"
tests=("$@")
if [ ${#tests[@]} -eq 0 ]; then
	tests=(e2e/*.test.mjs)
fi
ready=$(date +%s)
status=0
# One file at a time, in order: they share the demo server and the
# administrator's second factor, whose codes are single-use. (A loop rather
# than --test-concurrency=1, which Node.js 18 does not know.)
export MAMORI_E2E_URL="$url" MAMORI_E2E_PASSWORD="$password" MAMORI_E2E_MINISTRY="$ministry" \
	MAMORI_E2E_EXPORT="$work/export" MAMORI_E2E_STATE="$work/state" MAMORI_E2E_CHROMIUM="$chromium" \
	MAMORI_E2E_DB="$work/demo.db" MAMORI_E2E_MAMORI="$work/mamori"
for t in "${tests[@]}"; do
	node --test --test-reporter=spec "$t" || status=$?
done
end=$(date +%s)

echo "e2e: screenshots in e2e/artifacts/:"
ls -1 e2e/artifacts/*.png 2>/dev/null | sed 's/^/  /' || echo "  (none)"
echo "e2e: $((ready - start)) s to build, generate and serve the demo, $((end - ready)) s of browser tests"
if [ "$status" -ne 0 ]; then
	echo "e2e: FAILED (server log follows)" >&2
	tail -50 "$work/serve.log" >&2
	exit "$status"
fi
echo "e2e: ok"
