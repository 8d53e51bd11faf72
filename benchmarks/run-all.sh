#!/usr/bin/env bash
# `npm run bench`: every side-by-side benchmark, one after another (they compete for the same 2 cores, so
# never in parallel). Each rewrites its own section of docs/benchmarks.md. Pass names to run a subset:
#   npm run bench -- drift model-scan
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash tools/setup.sh
names=("$@")
if ((${#names[@]} == 0)); then
  for dir in benchmarks/*/; do [ -f "$dir/run.sh" ] && names+=("$(basename "$dir")"); done
fi
for name in "${names[@]}"; do
  [ -f "benchmarks/$name/run.sh" ] || { echo "bench: no benchmarks/$name/run.sh" >&2; exit 2; }
  echo "== benchmark $name"
  bash "benchmarks/$name/run.sh"
done
