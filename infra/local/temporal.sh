#!/usr/bin/env bash
# Runs the real Temporal dev server (`temporal server start-dev`, from the CLI
# that setup.sh installed) with a sqlite file in the data dir, so workflow
# history survives restarts, and with the platform's custom search attributes
# registered. It exists so developers and the test harness start the same
# server the same way, each in its own data dir on its own ports (see lib.sh).
#
# Usage: infra/local/temporal.sh start|stop|status|cli [args...]
#   start   start in the background, return when the frontend reports SERVING
#           and every search attribute exists (no-op if already running)
#   stop    SIGTERM the server this data dir started, SIGKILL after a deadline
#   status  exit 0 only if our server is running and healthy
#   cli     run the pinned `temporal` CLI, e.g.
#           temporal.sh cli workflow list --address 127.0.0.1:7233
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

LOG_PREFIX=temporal
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_port TEMPORAL_PORT "${TEMPORAL_PORT}"
require_port TEMPORAL_HTTP_PORT "${TEMPORAL_HTTP_PORT}"
require_port TEMPORAL_UI_PORT "${TEMPORAL_UI_PORT}"

ADDRESS="127.0.0.1:${TEMPORAL_PORT}"
PID_MARKER="${TEMPORAL_DB}"

require_cli() {
  [[ -x "${TEMPORAL_BIN}" ]] ||
    die "no temporal CLI at ${TEMPORAL_BIN}; run infra/local/setup.sh first"
}

ui_enabled() { [[ "${TEMPORAL_UI}" != "0" ]]; }

probe_ready() {
  local limit_s="${1:-10}"
  port_open "${TEMPORAL_PORT}" || return 1
  timeout "${limit_s}" "${TEMPORAL_BIN}" operator cluster health --address "${ADDRESS}" \
    >"${TEMPORAL_DIR}/probe.out" 2>&1
}

# A restarted server on an existing sqlite file may already have them, and
# the flags passed at start are best effort; make sure each one exists.
ensure_search_attributes() {
  local existing name out
  existing="$(timeout 15 "${TEMPORAL_BIN}" operator search-attribute list \
    --address "${ADDRESS}" --namespace "${TEMPORAL_NAMESPACE}" 2>&1)" ||
    die "could not list search attributes of namespace ${TEMPORAL_NAMESPACE}: ${existing}"
  for name in "${TEMPORAL_SEARCH_ATTRIBUTES[@]}"; do
    if grep -qE "(^|[[:space:]])${name}([[:space:]]|$)" <<<"${existing}"; then
      continue
    fi
    log "creating search attribute ${name} (${TEMPORAL_SEARCH_ATTRIBUTE_TYPE})"
    if ! out="$(timeout 15 "${TEMPORAL_BIN}" operator search-attribute create \
      --address "${ADDRESS}" --namespace "${TEMPORAL_NAMESPACE}" \
      --name "${name}" --type "${TEMPORAL_SEARCH_ATTRIBUTE_TYPE}" 2>&1)"; then
      grep -qi 'already exists' <<<"${out}" ||
        die "could not create search attribute ${name}: ${out}"
    fi
  done
}

wait_ready() {
  local pid="$1" deadline=$((SECONDS + MLSECOPS_READY_TIMEOUT_S))
  rm -f "${TEMPORAL_DIR}/probe.out"
  while ((SECONDS < deadline)); do
    if ! pid_is_ours "${pid}" "${PID_MARKER}"; then
      rm -f "${TEMPORAL_PIDFILE}"
      print_log_tail "${TEMPORAL_LOG}" 40
      die "server (pid ${pid}) exited during start-up"
    fi
    if probe_ready "$(probe_limit "${deadline}")"; then
      ensure_search_attributes
      return 0
    fi
    sleep 0.5
  done
  print_log_tail "${TEMPORAL_LOG}" 40
  [[ -f "${TEMPORAL_DIR}/probe.out" ]] && tail -n 5 "${TEMPORAL_DIR}/probe.out" >&2
  die "server (pid ${pid}) not healthy on ${ADDRESS} within ${MLSECOPS_READY_TIMEOUT_S}s" \
    "(raise MLSECOPS_READY_TIMEOUT_S, or '$0 stop' and check the log)"
}

