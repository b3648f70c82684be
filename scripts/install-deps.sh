#!/usr/bin/env bash
# Installs what mamori's build and tests need, once, on a fresh Debian 12
# machine (run as root): Debian's packages, then the browser tests' npm
# packages (playwright-core, pinned in e2e/package-lock.json to a release that
# runs on Debian's Node.js 18, which downloads no browser; axe-core, the
# accessibility rules injected into the pages under test). Go itself comes from
# go.dev or the distribution and Go modules from the module proxy via go.mod.
# Idempotent: what is already present is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
command -v psql >/dev/null 2>&1 || need+=(postgresql-client)
[ -x /usr/bin/time ] || need+=(time)
command -v git >/dev/null 2>&1 || need+=(git)
# The race detector needs cgo, and cgo a C compiler.
command -v gcc >/dev/null 2>&1 || need+=(gcc libc6-dev)
# The browser tests drive Debian's Chromium; the CJK fonts let it draw the
# Japanese pages in their screenshots.
[ -x /usr/bin/chromium ] || need+=(chromium fonts-noto-cjk)
# The browser tests run on Node.js (18, as Debian ships it, or newer).
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)

npm_ci() {
	if [ ! -d e2e/node_modules/playwright-core ] || [ ! -d e2e/node_modules/axe-core ]; then
		echo "install-deps: npm ci in e2e/ (playwright-core, axe-core)"
		(cd e2e && npm ci --no-audit --no-fund)
	fi
}

if [ ${#need[@]} -eq 0 ]; then
	echo "install-deps: no Debian package to install"
	npm_ci
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: run as root to install: ${need[*]}" >&2
	exit 1
fi
echo "install-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}"
npm_ci
