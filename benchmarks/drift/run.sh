#!/usr/bin/env bash
# Drift benchmark: `mlsecops drift` against Evidently's DataDriftPreset on the same CSV pair (default
# 1,000,000 rows x 20 mixed columns each), then profile-then-compare for a new window (the current file,
# and the same rows four times over, to show memory does not grow with the window), and rewrites the
# `## drift` section of docs/benchmarks.md. Needs a build (`npm run build`). Not run by `npm test`.
# Other engineers benchmark on the same machine: run it under `flock /tmp/mlsecops-bench.lock`.
# Usage: bash benchmarks/drift/run.sh [--rows N] [--repeat N] [--no-docs] [--reuse]
#   --repeat N: rounds, each running every command once, interleaved (default 3; the table shows medians)
#   --reuse: keep timings already measured
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rows=1000000
docs=1
reuse=0
repeat=3
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --no-docs) docs=0; shift ;;
    --reuse) reuse=1; shift ;;
    --repeat) repeat="$2"; shift 2 ;;
    *) echo "usage: run.sh [--rows N] [--repeat N] [--no-docs] [--reuse]" >&2; exit 2 ;;
  esac
done
cd "$root"
[ -f apps/cli/dist/main.js ] || { echo "drift bench: build first (npm run build)" >&2; exit 2; }
py="$(bash tools/python/ensure-venv.sh bench-drift)"
data="${MLSECOPS_CACHE_DIR:-$root/.cache}/bench-drift/$rows"
out="$data/results"
mkdir -p "$out"
# Rounds left by an earlier run with a larger --repeat would otherwise count in the medians.
[ "$reuse" = 1 ] || rm -f "$out"/*.time "$out"/*.out
if [ ! -f "$data/current.csv" ]; then
  echo "drift bench: generating $rows-row CSV pair in $data" >&2
  "$py" benchmarks/drift/generate.py "$data" "$rows"
fi
if [ ! -f "$data/window4x.csv" ]; then
  # A window four times as long: the current file's rows repeated, so the statistics stay comparable.
  { cat "$data/current.csv"; for _ in 1 2 3; do tail -n +2 "$data/current.csv"; done; } > "$data/window4x.csv.tmp"
  mv "$data/window4x.csv.tmp" "$data/window4x.csv"
fi
cli=(node apps/cli/bin/mlsecops.js)
timed() { # timed NAME CMD... : wall seconds and peak RSS (KiB) into $out/NAME.time, stdout into $out/NAME.out
  local name="$1"; shift
  if [ "$reuse" = 1 ] && [ -s "$out/$name.time" ] && [ -s "$out/$name.out" ]; then return 0; fi
  set +e
  /usr/bin/time -f '%e %M' -o "$out/$name.time" "$@" > "$out/$name.out"
  local rc=$?
  set -e
  # drift exits 1 when it finds dataset drift: that is a result, a crash leaves no JSON behind.
  if [ "$rc" -gt 1 ] || { [ "$rc" = 1 ] && ! head -c1 "$out/$name.out" | grep -q '{'; }; then
    echo "drift bench: $name failed ($rc)" >&2
    rm -f "$out/$name.time"
    exit 1
  fi
}
for round in $(seq 1 "$repeat"); do
  echo "drift bench: round $round/$repeat: mlsecops drift (exact, both CSVs)" >&2
  timed "ours.$round" "${cli[@]}" drift --reference "$data/reference.csv" --current "$data/current.csv" --format json
  echo "drift bench: round $round/$repeat: Evidently DataDriftPreset" >&2
  timed "evidently.$round" "$py" benchmarks/drift/evidently_drift.py "$data/reference.csv" "$data/current.csv"
  echo "drift bench: round $round/$repeat: profile the reference, then compare a window against the profile" >&2
  timed "profile.$round" "${cli[@]}" profile "$data/reference.csv" --output "$out/reference.profile.json"
  timed "window.$round" "${cli[@]}" drift --reference "$out/reference.profile.json" --current "$data/current.csv" --format json
  timed "window4x.$round" "${cli[@]}" drift --reference "$out/reference.profile.json" --current "$data/window4x.csv" --format json
done
for name in ours evidently profile window window4x; do cp "$out/$name.1.out" "$out/$name.out"; done
# Median wall time over the rounds, its range, and the largest peak RSS. GNU time writes "Command exited
# with non-zero status 1" first when drift is found: the numbers are on the last line.
stats() {
  "$py" - "$out" "$1" <<'PY'
import glob, statistics, sys
out, name = sys.argv[1], sys.argv[2]
rows = [open(p).read().strip().splitlines()[-1].split() for p in sorted(glob.glob(f"{out}/{name}.*.time"))]
secs = [float(r[0]) for r in rows]
print(f"{statistics.median(secs):.2f} {min(secs):.2f} {max(secs):.2f} {max(int(r[1]) for r in rows)}")
PY
}
read -r ours_s ours_min ours_max ours_kb < <(stats ours)
read -r ev_s ev_min ev_max ev_kb < <(stats evidently)
read -r prof_s prof_min prof_max prof_kb < <(stats profile)
read -r win_s win_min win_max win_kb < <(stats window)
read -r win4_s win4_min win4_max win4_kb < <(stats window4x)
ev_report="$("$py" -c 'import json,sys; s=json.load(open(sys.argv[1]))["seconds"]; print("round 1: %.1f s read_csv + %.1f s report" % (s["read_csv"], s["report"]))' "$out/evidently.out")"
table="$("$py" benchmarks/drift/compare.py "$out/ours.out" "$out/evidently.out")"
window_table="$("$py" benchmarks/drift/compare.py "$out/window.out" "$out/evidently.out" | tail -1)"
ratio="$("$py" -c 'import sys; print("%.1f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$ev_s" "$ours_s")"
window_ratio="$("$py" -c 'import sys; print("%.1f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$ev_s" "$win_s")"
profile_size="$(du -k "$out/reference.profile.json" | cut -f1)"
evv="$("$py" -c 'import evidently; print(evidently.__version__)')"
section="$(cat <<MD
## drift

\`mlsecops drift\` against Evidently ${evv:-0.7.23}'s \`DataDriftPreset\` on the same CSV pair, in one run
(\`bash benchmarks/drift/run.sh\`; data from \`benchmarks/drift/generate.py\`, seeded: $rows rows x 20
columns per file: 8 normal floats, 2 wide integers, 4 integers with 6 values, 3 strings with 8 values,
1 binary, 1 float with 5% missing, 1 log-normal; about half of them shifted in the current file).

Machine: $(nproc) vCPU ($(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)), $(free -g | awk '/^Mem:/{print $2}') GiB RAM,
Node $(node --version), Python $("$py" -c 'import platform; print(platform.python_version())'), pandas $("$py" -c 'import pandas; print(pandas.__version__)');
load average at the end of the run: $(cut -d' ' -f1-3 /proc/loadavg) (a shared machine: other jobs ran at the same time).

${repeat} interleaved rounds; wall time is the median (range in brackets), RSS the largest peak.

| run | wall time | peak RSS |
|---|---|---|
| mlsecops drift, both CSVs, exact (every value kept) | ${ours_s} s (${ours_min}-${ours_max}) | $((ours_kb / 1024)) MiB |
| Evidently DataDriftPreset incl. imports (${ev_report}) | ${ev_s} s (${ev_min}-${ev_max}) | $((ev_kb / 1024)) MiB |
| mlsecops profile of the reference (${profile_size} KiB profile, 10,000 values per numeric column) | ${prof_s} s (${prof_min}-${prof_max}) | $((prof_kb / 1024)) MiB |
| mlsecops drift, profile vs new window of $rows rows (bounded) | ${win_s} s (${win_min}-${win_max}) | $((win_kb / 1024)) MiB |
| mlsecops drift, profile vs a window 4x as long, $((rows * 4)) rows (bounded) | ${win4_s} s (${win4_min}-${win4_max}) | $((win4_kb / 1024)) MiB |

Speed-up over Evidently (median wall times, both reading the same CSVs): **${ratio}x** for the exact run,
**${window_ratio}x** for profile-then-compare (the reference profile made once beforehand).

Two modes (docs/adr/0308-exact-and-bounded-drift.md): **exact** compares two data files keeping every
value (8 bytes per numeric value, so memory grows with the rows; numbers equal scipy's and Evidently's);
**bounded** compares a window with a saved profile and streams the window into the same summary the
profile holds (at most 10,000 values per numeric column, 1,000 categories per column), so peak RSS is set
by the profile: $((win_kb / 1024)) MiB for $rows rows, $((win4_kb / 1024)) MiB for $((rows * 4)).

Per column, exact run against Evidently (ours: p-value for tests, statistic for distances):

${table}

Profile-then-compare (bounded: sampled reference and window, so statistics are estimates; see
docs/adr/0301-profile-value-cap.md): ${window_table}
MD
)"
printf '%s\n' "$section" > "$out/section.md"
if [ "$docs" = 1 ]; then
  "$py" - "$root/docs/benchmarks.md" "$out/section.md" <<'PY'
import re, sys
doc_path, section_path = sys.argv[1], sys.argv[2]
doc = open(doc_path).read()
section = open(section_path).read().rstrip() + "\n"
pattern = re.compile(r"^## drift\n.*?(?=^## |\Z)", re.S | re.M)
doc = pattern.sub(lambda _m: section + "\n", doc) if pattern.search(doc) else doc.rstrip() + "\n\n" + section
open(doc_path, "w").write(doc)
PY
  echo "drift bench: wrote the drift section of docs/benchmarks.md" >&2
fi
cat "$out/section.md"