print_locations() {
  log "log: ${TEMPORAL_LOG}; db: ${TEMPORAL_DB}"
  if ui_enabled; then
    log "web UI: http://127.0.0.1:${TEMPORAL_UI_PORT}"
  fi
}

cmd_start() {
  require_cli
  mkdir -p "${TEMPORAL_DIR}"
  take_lock "${TEMPORAL_DIR}/.lock"
  local pid started="${SECONDS}"
  pid="$(read_live_pid "${TEMPORAL_PIDFILE}" "${PID_MARKER}")"
  if [[ -n "${pid}" ]]; then
    if probe_ready; then
      ensure_search_attributes
      log "already running (pid ${pid}) on ${ADDRESS}, namespace ${TEMPORAL_NAMESPACE}"
      print_locations
      return 0
    fi
    log "pid ${pid} is running but not healthy yet; waiting"
    wait_ready "${pid}"
    log "ready on ${ADDRESS} (pid ${pid})"
    return 0
  fi
  local port ports=("${TEMPORAL_PORT}" "${TEMPORAL_HTTP_PORT}")
  if ui_enabled; then ports+=("${TEMPORAL_UI_PORT}"); fi
  for port in "${ports[@]}"; do
    if port_open "${port}"; then
      die "port ${port} on 127.0.0.1 is in use by another process" \
        "(find it with: ss -ltnp 'sport = :${port}'); set TEMPORAL_PORT/TEMPORAL_HTTP_PORT/TEMPORAL_UI_PORT"
    fi
  done
  local args=(server start-dev
    --ip 127.0.0.1
    --port "${TEMPORAL_PORT}"
    --http-port "${TEMPORAL_HTTP_PORT}"
    --db-filename "${TEMPORAL_DB}"
    --namespace "${TEMPORAL_NAMESPACE}"
    --log-level warn)
  local name
  for name in "${TEMPORAL_SEARCH_ATTRIBUTES[@]}"; do
    args+=(--search-attribute "${name}=${TEMPORAL_SEARCH_ATTRIBUTE_TYPE}")
  done
  if ui_enabled; then
    # No internet here: the UI's newsfeed request could only fail.
    args+=(--ui-port "${TEMPORAL_UI_PORT}" --ui-disable-news-fetch)
  else
    args+=(--headless)
  fi
  log "starting dev server on ${ADDRESS} (namespace ${TEMPORAL_NAMESPACE}, data ${TEMPORAL_DIR})"
  # setsid: outlives this script, immune to Ctrl-C in the caller's terminal.
  # 9>&-: must not inherit the start/stop lock.
  setsid "${TEMPORAL_BIN}" "${args[@]}" >"${TEMPORAL_LOG}" 2>&1 </dev/null 9>&- &
  pid=$!
  printf '%s\n' "${pid}" >"${TEMPORAL_PIDFILE}"
  if ! wait_exec "${pid}" "${PID_MARKER}"; then
    rm -f "${TEMPORAL_PIDFILE}"
    print_log_tail "${TEMPORAL_LOG}" 40
    die "server failed to launch"
  fi
  wait_ready "${pid}"
  log "ready on ${ADDRESS} (pid ${pid}) in $((SECONDS - started))s"
  print_locations
}

cmd_stop() {
  stop_server "${TEMPORAL_DIR}" "${TEMPORAL_PIDFILE}" "${PID_MARKER}"
}

cmd_status() {
  local pid
  pid="$(read_live_pid "${TEMPORAL_PIDFILE}" "${PID_MARKER}" 2>/dev/null)"
  if [[ -z "${pid}" ]]; then
    log "not running (data ${TEMPORAL_DIR})"
    return 1
  fi
  require_cli
  if probe_ready; then
    log "running (pid ${pid}) and healthy on ${ADDRESS}, namespace ${TEMPORAL_NAMESPACE}"
    print_locations
    return 0
  fi
  log "running (pid ${pid}) but not healthy on ${ADDRESS}"
  return 1
}

main() {
  case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    cli)
      shift
      require_cli
      exec "${TEMPORAL_BIN}" "$@"
      ;;
    *) die "usage: $0 start|stop|status|cli [args...]" ;;
  esac
}

main "$@"
