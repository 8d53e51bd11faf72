#!/usr/bin/env bash
# Event-spine benchmark: N events published to Kafka at a fixed rate, measured from publish to workflow
# start through the event router, next to the same N starts made directly with the Temporal client, in
# one run on one stack. Writes the `## event-spine` section of docs/benchmarks.md.
#
# Usage: benchmarks/event-spine/run.sh [--events N] [--rate R[,R...]] [--reuse] [--with-worker] [--setup]
#                                     [--no-docs]
#   --events N     starts per path and rate (default 2000)
#   --rate R,...   requests per second, one measured run per value (default 200)
#   --reuse        use the stack already running on these ports; do not start, stop or delete it
#                  (this run's workflows are terminated at the end instead)
#   --with-worker  keep the worker running (default: stopped, so only starts are measured)
#   --setup        go through tools/up.sh (npm ci when the lock changed, full build) instead of starting
#                  the built platform as is; without it the build must already exist (npm run build)
#   --no-docs      print the results only
#
# Its own stack by default, so it never disturbs a dev stack: KAFKA_PORT=39092 TEMPORAL_PORT=37233
# TEMPORAL_UI=0 MLSECOPS_DATA_DIR=.data/bench-spine (each overridable from the environment). That data dir
# is deleted at the end: the benchmark's thousands of workflows are throwaway.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

events=2000 rates=200 reuse=0 with_worker=0 setup=0 docs=1
while (($#)); do
  case "$1" in
    --events) events="${2:?--events needs a value}"; shift 2 ;;
    --rate | --rates) rates="${2:?--rate needs a value}"; shift 2 ;;
    --reuse) reuse=1; shift ;;
    --with-worker) with_worker=1; shift ;;
    --setup) setup=1; shift ;;
    --no-docs) docs=0; shift ;;
    -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$events" =~ ^[0-9]+$ ]] || { echo "run.sh: --events must be a number" >&2; exit 2; }
[[ "$rates" =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "run.sh: --rate must be numbers separated by commas" >&2; exit 2; }

export KAFKA_PORT="${KAFKA_PORT:-39092}" TEMPORAL_PORT="${TEMPORAL_PORT:-37233}" TEMPORAL_UI="${TEMPORAL_UI:-0}"
export MLSECOPS_DATA_DIR="${MLSECOPS_DATA_DIR:-.data/bench-spine}"
# shellcheck disable=SC2034 # read by lib.sh's log/warn/die
LOG_PREFIX=bench
# shellcheck source=../../infra/local/lib.sh
source "$root/infra/local/lib.sh"
# shellcheck source=../../tools/platform-env.sh
source "$root/tools/platform-env.sh"

if ((setup == 0)); then
  for f in apps/event-router/dist/main.js apps/worker/dist/main.js libs/messaging/dist/index.js libs/contracts/dist/index.js; do
    [[ -f "$root/$f" ]] || die "$f is missing: run 'npm run build' first (or pass --setup)"
  done
fi

results="$(mktemp -d)"
stack_started=0
# The data dir is removed only if it is a folder under the repo's .data/, never an arbitrary path.
data_dir_is_throwaway() { [[ "$MLSECOPS_DATA_DIR" == "$REPO_ROOT/.data/"?* ]]; }
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
  local rc=$?
  if ((stack_started)); then
    log "tearing down the benchmark stack"
    bash "$root/tools/down.sh" >/dev/null || warn "tools/down.sh failed; data dir kept: $MLSECOPS_DATA_DIR"
    if data_dir_is_throwaway && ! bash "$root/infra/local/stack.sh" status >/dev/null 2>&1; then
      rm -rf "$MLSECOPS_DATA_DIR"
    fi
  fi
  rm -rf "$results"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ((reuse)); then
  bash "$root/infra/local/stack.sh" status >/dev/null || die "--reuse: no healthy stack on kafka ${KAFKA_PORT} / temporal ${TEMPORAL_PORT}"
else
  stack_started=1
  # A fresh data dir for every run: earlier runs' workflows would slow visibility queries and starts.
  bash "$root/tools/down.sh" >/dev/null 2>&1 || true
  if data_dir_is_throwaway; then rm -rf "$MLSECOPS_DATA_DIR"; fi
  if ((setup)); then
    bash "$root/tools/up.sh"
  else
    bash "$root/infra/local/stack.sh" up
    bash "$root/tools/apps.sh" start
  fi
  if ((with_worker == 0)); then
    # Starts need no worker; without one, workflow execution does not compete for the CPU.
    pid="$(cat "$APPS_DIR/worker.pid")"
    log "stopping the worker (pid $pid): measuring workflow starts only"
    kill -TERM "$pid"
    deadline=$((SECONDS + MLSECOPS_STOP_TIMEOUT_S))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    rm -f "$APPS_DIR/worker.pid"
  fi
fi
worker_state=stopped
if [[ -f "$APPS_DIR/worker.pid" ]] && kill -0 "$(cat "$APPS_DIR/worker.pid")" 2>/dev/null; then worker_state=running; fi
# TEMPORAL_BIN comes from lib.sh.
# shellcheck disable=SC2153
temporal_version="$("$TEMPORAL_BIN" --version 2>/dev/null | head -n 1 || echo unknown)"

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
rc=0
bench_args=()
((reuse)) && bench_args+=(--terminate)
IFS=',' read -r -a rate_list <<<"$rates"
n=0
for rate in "${rate_list[@]}"; do
  n=$((n + 1))
  out="$results/run-$n-rate-$rate.json"
  log "measuring: $events events at $rate/s per path (worker $worker_state)"
  # Bounded in time even if a path stalls: twice the paced duration plus the settle deadlines.
  limit=$((events * 2 / rate + 2 * 300 + 120))
  timeout "$limit" node "$here/bench.js" --events "$events" --rate "$rate" --settle-s 300 \
    --out "$out" "${bench_args[@]}" || rc=$?
  if [[ -f "$out" ]]; then cat "$out"; fi
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

if ((docs)) && compgen -G "$results/run-*.json" >/dev/null; then
  node "$here/report.js" --doc "$root/docs/benchmarks.md" --worker "$worker_state" --temporal-version "$temporal_version" \
    --load-before "$load_before" --load-after "$load_after" "$results"/run-*.json
  log "wrote the event-spine section of docs/benchmarks.md"
fi
exit "$rc"
