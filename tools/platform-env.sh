# shellcheck shell=bash
# Environment shared by `npm start`, `npm run up` and the test harness: where the apps find the local
# stack and where they may read and write. Sourced after infra/local/lib.sh (which sets the ports).
root="${REPO_ROOT:?source infra/local/lib.sh first}"
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT}}"
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-127.0.0.1:${TEMPORAL_PORT}}"
export TEMPORAL_NAMESPACE
export MLSECOPS_ARTIFACT_ROOT="${MLSECOPS_ARTIFACT_ROOT:-${root}/examples}"
export MLSECOPS_EVIDENCE_DIR="${MLSECOPS_EVIDENCE_DIR:-${MLSECOPS_DATA_DIR}/evidence}"
export WORKFLOW_BUNDLE_PATH="${WORKFLOW_BUNDLE_PATH:-${root}/workflows/dist/workflow-bundle.js}"
# Traces are created and propagated either way; they leave the process only when an exporter is chosen
# (OTEL_TRACES_EXPORTER=otlp with OTEL_EXPORTER_OTLP_ENDPOINT, or console).
export OTEL_TRACES_EXPORTER="${OTEL_TRACES_EXPORTER:-none}"
# Plain log files: no ANSI colours from Nest's logger.
export NO_COLOR=1
APPS_DIR="${MLSECOPS_DATA_DIR}/apps"
# shellcheck disable=SC2034 # used by the scripts that source this file
APPS=(event-router worker)
mkdir -p "$APPS_DIR" "$MLSECOPS_EVIDENCE_DIR"
