#!/usr/bin/env bash
# Starts and stops the platform's own services (event router, worker) in the background, by pid, with
# logs in the data dir; `start` returns once each one reports it is serving (deadline, no fixed sleep).
# Usage: tools/apps.sh start|stop|status
set -euo pipefail
# shellcheck source=../infra/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../infra/local/lib.sh"
# shellcheck source=platform-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/platform-env.sh"

ready_line() {
  case "$1" in
    event-router) echo 'consuming mlsecops.lifecycle' ;;
    worker) echo 'serving task queue mlsecops-orchestration' ;;
  esac
}

running() { [ -f "$APPS_DIR/$1.pid" ] && kill -0 "$(cat "$APPS_DIR/$1.pid")" 2>/dev/null; }

start_app() {
  local app="$1" log="$APPS_DIR/$1.log" deadline
  if running "$app"; then echo "[apps] $app already running (pid $(cat "$APPS_DIR/$app.pid"))"; return 0; fi
  : > "$log"
  node "$REPO_ROOT/apps/$app/dist/main.js" >> "$log" 2>&1 &
  echo $! > "$APPS_DIR/$app.pid"
  deadline=$((SECONDS + MLSECOPS_READY_TIMEOUT_S))
  until grep -q "$(ready_line "$app")" "$log"; do
    if ! running "$app"; then echo "[apps] $app exited during start; last lines of $log:" >&2; tail -n 40 "$log" >&2; return 1; fi
    if ((SECONDS > deadline)); then echo "[apps] $app not ready after ${MLSECOPS_READY_TIMEOUT_S}s; see $log" >&2; return 1; fi
    sleep 0.3
  done
  echo "[apps] $app ready (pid $(cat "$APPS_DIR/$app.pid"), log $log)"
}

stop_app() {
  local app="$1" pid deadline
  running "$app" || { rm -f "$APPS_DIR/$app.pid"; return 0; }
  pid="$(cat "$APPS_DIR/$app.pid")"
  kill -TERM "$pid"
  deadline=$((SECONDS + MLSECOPS_STOP_TIMEOUT_S))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS > deadline)); then kill -KILL "$pid" 2>/dev/null || true; break; fi
    sleep 0.2
  done
  rm -f "$APPS_DIR/$app.pid"
  echo "[apps] $app stopped"
}

case "${1:-}" in
  start) for a in "${APPS[@]}"; do start_app "$a"; done ;;
  stop) for a in "${APPS[@]}"; do stop_app "$a"; done ;;
  status) rc=0; for a in "${APPS[@]}"; do if running "$a"; then echo "$a: running"; else echo "$a: stopped"; rc=1; fi; done; exit $rc ;;
  *) echo "usage: tools/apps.sh start|stop|status" >&2; exit 2 ;;
esac
