#!/usr/bin/env bash
# `npm test`: the whole suite from a fresh clone. Does its own set-up (dependencies, build, Kafka jars,
# Temporal binaries, reference-tool venv), then static checks, unit tests, and the integration suites
# against a real Kafka and Temporal started on test ports. Every step runs even if an earlier one failed,
# so one run reports everything; the exit code is non-zero if anything failed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 2
results="$root/.data/test-results"
mkdir -p "$results"
rm -f "$results"/*.json
started=$SECONDS
failed_steps=()

step() {
  local name="$1"
  shift
  printf '\n== %s\n' "$name"
  local t=$SECONDS
  if "$@"; then
    printf '== %s: ok (%ss)\n' "$name" $((SECONDS - t))
  else
    printf '== %s: FAILED (%ss)\n' "$name" $((SECONDS - t))
    failed_steps+=("$name")
  fi
}

step "set-up" bash tools/setup.sh || true
if ((${#failed_steps[@]} > 0)); then
  echo "set-up failed; nothing else can run" >&2
  exit 1
fi
step "reference tools venv" bash tools/python/ensure-venv.sh reference
step "JSON Schemas in sync" node tools/generate-json-schemas.js --check
# The module-boundary rule reads Nx's project graph; without a computed one it silently skips itself.
step "project graph" npx nx show projects
step "lint" npx eslint --max-warnings 0 .
step "formatting (prettier)" npx prettier --check --log-level warn .
step "typecheck" npx tsc -p tsconfig.json
step "unit tests" npx jest --config jest.config.js --ci --json --outputFile="$results/unit.json"
step "integration tests (real Kafka + Temporal)" npx jest --config test/jest.config.js --ci --runInBand --json --outputFile="$results/integration.json"

node -e '
const fs = require("fs");
let passed = 0, failed = 0, skipped = 0;
for (const f of process.argv.slice(1)) {
  if (!fs.existsSync(f)) continue;
  const r = JSON.parse(fs.readFileSync(f, "utf8"));
  passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests || 0);
}
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$results/unit.json" "$results/integration.json"
printf 'total time %ss\n' $((SECONDS - started))
if ((${#failed_steps[@]} > 0)); then
  printf 'FAILED steps: %s\n' "${failed_steps[*]}"
  exit 1
fi
echo "all steps passed"
