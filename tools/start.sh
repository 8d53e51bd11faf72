#!/usr/bin/env bash
# `npm start`: everything a fresh clone needs, then the whole platform in the foreground with prefixed
# logs. Ctrl-C (or SIGTERM) stops the services, then the servers, cleanly; data survives for next time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../infra/local/lib.sh
source "$root/infra/local/lib.sh"
# shellcheck source=platform-env.sh
source "$root/tools/platform-env.sh"

stopping=0
shutdown() {
  ((stopping)) && return
  stopping=1
  echo "[start] stopping..."
  kill -TERM "${TAILS[@]}" 2>/dev/null || true
  bash "$root/tools/apps.sh" stop || true
  bash "$root/infra/local/stack.sh" down || true
  echo "[start] stopped; data kept in ${MLSECOPS_DATA_DIR}"
}
trap 'shutdown; exit 130' INT TERM
TAILS=()

bash "$root/tools/setup.sh"
bash "$root/infra/local/stack.sh" up
bash "$root/tools/apps.sh" start

for app in "${APPS[@]}"; do
  tail -n 0 -F "$APPS_DIR/$app.log" 2>/dev/null | sed -u "s/^/[$app] /" &
  TAILS+=("$!")
done
cat <<MSG
[start] mlsecops is running.
        Temporal UI   http://127.0.0.1:${TEMPORAL_UI_PORT}
        Kafka         ${KAFKA_BROKERS}
        Artifacts     ${MLSECOPS_ARTIFACT_ROOT}
        Try:          npx mlsecops emit examples/dataset-registered.json && npx mlsecops status <id> --wait 30
        Ctrl-C stops everything.
MSG
# Stay in the foreground while the services live; if one dies, stop the rest and say so.
while bash "$root/tools/apps.sh" status >/dev/null; do sleep 2; done
echo "[start] a service exited; see ${APPS_DIR}" >&2
shutdown
exit 1
