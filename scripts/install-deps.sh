#!/usr/bin/env bash
# Installs what mamori's build and tests need from Debian's packages, once, on
# a fresh Debian 12 machine (run as root). Go itself comes from go.dev or the
# distribution and Go modules from the module proxy via go.mod. Idempotent:
# packages already present are left alone. The browser tests' Node package
# (playwright-core, pinned in e2e/package-lock.json) is installed first, as
# whoever runs this: it needs no root.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d e2e/node_modules ]; then
	if command -v npm >/dev/null 2>&1; then
		echo "install-deps: npm ci in e2e/"
		(cd e2e && npm ci --no-audit --no-fund)
	else
		echo "install-deps: no npm: install Node.js 20 or later for the browser tests (scripts/e2e.sh)" >&2
	fi
fi

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

if [ ${#need[@]} -eq 0 ]; then
	echo "install-deps: nothing to install"
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
