#!/usr/bin/env bash
# Runs a real single-node Apache Kafka (KRaft, broker+controller) from the
# jars that setup.sh fetched, with no Docker. It exists so developers and the
# test harness start the same broker the same way, each in its own data dir on
# its own ports (see lib.sh for the environment).
#
# Usage: infra/local/kafka.sh start|stop|status|tool <class> [args...]
#   start   format storage on first use, start in the background, return when
#           the broker answers ApiVersions (no-op if already running)
#   stop    SIGTERM the broker this data dir started, SIGKILL after a deadline
#   status  exit 0 only if our broker is running and answering
#   tool    run a Kafka CLI class from the jars, e.g.
#           kafka.sh tool org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:9092 --list
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

LOG_PREFIX=kafka
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_port KAFKA_PORT "${KAFKA_PORT}"
require_port KAFKA_CONTROLLER_PORT "${KAFKA_CONTROLLER_PORT}"

KAFKA_LOG_DIRS="${KAFKA_DIR}/log-dirs"
KAFKA_SERVER_LOG="${KAFKA_DIR}/server.log"
KAFKA_CLUSTER_ID_FILE="${KAFKA_DIR}/cluster.id"
KAFKA_TEMPLATE="${LOCAL_INFRA_DIR}/kafka/server.properties.template"
KAFKA_LOG4J="${LOCAL_INFRA_DIR}/kafka/log4j2.properties"
BOOTSTRAP="127.0.0.1:${KAFKA_PORT}"
PID_MARKER="${KAFKA_PROPS}"
# Short-lived CLI JVMs: small heap, fast start. No log4j config on purpose:
# log4j2's built-in default prints only errors.
TOOL_JVM_OPTS=(-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1)

require_libs() {
  require_cmd java "Install a Java 17+ runtime."
  compgen -G "${KAFKA_LIBS_DIR}/kafka_2.13-*.jar" >/dev/null ||
    die "no Kafka jars in ${KAFKA_LIBS_DIR}; run infra/local/setup.sh first"
}

run_tool() {
  java "${TOOL_JVM_OPTS[@]}" -cp "${KAFKA_LIBS_DIR}/*" "$@"
}

# A real broker answer: ApiVersions from the PLAINTEXT listener. The broker
# only serves it once it has caught up with the metadata log and is unfenced.
probe_ready() {
  local limit_s="${1:-30}"
  port_open "${KAFKA_PORT}" || return 1
  timeout "${limit_s}" java "${TOOL_JVM_OPTS[@]}" -cp "${KAFKA_LIBS_DIR}/*" \
    org.apache.kafka.tools.BrokerApiVersionsCommand --bootstrap-server "${BOOTSTRAP}" \
    >"${KAFKA_DIR}/probe.out" 2>&1
}

render_properties() {
  mkdir -p "${KAFKA_LOG_DIRS}"
  sed -e "s|@KAFKA_PORT@|${KAFKA_PORT}|g" \
    -e "s|@KAFKA_CONTROLLER_PORT@|${KAFKA_CONTROLLER_PORT}|g" \
    -e "s|@KAFKA_LOG_DIRS@|${KAFKA_LOG_DIRS}|g" \
    "${KAFKA_TEMPLATE}" >"${KAFKA_PROPS}.tmp"
  mv "${KAFKA_PROPS}.tmp" "${KAFKA_PROPS}"
}

meta_cluster_id() {
  local meta="${KAFKA_LOG_DIRS}/meta.properties"
  [[ -f "${meta}" ]] && sed -n 's/^cluster\.id=//p' "${meta}"
  return 0
}

# KRaft refuses to start on unformatted storage. The cluster id is generated
# once per data dir and kept beside the log dirs.
format_storage_once() {
  local cluster_id formatted_id
  formatted_id="$(meta_cluster_id)"
  if [[ -f "${KAFKA_CLUSTER_ID_FILE}" ]]; then
    cluster_id="$(cat "${KAFKA_CLUSTER_ID_FILE}")"
  elif [[ -n "${formatted_id}" ]]; then
    cluster_id="${formatted_id}"
    printf '%s\n' "${cluster_id}" >"${KAFKA_CLUSTER_ID_FILE}"
  else
    cluster_id="$(run_tool kafka.tools.StorageTool random-uuid)"
    printf '%s\n' "${cluster_id}" >"${KAFKA_CLUSTER_ID_FILE}"
    log "generated cluster id ${cluster_id}"
  fi
  if [[ -n "${formatted_id}" ]]; then
    [[ "${formatted_id}" == "${cluster_id}" ]] ||
      die "cluster id mismatch: ${KAFKA_CLUSTER_ID_FILE} says ${cluster_id}," \
        "${KAFKA_LOG_DIRS}/meta.properties says ${formatted_id}." \
        "Delete the whole ${KAFKA_DIR} to start over (this drops all topics)."
    return 0
  fi
  log "formatting KRaft storage in ${KAFKA_LOG_DIRS}"
  run_tool kafka.tools.StorageTool format -t "${cluster_id}" -c "${KAFKA_PROPS}" \
    --ignore-formatted >"${KAFKA_DIR}/format.out" 2>&1 || {
    cat "${KAFKA_DIR}/format.out" >&2
    die "formatting KRaft storage failed"
  }
}

