#!/usr/bin/env bash
# npm run test:n8n — this package inside a real n8n (not n8n-core in jest): the toolchain (Node 24,
# a pinned n8n, redis-server, chromium) from test/n8n/toolchain.sh, the one place that installs it
# for the tests and the benchmarks alike, then e2e.ts, which packs this package, installs it as a
# community package, runs every example, a queue-mode execution on a worker and the editor in
# Chromium. Exits non-zero on any mismatch.
#
# Which n8n:
#   N8N_VERSION=2.41.1 npm run test:n8n        one version (default: toolchain.sh's, 2.40.7)
#   N8N_VERSIONS="1.123.81 2.41.1" npm run test:n8n   several, one after another
#   npm run test:n8n:matrix                     the tested range: 1.123.81, 2.40.7, 2.41.1
#   npm run test:n8n -- --range-ends            its two ends only (CI, after the default run)
#   npm run test:n8n -- --only agent,oauth2     some stages only (e2e.ts: examples, agent, queue, editor, oauth2)
# Each version has its own install folder ($CACHE/n8n-<version>) and run folder
# ($CACHE/last-run-<version>); screenshots go to test/n8n/screenshots/<version>/.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$REPO"
say() { printf '[test:n8n] %s\n' "$*"; }
# a failure before e2e.ts still ends with the closing line CI reads
toolchain_failed() {
	say "$1"
	printf '\n0 passed, 1 failed\n'
	exit 1
}
# the versions (DEFAULT_VERSION, OLDEST_VERSION, NEWEST_VERSION, MATRIX_VERSIONS), CACHE and toolchain_install
source "$REPO/test/n8n/toolchain.sh"
VERSION_TIMEOUT="${N8N_E2E_VERSION_TIMEOUT:-1800}"
mkdir -p "$CACHE"

args=()
for arg in "$@"; do
	case "$arg" in
		--matrix) N8N_VERSIONS="$MATRIX_VERSIONS" ;;
		--range-ends) N8N_VERSIONS="$OLDEST_VERSION $NEWEST_VERSION" ;;
		# install what is missing and stop (as `bash test/n8n/toolchain.sh` with no command does)
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
started=$(date +%s)
toolchain_install "$N8N_VERSION"

prepared=$(date +%s)
say "toolchain ready in $((prepared - started)) s"
[ -z "${TOOLCHAIN_ONLY:-}" ] || exit 0

# toolchain_install exported N8N_E2E_CACHE, _NODE24_BIN, _N8N_DIR and _N8N_VERSION
export N8N_E2E_STARTED="$started" N8N_E2E_RUN_DIR="$CACHE/last-run-$N8N_VERSION"
export N8N_E2E_SCREENSHOTS="${N8N_E2E_SCREENSHOTS:-$REPO/test/n8n/screenshots/$N8N_VERSION}"
exec node_modules/.bin/ts-node --transpile-only --prefer-ts-exts test/n8n/e2e.ts ${args[@]+"${args[@]}"}
