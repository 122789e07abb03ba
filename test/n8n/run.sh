#!/usr/bin/env bash
# npm run test:n8n — this package inside a real n8n (not n8n-core in jest):
# installs Node 24 and a pinned n8n into a cache folder outside the repo (once per version; reused
# after), Debian's redis-server and chromium when missing, then hands over to e2e.ts, which packs
# this package, installs it as a community package, runs every example, a queue-mode execution on a
# worker and the editor in Chromium. Exits non-zero on any mismatch.
#
# Which n8n:
#   N8N_VERSION=2.41.1 npm run test:n8n        one version (default: 2.40.7)
#   N8N_VERSIONS="1.123.81 2.41.1" npm run test:n8n   several, one after another
#   npm run test:n8n:matrix                     the tested range: 1.123.81, 2.40.7, 2.41.1
#   npm run test:n8n -- --range-ends            its two ends only (CI, after the default run)
# Each version has its own install folder ($CACHE/n8n-<version>) and run folder
# ($CACHE/last-run-<version>); screenshots go to test/n8n/screenshots/<version>/.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$REPO"
# `npm run` passes this repo's npm settings on as npm_config_* variables, ignore-scripts=true among
# them: the installs below run outside the repo and need the node package's own install script
for name in $(compgen -e | grep -i '^npm_config_' || true); do unset "$name"; done

# The supported range's ends and the default (README "Compatibility"). The newest 2.x on the registry,
# 2.41.3, does not install (its @n8n/agents@0.26.2 is not on the registry): 2.41.1 is the newest that
# does. 1.123.81 is the last 1.x.
DEFAULT_VERSION=2.40.7
OLDEST_VERSION=1.123.81
NEWEST_VERSION=2.41.1
MATRIX_VERSIONS="$OLDEST_VERSION $DEFAULT_VERSION $NEWEST_VERSION"

CACHE="${N8N_E2E_CACHE:-$HOME/.cache/n8n-veeva-e2e}"
# caps, so that a registry that stalls fails the run instead of hanging it (seconds)
INSTALL_TIMEOUT="${N8N_E2E_INSTALL_TIMEOUT:-1200}"
VERSION_TIMEOUT="${N8N_E2E_VERSION_TIMEOUT:-1800}"
mkdir -p "$CACHE"
say() { printf '[test:n8n] %s\n' "$*"; }

args=()
for arg in "$@"; do
	case "$arg" in
		--matrix) N8N_VERSIONS="$MATRIX_VERSIONS" ;;
		--range-ends) N8N_VERSIONS="$OLDEST_VERSION $NEWEST_VERSION" ;;
		# install what is missing and stop (npm run bench:n8n reuses the cached n8n this way)
		--toolchain-only) TOOLCHAIN_ONLY=1 ;;
		*) args+=("$arg") ;;
	esac
done

# ---- several versions: each one a run of this script of its own, then one line per version
if [ -n "${N8N_VERSIONS:-}" ]; then
	lines=()
	passed=0
	failed=0
	status=0
	for version in $N8N_VERSIONS; do
		log="$CACHE/test-n8n-$version.log"
		began=$(date +%s)
		say "===== n8n $version (log: $log; at most $VERSION_TIMEOUT s)"
		set +e
		# timeout signals its whole process group (n8n, redis, chromium started by the run) when it fires
		N8N_VERSIONS='' N8N_VERSION="$version" timeout --kill-after=30 "$VERSION_TIMEOUT" bash "$0" ${args[@]+"${args[@]}"} 2>&1 | tee "$log"
		code=${PIPESTATUS[0]}
		set -e
		took=$(($(date +%s) - began))
		closing=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1 || true)
		if [ -z "$closing" ]; then
			why="exit $code"
			[ "$code" = 124 ] && why="stopped after $VERSION_TIMEOUT s (N8N_E2E_VERSION_TIMEOUT)"
			closing="0 passed, 1 failed"
			lines+=("n8n $version: $closing (the run printed no closing line: $why; see $log) in $took s")
		else
			lines+=("n8n $version: $closing in $took s")
		fi
		[ "$code" = 0 ] || status=1
		passed=$((passed + $(echo "$closing" | cut -d' ' -f1)))
		failed=$((failed + $(echo "$closing" | cut -d' ' -f3)))
	done
	printf '\n===== n8n versions\n'
	printf '%s\n' "${lines[@]}"
	printf '\n%s passed, %s failed\n' "$passed" "$failed"
	exit "$status"
fi

# ---- one version
N8N_VERSION="${N8N_VERSION:-$DEFAULT_VERSION}"
# n8n 2.x requires Node.js >= 24; 1.123.x accepts >=20.19 <=24.x, so Node 24 serves every version
NODE_SPEC=node@24
started=$(date +%s)
# a failure before e2e.ts still ends with the closing line CI reads
toolchain_failed() {
	say "$1"
	printf '\n0 passed, 1 failed\n'
	exit 1
}

