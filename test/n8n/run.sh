#!/usr/bin/env bash
# npm run test:n8n — this package inside a real n8n 2.x (not n8n-core in jest):
# installs Node 24 and a pinned n8n into a cache folder outside the repo (once; reused after),
# Debian's redis-server and chromium when missing, then hands over to e2e.ts, which packs this
# package, installs it as a community package, runs every example, a queue-mode execution on a
# worker and the editor in Chromium. Exits non-zero on any mismatch.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$REPO"
# `npm run` passes this repo's npm settings on as npm_config_* variables, ignore-scripts=true among
# them: the installs below run outside the repo and need the node package's own install script
for name in $(compgen -e | grep -i '^npm_config_' || true); do unset "$name"; done

CACHE="${N8N_E2E_CACHE:-$HOME/.cache/n8n-veeva-e2e}"
N8N_VERSION=2.40.7
NODE_SPEC=node@24
mkdir -p "$CACHE"
started=$(date +%s)
say() { printf '[test:n8n] %s\n' "$*"; }

# 1. Node.js 24 (n8n 2.x refuses older) from the npm registry's "node" package
NODE_DIR="$CACHE/node24"
if [ ! -f "$NODE_DIR/.ready" ]; then
	say "installing $NODE_SPEC into $NODE_DIR (first run only)"
	mkdir -p "$NODE_DIR"
	echo '{"name":"n8n-e2e-node24","private":true}' > "$NODE_DIR/package.json"
	(cd "$NODE_DIR" && npm install --no-audit --no-fund "$NODE_SPEC" > "$CACHE/node24.log" 2>&1) || { tail -30 "$CACHE/node24.log"; exit 1; }
	"$NODE_DIR/node_modules/node/bin/node" --version > "$NODE_DIR/.ready"
fi
NODE24_BIN="$NODE_DIR/node_modules/node/bin"
say "Node.js $("$NODE24_BIN/node" --version) at $NODE24_BIN/node"

# 2. n8n, pinned. Its xlsx dependency is a tarball URL outside the npm registry: override it with the
# registry's xlsx. --ignore-scripts: a Kafka client's native build fails here; sqlite3 is rebuilt alone.
N8N_DIR="$CACHE/n8n"
if [ "$(cat "$N8N_DIR/.ready" 2>/dev/null)" != "$N8N_VERSION" ]; then
	say "installing n8n@$N8N_VERSION into $N8N_DIR (first run only; several minutes)"
	mkdir -p "$N8N_DIR"
	rm -f "$N8N_DIR/.ready"
	cat > "$N8N_DIR/package.json" <<-JSON
	{"name":"n8n-e2e","private":true,"overrides":{"xlsx":"npm:xlsx@0.18.5"},"dependencies":{"n8n":"$N8N_VERSION"}}
	JSON
	(
		export PATH="$NODE24_BIN:$PATH"
		cd "$N8N_DIR"
		npm install --no-audit --no-fund --ignore-scripts > "$CACHE/n8n.log" 2>&1
		npm rebuild sqlite3 >> "$CACHE/n8n.log" 2>&1
	) || { tail -40 "$CACHE/n8n.log"; exit 1; }
	echo "$N8N_VERSION" > "$N8N_DIR/.ready"
fi
say "n8n $(node -p "require('$N8N_DIR/node_modules/n8n/package.json').version") at $N8N_DIR"

# 3. Debian's redis-server (queue mode) and chromium (the editor), when missing
missing=()
command -v redis-server > /dev/null || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
	say "apt-get install ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q > "$CACHE/apt.log" 2>&1 && apt-get install -y -q "${missing[@]}" >> "$CACHE/apt.log" 2>&1 || { tail -30 "$CACHE/apt.log"; exit 1; }
fi

# 4. this repo's own dev dependencies (ts-node, playwright-core) when run outside .ci/run
[ -d node_modules/playwright-core ] && [ -d node_modules/ts-node ] || npm ci --no-audit --no-fund

prepared=$(date +%s)
say "toolchain ready in $((prepared - started)) s"

export N8N_E2E_CACHE="$CACHE" N8N_E2E_NODE24_BIN="$NODE24_BIN" N8N_E2E_N8N_DIR="$N8N_DIR" N8N_E2E_STARTED="$started"
exec node_modules/.bin/ts-node --transpile-only --prefer-ts-exts test/n8n/e2e.ts "$@"
