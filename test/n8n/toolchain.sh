#!/usr/bin/env bash
# The real-n8n toolchain, the one place that installs it, for the tests (npm run test:n8n,
# test/n8n/run.sh) and the benchmarks (npm run bench:n8n) alike: Node.js 24 and a pinned n8n in a
# cache folder outside the repo (once per version; reused after), Debian's redis-server and
# chromium when missing, and this repo's dev dependencies when run outside .ci/run.
#
#   bash test/n8n/toolchain.sh COMMAND [ARGS...]   installs what is missing for $N8N_VERSION (default
#                                                 below), then runs COMMAND with the paths exported:
#                                                 N8N_E2E_CACHE, N8N_E2E_NODE24_BIN, N8N_E2E_N8N_DIR,
#                                                 N8N_E2E_N8N_VERSION (test/n8n/toolchain.ts reads them)
#   source test/n8n/toolchain.sh                  the versions and toolchain_install, for run.sh
#
# Which n8n: N8N_VERSION=2.41.1 (default 2.40.7). Each version has its own install folder
# ($CACHE/n8n-<version>). Caps, so that a registry that stalls fails the run instead of hanging it:
# N8N_E2E_INSTALL_TIMEOUT (seconds, default 1200). The cache: N8N_E2E_CACHE (default
# ~/.cache/n8n-veeva-e2e).
set -euo pipefail

# The supported range's ends and the default (README "Compatibility"). The newest 2.x on the registry,
# 2.41.3, does not install (its @n8n/agents@0.26.2 is not on the registry): 2.41.1 is the newest that
# does. 1.123.81 is the last 1.x.
DEFAULT_VERSION=2.40.7
OLDEST_VERSION=1.123.81
NEWEST_VERSION=2.41.1
MATRIX_VERSIONS="$OLDEST_VERSION $DEFAULT_VERSION $NEWEST_VERSION"

TOOLCHAIN_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${N8N_E2E_CACHE:-$HOME/.cache/n8n-veeva-e2e}"
INSTALL_TIMEOUT="${N8N_E2E_INSTALL_TIMEOUT:-1200}"
# n8n 2.x requires Node.js >= 24; 1.123.x accepts >=20.19 <=24.x, so Node 24 serves every version
NODE_SPEC=node@24

# a caller may define its own say and toolchain_failed before sourcing (run.sh prints the closing
# line its CI reads); these are the defaults
declare -F say > /dev/null || say() { printf '[toolchain] %s\n' "$*"; }
declare -F toolchain_failed > /dev/null || toolchain_failed() {
	say "$1"
	exit 1
}

# Installs what is missing for n8n $1 and exports where it is (N8N_E2E_*); prints what it found.
toolchain_install() {
	local version="$1"
	mkdir -p "$CACHE"
	# `npm run` passes this repo's npm settings on as npm_config_* variables, ignore-scripts=true among
	# them: the installs below run outside the repo and need the node package's own install script
	local name
	for name in $(compgen -e | grep -i '^npm_config_' || true); do unset "$name"; done
	toolchain_node24
	toolchain_n8n "$version"
	toolchain_system
	# this repo's own dev dependencies (ts-node, playwright-core) when run outside .ci/run
	[ -d "$TOOLCHAIN_REPO/node_modules/playwright-core" ] && [ -d "$TOOLCHAIN_REPO/node_modules/ts-node" ] || (cd "$TOOLCHAIN_REPO" && npm ci --no-audit --no-fund)
	export N8N_E2E_CACHE="$CACHE" N8N_E2E_NODE24_BIN="$NODE24_BIN" N8N_E2E_N8N_DIR="$N8N_DIR" N8N_E2E_N8N_VERSION="$version"
}

