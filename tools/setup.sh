#!/usr/bin/env bash
# Brings a fresh clone (or a stale one) to "ready to run": npm dependencies from the lock file, a build
# of every project, the workflow bundle and the CLI bundle, and the local stack's cached jars and Temporal binary.
# Idempotent and quick the second time: each step checks a stamp first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { printf '[setup] %s\n' "$*"; }

# 20.19: require() of ES modules (the Parquet reader ships as ESM only); Temporal needs 20.3+.
command -v node >/dev/null || { echo "setup: Node.js 20.19+ is required" >&2; exit 2; }
node -e 'const [M,m]=process.versions.node.split(".").map(Number); process.exit(M>20||(M===20&&m>=19)?0:1)' ||
  { echo "setup: Node.js 20.19+ is required, found $(node --version)" >&2; exit 2; }

lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -d node_modules ] || [ "$(cat node_modules/.mlsecops-lock.sha256 2>/dev/null)" != "$lock_sum" ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.mlsecops-lock.sha256
fi

say "building (incremental)"
npx tsc -b tsconfig.build.json
node tools/bundle-workflows.js | sed 's/^/[setup] /'
node tools/bundle-cli.js | sed 's/^/[setup] /'

if [ "${MLSECOPS_SKIP_INFRA_SETUP:-0}" != "1" ]; then
  bash infra/local/setup.sh
fi
