#!/usr/bin/env bash
# Creates (or reuses) a project-local Python venv from a pinned requirements file, so reference tools
# (scipy, model_signing, scanners, Evidently) come from the project's own files on any fresh machine.
# Usage: tools/python/ensure-venv.sh <name>   -> .cache/venv-<name> from tools/python/requirements-<name>.txt
# Prints the venv's python path on stdout; progress goes to stderr.
set -euo pipefail
name="${1:?usage: ensure-venv.sh <name>}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${MLSECOPS_CACHE_DIR:-$root/.cache}"
req="$root/tools/python/requirements-$name.txt"
venv="$cache/venv-$name"
[ -f "$req" ] || { echo "ensure-venv: no requirements file tools/python/requirements-$name.txt" >&2; exit 2; }
command -v python3 >/dev/null || { echo "ensure-venv: python3 is required (3.10+)" >&2; exit 2; }
want="$(sha256sum "$req" | cut -d' ' -f1)"
# Test workers may ask for the same venv at once: one builds it, the others wait and reuse it.
mkdir -p "$cache"
exec 9>"$cache/.venv-$name.build-lock"
flock 9
if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.stamp" 2>/dev/null)" = "$want" ]; then
  echo "$venv/bin/python"
  exit 0
fi
echo "ensure-venv: installing $name venv from $(basename "$req")" >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --cache-dir "$cache/pip" -r "$req" >&2
echo "$want" > "$venv/.stamp"
echo "$venv/bin/python"