wait_ready() {
  local pid="$1" deadline=$((SECONDS + MLSECOPS_READY_TIMEOUT_S))
  rm -f "${KAFKA_DIR}/probe.out"
  while ((SECONDS < deadline)); do
    if ! pid_is_ours "${pid}" "${PID_MARKER}"; then
      rm -f "${KAFKA_PIDFILE}"
      print_log_tail "${KAFKA_STDOUT_LOG}" 40
      die "broker (pid ${pid}) exited during start-up"
    fi
    if probe_ready "$(probe_limit "${deadline}")"; then
      return 0
    fi
    sleep 0.5
  done
  print_log_tail "${KAFKA_STDOUT_LOG}" 40
  [[ -f "${KAFKA_DIR}/probe.out" ]] && tail -n 5 "${KAFKA_DIR}/probe.out" >&2
  die "broker (pid ${pid}) did not answer on ${BOOTSTRAP} within ${MLSECOPS_READY_TIMEOUT_S}s" \
    "(raise MLSECOPS_READY_TIMEOUT_S, or '$0 stop' and check the log)"
}

print_locations() {
  log "logs: ${KAFKA_STDOUT_LOG} (this run), ${KAFKA_SERVER_LOG} (rolling)"
}

cmd_start() {
  require_libs
  mkdir -p "${KAFKA_DIR}"
  take_lock "${KAFKA_DIR}/.lock"
  local pid started="${SECONDS}"
  pid="$(read_live_pid "${KAFKA_PIDFILE}" "${PID_MARKER}")"
  if [[ -n "${pid}" ]]; then
    if probe_ready; then
      log "already running (pid ${pid}) on ${BOOTSTRAP}"
      print_locations
      return 0
    fi
    log "pid ${pid} is running but not answering yet; waiting"
    wait_ready "${pid}"
    log "ready on ${BOOTSTRAP} (pid ${pid})"
    return 0
  fi
  local port
  for port in "${KAFKA_PORT}" "${KAFKA_CONTROLLER_PORT}"; do
    if port_open "${port}"; then
      die "port ${port} on 127.0.0.1 is in use by another process" \
        "(find it with: ss -ltnp 'sport = :${port}'); set KAFKA_PORT/KAFKA_CONTROLLER_PORT"
    fi
  done
  render_properties
  format_storage_once
  log "starting broker on ${BOOTSTRAP} (controller 127.0.0.1:${KAFKA_CONTROLLER_PORT}, data ${KAFKA_DIR})"
  # setsid: the broker outlives this script and ignores Ctrl-C in the caller's
  # terminal; only stop (or stack.sh's trap) ends it. 9>&-: it must not
  # inherit the start/stop lock.
  # shellcheck disable=SC2086 # KAFKA_HEAP_OPTS is a list of JVM flags
  setsid java ${KAFKA_HEAP_OPTS} -XX:+UseG1GC -Djava.awt.headless=true \
    "-Dlog4j2.configurationFile=${KAFKA_LOG4J}" \
    "-Dkafka.logs.dir=${KAFKA_DIR}" \
    -cp "${KAFKA_LIBS_DIR}/*" kafka.Kafka "${KAFKA_PROPS}" \
    >"${KAFKA_STDOUT_LOG}" 2>&1 </dev/null 9>&- &
  pid=$!
  printf '%s\n' "${pid}" >"${KAFKA_PIDFILE}"
  if ! wait_exec "${pid}" "${PID_MARKER}"; then
    rm -f "${KAFKA_PIDFILE}"
    print_log_tail "${KAFKA_STDOUT_LOG}" 40
    die "broker failed to launch"
  fi
  wait_ready "${pid}"
  log "ready on ${BOOTSTRAP} (pid ${pid}) in $((SECONDS - started))s"
  print_locations
}

cmd_stop() {
  stop_server "${KAFKA_DIR}" "${KAFKA_PIDFILE}" "${PID_MARKER}"
}

cmd_status() {
  local pid
  pid="$(read_live_pid "${KAFKA_PIDFILE}" "${PID_MARKER}" 2>/dev/null)"
  if [[ -z "${pid}" ]]; then
    log "not running (data ${KAFKA_DIR})"
    return 1
  fi
  require_libs
  if probe_ready; then
    log "running (pid ${pid}) and ready on ${BOOTSTRAP}"
    print_locations
    return 0
  fi
  log "running (pid ${pid}) but not answering on ${BOOTSTRAP}"
  return 1
}

main() {
  case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    tool)
      shift
      [[ $# -ge 1 ]] || die "usage: $0 tool <main class> [args...]"
      require_libs
      run_tool "$@"
      ;;
    *) die "usage: $0 start|stop|status|tool <class> [args...]" ;;
  esac
}

main "$@"
