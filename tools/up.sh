#!/usr/bin/env bash
# `npm run up`: set-up, then Kafka, Temporal and the platform's services in the background; returns when
# all are healthy. `npm run down` stops them (data is kept).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/tools/setup.sh"
bash "$root/infra/local/stack.sh" up
bash "$root/tools/apps.sh" start
# shellcheck source=../infra/local/lib.sh
source "$root/infra/local/lib.sh"
echo "[up] platform running: Temporal UI http://127.0.0.1:${TEMPORAL_UI_PORT}; try: npx mlsecops emit examples/dataset-registered.json"
