#!/usr/bin/env bash
# Model-signing benchmark: sign (and verify) the same model with ours (`mlsecops sign`, start-up
# included) and with the reference `model_signing` CLI in the same rounds, next to the native reference
# (`nproc`-parallel `openssl dgst -sha256` over the same files). Three models of the same total size:
# mixed (a dozen large files and a thousand small ones), one huge file, and many small files.
# Writes the `## model-signing` section of docs/benchmarks.md.
#
# Usage: benchmarks/model-signing/run.sh [--rounds N] [--gib G] [--only mixed|huge|small] [--no-docs]
#   --rounds N   measured rounds per tool and model (default 3; the tools alternate within a round,
#                each round starting with a different tool)
#   --gib G      total size of each model in GiB (default 4)
#   --no-docs    print the results only
# Needs the build (npm run build). Data lives under .cache/bench-model-signing and each model is deleted
# as soon as it has been measured. The page cache is warm (each model is read once before timing):
# the figures compare hashing and orchestration, not the disk.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

rounds=3 gib=4 only="" docs=1
while (($#)); do
  case "$1" in
    --rounds) rounds="${2:?}"; shift 2 ;;
    --gib) gib="${2:?}"; shift 2 ;;
    --only) only="${2:?}"; shift 2 ;;
    --no-docs) docs=0; shift ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

[[ -f apps/cli/dist/main.js && -f libs/model-signing/dist/index.js ]] || { echo "run.sh: run 'npm run build' first" >&2; exit 2; }
py="$(tools/python/ensure-venv.sh bench-model-signing)"
work="${MLSECOPS_CACHE_DIR:-$root/.cache}/bench-model-signing"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work/model"' EXIT
results="$work/results.tsv"
: > "$results"

openssl ecparam -name prime256v1 -genkey -noout -out "$work/key.pem" 2>/dev/null
openssl ec -in "$work/key.pem" -pubout -out "$work/key.pub" 2>/dev/null
cores="$(nproc)"
gib_bytes=$((gib * 1024 * 1024 * 1024))

# time_it MODEL OP TOOL CMD...: runs CMD (a shell function, exported) under /usr/bin/time and appends
# "model op tool wall-seconds cpu-seconds" to the results; CPU time (user+sys of all processes and
# threads) is the figure that survives a busy machine.
time_it() {
  local model="$1" op="$2" tool="$3"; shift 3
  /usr/bin/time -o "$work/time.txt" -f '%e %U %S' bash -c '"$@"' _ "$@" > "$work/last.log" 2>&1 ||
    { echo "run.sh: $tool $op failed on $model:" >&2; cat "$work/last.log" >&2; exit 1; }
  local wall cpu
  read -r wall user sys < <(tail -1 "$work/time.txt")
  cpu="$(echo "$user + $sys" | bc)"
  printf '%s\t%s\t%s\t%s\t%s\n' "$model" "$op" "$tool" "$wall" "$cpu" >> "$results"
  printf '  %-6s %-7s %-14s %6.2fs wall %6.2fs cpu\n' "$model" "$op" "$tool" "$wall" "$cpu" >&2
}

# The native reference: every file hashed by openssl, nproc processes at once; large files one per
# process, small ones 200 per process so process start-up does not dominate.
native() {
  local dir="$1"
  { find "$dir" -type f -size +8M; find "$dir" -type f -size -8193k | xargs -n 200 echo; } |
    xargs -P "$cores" -L 1 openssl dgst -sha256 > /dev/null
}
ours_sign() { node apps/cli/bin/mlsecops.js sign "$1" --private-key "$work/key.pem" --signature "$work/ours.sig"; }
engine_sign() { node "$here/engine.js" sign "$1" "$work/key.pem" "$work/engine.sig"; }
engine_verify() { node "$here/engine.js" verify "$1" "$work/key.pub" "$work/ref.sig"; }
ref_sign() { "$py" -m model_signing sign key --private_key "$work/key.pem" --signature "$work/ref.sig" "$1"; }
ours_verify() { node apps/cli/bin/mlsecops.js verify "$1" --public-key "$work/key.pub" --signature "$work/ref.sig"; }
ref_verify() { "$py" -m model_signing verify key --public_key "$work/key.pub" --signature "$work/ours.sig" "$1"; }
# time_it runs the tools in a child bash: it needs these.
export work py here cores
export -f native ours_sign ref_sign ours_verify ref_verify engine_sign engine_verify

bench_model() {
  local name="$1" large_count="$2" small_count="$3" small_bytes="$4"
  [[ -z "$only" || "$only" == "$name" ]] || return 0
  local dir="$work/model"
  rm -rf "$dir"
  local large_bytes=0
  if ((large_count > 0)); then large_bytes=$(((gib_bytes - small_count * small_bytes) / large_count)); fi
  echo "run.sh: generating $name model ($large_count x $large_bytes B + $small_count x $small_bytes B)" >&2
  python3 "$here/gen.py" "$dir" "$large_count" "$large_bytes" "$small_count" "$small_bytes"
  find "$dir" -type f -exec cat {} + > /dev/null # warm the page cache for every tool alike
  # Each round starts with a different tool, so no tool always runs first (or right after another).
  local signers=("ours ours_sign" "engine engine_sign" "model_signing ref_sign" "openssl native")
  local verifiers=("ours ours_verify" "engine engine_verify" "model_signing ref_verify")
  local r i tool fn
  for ((r = 0; r < rounds; r++)); do
    for ((i = 0; i < ${#signers[@]}; i++)); do
      read -r tool fn <<< "${signers[(i + r) % ${#signers[@]}]}"
      time_it "$name" sign "$tool" "$fn" "$dir"
    done
    # Cross-verification doubles as a correctness check: ours verifies theirs, theirs verifies ours.
    for ((i = 0; i < ${#verifiers[@]}; i++)); do
      read -r tool fn <<< "${verifiers[(i + r) % ${#verifiers[@]}]}"
      time_it "$name" verify "$tool" "$fn" "$dir"
    done
  done
  rm -rf "$dir"
}

bench_model mixed 12 1000 $((100 * 1024))
bench_model huge 1 0 0
bench_model small 0 16384 $((gib_bytes / 16384))

machine="$(node -e "
const os=require('os');
console.log(JSON.stringify({nproc: os.availableParallelism(), cpu: os.cpus()[0].model.trim(), ramGiB: Math.round(os.totalmem()/2**30), node: process.version}))")"
python_version="$("$py" -c 'import platform, importlib.metadata as m; print(platform.python_version(), "/ model-signing", m.version("model-signing"))')"
openssl_version="$(openssl version | cut -d' ' -f1-2)"
args=(--load "$(cut -d" " -f1-3 /proc/loadavg)" --results "$results" --machine "$machine" --python "$python_version" --openssl "$openssl_version" --gib "$gib" --rounds "$rounds")
if ((docs)); then
  node "$here/report.js" "${args[@]}" --doc docs/benchmarks.md
  echo "run.sh: wrote the model-signing section of docs/benchmarks.md" >&2
else
  node "$here/report.js" "${args[@]}"
fi
