#!/usr/bin/env bash
# Installs what mamori's build and tests need from Debian's packages, once, on
# a fresh Debian 12 machine (run as root). Go itself comes from go.dev or the
# distribution and Go modules from the module proxy via go.mod. Idempotent:
# packages already present are left alone.
set -euo pipefail

need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
command -v psql >/dev/null 2>&1 || need+=(postgresql-client)
[ -x /usr/bin/time ] || need+=(time)
command -v git >/dev/null 2>&1 || need+=(git)
# The race detector needs cgo, and cgo a C compiler.
command -v gcc >/dev/null 2>&1 || need+=(gcc libc6-dev)

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
