#!/usr/bin/env bash
# Model-scan benchmark: mlsecops scan vs picklescan, ModelScan and ModelAudit (pinned, bench-only venv),
# whole processes, on (a) a ~2,000-file corpus, (b) a ~300 MB opcode-dense pickle, (c) a >=1 GiB
# PyTorch-zip-shaped file. Results: .cache/bench-model-scan/results.json; see docs/benchmarks.md.
# Never run by npm test. Usage: benchmarks/model-scan/run.sh [--only a,b,c] [--tools mlsecops,...] [--repeat N]
# (MODEL_SCAN_DETECT=0 skips the per-file verdict comparison on the fixture corpus.)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${MLSECOPS_CACHE_DIR:-$root/.cache}/bench-model-scan"
python="$(bash "$root/tools/python/ensure-venv.sh" bench-model-scan)"
(cd "$root" && npx tsc -b tsconfig.build.json && node tools/bundle-cli.js)
if [ ! -f "$work/big_zip.pt" ]; then
  rm -rf "$work" && mkdir -p "$work"
  python3 "$root/benchmarks/model-scan/gen_workloads.py" "$work" --files 2000 --dense-mb 300 --zip-mb 1100
fi
python3 "$root/benchmarks/model-scan/bench.py" "$work" "$(dirname "$python")" "$work/results.json" "$@"
{
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "ram: $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "node: $(node --version)"
  echo "python: $("$python" --version 2>&1)"
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$work/machine.txt"
cat "$work/machine.txt"
if [ "${MODEL_SCAN_DETECT:-1}" = 1 ]; then
  rm -rf "$work/fixtures"
  python3 "$root/libs/model-scanner/fixtures/generate_fixtures.py" "$work/fixtures"
  python3 "$root/benchmarks/model-scan/detect.py" "$work/fixtures" "$(dirname "$python")" "$work/detect.json"
fi
python3 "$root/benchmarks/model-scan/report.py" "$work"
echo "delete the multi-GB inputs when done: rm -rf $work" >&2