# 1. Node.js 24 (n8n 2.x refuses older) from the npm registry's "node" package
toolchain_node24() {
	local dir="$CACHE/node24"
	if [ ! -f "$dir/.ready" ]; then
		say "installing $NODE_SPEC into $dir (first run only)"
		mkdir -p "$dir"
		echo '{"name":"n8n-e2e-node24","private":true}' > "$dir/package.json"
		(cd "$dir" && timeout "$INSTALL_TIMEOUT" npm install --no-audit --no-fund "$NODE_SPEC" > "$CACHE/node24.log" 2>&1) || {
			tail -30 "$CACHE/node24.log"
			toolchain_failed "installing $NODE_SPEC failed (log: $CACHE/node24.log)"
		}
		"$dir/node_modules/node/bin/node" --version > "$dir/.ready"
	fi
	NODE24_BIN="$dir/node_modules/node/bin"
	say "Node.js $("$NODE24_BIN/node" --version) at $NODE24_BIN/node"
}

# 2. n8n, pinned, in a folder per version. Its xlsx dependency is a tarball URL outside the npm
# registry: override it with the registry's xlsx. --ignore-scripts: a Kafka client's native build
# fails here; sqlite3 is rebuilt alone. The same recipe installs 1.123.x and 2.x.
toolchain_n8n() {
	local version="$1"
	N8N_DIR="$CACHE/n8n-$version"
	# a cache from before the per-version folders: the one install in $CACHE/n8n moves to its version's folder
	if [ ! -e "$N8N_DIR" ] && [ "$(cat "$CACHE/n8n/.ready" 2>/dev/null)" = "$version" ]; then
		mv "$CACHE/n8n" "$N8N_DIR"
	fi
	local log="$CACHE/n8n-$version.log"
	if [ "$(cat "$N8N_DIR/.ready" 2>/dev/null)" != "$version" ]; then
		say "installing n8n@$version into $N8N_DIR (first run of this version only; several minutes, at most $INSTALL_TIMEOUT s)"
		rm -rf "$N8N_DIR"
		mkdir -p "$N8N_DIR"
		cat > "$N8N_DIR/package.json" <<-JSON
		{"name":"n8n-e2e","private":true,"overrides":{"xlsx":"npm:xlsx@0.18.5"},"dependencies":{"n8n":"$version"}}
		JSON
		local installing
		installing=$(date +%s)
		(
			export PATH="$NODE24_BIN:$PATH"
			cd "$N8N_DIR"
			timeout "$INSTALL_TIMEOUT" npm install --no-audit --no-fund --ignore-scripts > "$log" 2>&1 || {
				code=$?
				[ "$code" = 124 ] && echo "npm install stopped after $INSTALL_TIMEOUT s (N8N_E2E_INSTALL_TIMEOUT)" >> "$log"
				exit "$code"
			}
			timeout 600 npm rebuild sqlite3 >> "$log" 2>&1
		) || {
			tail -40 "$log"
			rm -rf "$N8N_DIR"
			toolchain_failed "installing n8n@$version failed after $(($(date +%s) - installing)) s (log: $log)"
		}
		echo "$version" > "$N8N_DIR/.ready"
		say "n8n@$version installed in $(($(date +%s) - installing)) s"
	fi
	say "n8n $(node -p "require('$N8N_DIR/node_modules/n8n/package.json').version") at $N8N_DIR"
}

# 3. Debian's redis-server (queue mode) and chromium (the editor), when missing
toolchain_system() {
	local missing=()
	command -v redis-server > /dev/null || missing+=(redis-server)
	[ -x /usr/bin/chromium ] || missing+=(chromium)
	[ ${#missing[@]} -gt 0 ] || return 0
	say "apt-get install ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	{ timeout "$INSTALL_TIMEOUT" apt-get update -q > "$CACHE/apt.log" 2>&1 && timeout "$INSTALL_TIMEOUT" apt-get install -y -q "${missing[@]}" >> "$CACHE/apt.log" 2>&1; } || {
		tail -30 "$CACHE/apt.log"
		toolchain_failed "apt-get install ${missing[*]} failed (log: $CACHE/apt.log)"
	}
}

# run as a command (not sourced): install, then hand over to the command given
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	toolchain_install "${N8N_VERSION:-$DEFAULT_VERSION}"
	[ $# -eq 0 ] || exec "$@"
fi