# 1. Node.js 24 (n8n 2.x refuses older) from the npm registry's "node" package
NODE_DIR="$CACHE/node24"
if [ ! -f "$NODE_DIR/.ready" ]; then
	say "installing $NODE_SPEC into $NODE_DIR (first run only)"
	mkdir -p "$NODE_DIR"
	echo '{"name":"n8n-e2e-node24","private":true}' > "$NODE_DIR/package.json"
	(cd "$NODE_DIR" && timeout "$INSTALL_TIMEOUT" npm install --no-audit --no-fund "$NODE_SPEC" > "$CACHE/node24.log" 2>&1) || {
		tail -30 "$CACHE/node24.log"
		toolchain_failed "installing $NODE_SPEC failed (log: $CACHE/node24.log)"
	}
	"$NODE_DIR/node_modules/node/bin/node" --version > "$NODE_DIR/.ready"
fi
NODE24_BIN="$NODE_DIR/node_modules/node/bin"
say "Node.js $("$NODE24_BIN/node" --version) at $NODE24_BIN/node"

# 2. n8n, pinned, in a folder per version. Its xlsx dependency is a tarball URL outside the npm
# registry: override it with the registry's xlsx. --ignore-scripts: a Kafka client's native build
# fails here; sqlite3 is rebuilt alone. The same recipe installs 1.123.x and 2.x.
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
# a cache from before the per-version folders: the one install in $CACHE/n8n moves to its version's folder
if [ ! -e "$N8N_DIR" ] && [ "$(cat "$CACHE/n8n/.ready" 2>/dev/null)" = "$N8N_VERSION" ]; then
	mv "$CACHE/n8n" "$N8N_DIR"
fi
INSTALL_LOG="$CACHE/n8n-$N8N_VERSION.log"
if [ "$(cat "$N8N_DIR/.ready" 2>/dev/null)" != "$N8N_VERSION" ]; then
	say "installing n8n@$N8N_VERSION into $N8N_DIR (first run of this version only; several minutes, at most $INSTALL_TIMEOUT s)"
	rm -rf "$N8N_DIR"
	mkdir -p "$N8N_DIR"
	cat > "$N8N_DIR/package.json" <<-JSON
	{"name":"n8n-e2e","private":true,"overrides":{"xlsx":"npm:xlsx@0.18.5"},"dependencies":{"n8n":"$N8N_VERSION"}}
	JSON
	installing=$(date +%s)
	(
		export PATH="$NODE24_BIN:$PATH"
		cd "$N8N_DIR"
		timeout "$INSTALL_TIMEOUT" npm install --no-audit --no-fund --ignore-scripts > "$INSTALL_LOG" 2>&1 || {
			code=$?
			[ "$code" = 124 ] && echo "npm install stopped after $INSTALL_TIMEOUT s (N8N_E2E_INSTALL_TIMEOUT)" >> "$INSTALL_LOG"
			exit "$code"
		}
		timeout 600 npm rebuild sqlite3 >> "$INSTALL_LOG" 2>&1
	) || {
		tail -40 "$INSTALL_LOG"
		rm -rf "$N8N_DIR"
		toolchain_failed "installing n8n@$N8N_VERSION failed after $(($(date +%s) - installing)) s (log: $INSTALL_LOG)"
	}
	echo "$N8N_VERSION" > "$N8N_DIR/.ready"
	say "n8n@$N8N_VERSION installed in $(($(date +%s) - installing)) s"
fi
say "n8n $(node -p "require('$N8N_DIR/node_modules/n8n/package.json').version") at $N8N_DIR"

# 3. Debian's redis-server (queue mode) and chromium (the editor), when missing
missing=()
command -v redis-server > /dev/null || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
	say "apt-get install ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	{ timeout "$INSTALL_TIMEOUT" apt-get update -q > "$CACHE/apt.log" 2>&1 && timeout "$INSTALL_TIMEOUT" apt-get install -y -q "${missing[@]}" >> "$CACHE/apt.log" 2>&1; } || {
		tail -30 "$CACHE/apt.log"
		toolchain_failed "apt-get install ${missing[*]} failed (log: $CACHE/apt.log)"
	}
fi

# 4. this repo's own dev dependencies (ts-node, playwright-core) when run outside .ci/run
[ -d node_modules/playwright-core ] && [ -d node_modules/ts-node ] || npm ci --no-audit --no-fund

prepared=$(date +%s)
say "toolchain ready in $((prepared - started)) s"
[ -z "${TOOLCHAIN_ONLY:-}" ] || exit 0

export N8N_E2E_CACHE="$CACHE" N8N_E2E_NODE24_BIN="$NODE24_BIN" N8N_E2E_N8N_DIR="$N8N_DIR" N8N_E2E_STARTED="$started"
export N8N_E2E_N8N_VERSION="$N8N_VERSION" N8N_E2E_RUN_DIR="$CACHE/last-run-$N8N_VERSION"
export N8N_E2E_SCREENSHOTS="${N8N_E2E_SCREENSHOTS:-$REPO/test/n8n/screenshots/$N8N_VERSION}"
exec node_modules/.bin/ts-node --transpile-only --prefer-ts-exts test/n8n/e2e.ts ${args[@]+"${args[@]}"}
