#!/usr/bin/env bash
# One entry point for the whole local stack (Kafka + Temporal dev server), for
# developers (`foreground` while coding) and for the test harness (`up` with
# its own ports and data dir, then `down`). It exists so both go through the
# same setup and start logic (see lib.sh for the environment).
#
# Usage: infra/local/stack.sh up|down|status|foreground
#   up          setup (cached), start both servers, return once both are healthy
#   down        stop both servers (data is kept)
#   status      exit 0 only if both servers are running and healthy
#   foreground  up, then follow both logs; Ctrl-C / SIGTERM stops both
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

LOG_PREFIX=stack
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_SH="${LOCAL_INFRA_DIR}/kafka.sh"
TEMPORAL_SH="${LOCAL_INFRA_DIR}/temporal.sh"

cmd_up() {
  local started="${SECONDS}" kafka_rc=0 temporal_rc=0 kafka_job temporal_job
  "${LOCAL_INFRA_DIR}/setup.sh"
  # Both start in parallel: the broker's JVM dominates, Temporal rides along.
  "${KAFKA_SH}" start &
  kafka_job=$!
  "${TEMPORAL_SH}" start &
  temporal_job=$!
  wait "${kafka_job}" || kafka_rc=$?
  wait "${temporal_job}" || temporal_rc=$?
  if ((kafka_rc != 0 || temporal_rc != 0)); then
    die "stack not healthy (kafka rc=${kafka_rc}, temporal rc=${temporal_rc});" \
      "whatever did start is still running: '$0 down' stops it"
  fi
  log "up in $((SECONDS - started))s: kafka 127.0.0.1:${KAFKA_PORT}," \
    "temporal 127.0.0.1:${TEMPORAL_PORT} (namespace ${TEMPORAL_NAMESPACE}), data ${MLSECOPS_DATA_DIR}"
}

cmd_down() {
  local kafka_rc=0 temporal_rc=0 kafka_job temporal_job
  "${KAFKA_SH}" stop &
  kafka_job=$!
  "${TEMPORAL_SH}" stop &
  temporal_job=$!
  wait "${kafka_job}" || kafka_rc=$?
  wait "${temporal_job}" || temporal_rc=$?
  ((kafka_rc == 0 && temporal_rc == 0)) || die "stop failed (kafka rc=${kafka_rc}, temporal rc=${temporal_rc})"
  log "down (data kept in ${MLSECOPS_DATA_DIR})"
}

cmd_status() {
  local rc=0
  "${KAFKA_SH}" status || rc=1
  "${TEMPORAL_SH}" status || rc=1
  return "${rc}"
}

TAIL_PIDS=()

stop_tails() {
  local pid
  for pid in "${TAIL_PIDS[@]}"; do
    kill -TERM "${pid}" 2>/dev/null || true
  done
  TAIL_PIDS=()
}

follow_log() {
  local prefix="$1" file="$2"
  tail -n 20 -F "${file}" 2>/dev/null > >(sed -u "s/^/[${prefix}] /") &
  TAIL_PIDS+=("$!")
}

on_signal() {
  local code="$1"
  trap - INT TERM
  log "signal received; stopping the stack"
  stop_tails
  cmd_down
  exit "${code}"
}

server_alive() {
  local pidfile="$1" marker="$2" pid
  [[ -f "${pidfile}" ]] || return 1
  pid="$(cat "${pidfile}" 2>/dev/null || true)"
  pid_is_ours "${pid}" "${marker}"
}

cmd_foreground() {
  trap 'on_signal 130' INT
  trap 'on_signal 143' TERM
  cmd_up
  follow_log kafka "${KAFKA_STDOUT_LOG}"
  follow_log temporal "${TEMPORAL_LOG}"
  log "following logs; Ctrl-C stops both servers"
  while true; do
    if ! server_alive "${KAFKA_PIDFILE}" "${KAFKA_PROPS}"; then
      warn "kafka is no longer running; stopping the stack"
      break
    fi
    if ! server_alive "${TEMPORAL_PIDFILE}" "${TEMPORAL_DB}"; then
      warn "temporal is no longer running; stopping the stack"
      break
    fi
    # Backgrounded sleep + wait, so a signal is handled at once.
    sleep 1 &
    wait "$!" || true
  done
  trap - INT TERM
  stop_tails
  cmd_down
  exit 1
}

main() {
  case "${1:-}" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    foreground) cmd_foreground ;;
    *) die "usage: $0 up|down|status|foreground" ;;
  esac
}

main "$@"
