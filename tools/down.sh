#!/usr/bin/env bash
# `npm run down`: stops the platform's services, then Kafka and Temporal; data is kept for the next start.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/tools/apps.sh" stop
bash "$root/infra/local/stack.sh" down
