#!/usr/bin/env bash
# Conformance adapter: maps the suite's protocol onto `mlsecops sign` / `mlsecops verify`.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
CLI=(node "$root/apps/cli/bin/mlsecops.js")
cmd="$1"; shift
method="" model="" out="" bundle="" key="" pub="" cert="" chain=() ignores=() unsigned=0
while (($#)); do
  case "$1" in
    --method) method="$2"; shift 2 ;;
    --model-path) model="$2"; shift 2 ;;
    --output-bundle) out="$2"; shift 2 ;;
    --bundle) bundle="$2"; shift 2 ;;
    --private-key) key="$2"; shift 2 ;;
    --public-key) pub="$2"; shift 2 ;;
    --signing-cert) cert="$2"; shift 2 ;;
    --cert-chain) chain+=("$2"); shift 2 ;;
    --ignore-paths) ignores+=("$2"); shift 2 ;;
    --ignore-unsigned-files) unsigned=1; shift ;;
    --identity-token) shift 2 ;;
    --use-staging) shift ;;
    *) echo "adapter: unknown $1" >&2; exit 2 ;;
  esac
done
[[ "$method" == sigstore ]] && { echo "adapter: keyless sigstore not supported" >&2; exit 3; }
args=()
((${#ignores[@]})) && args+=(--ignore-paths "${ignores[@]}")
if [[ "$cmd" == sign-model ]]; then
  if [[ "$method" == certificate ]]; then
    args+=(--signing-certificate "$cert"); ((${#chain[@]})) && args+=(--certificate-chain "${chain[@]}")
  fi
  exec "${CLI[@]}" sign "$model" --private-key "$key" --signature "$out" "${args[@]}"
else
  ((unsigned)) && args+=(--ignore-unsigned-files)
  args+=(--any-ignore-paths)
  if [[ "$method" == certificate ]]; then args+=(--certificate-chain "${chain[@]}"); else args+=(--public-key "$pub"); fi
  exec "${CLI[@]}" verify "$model" --signature "$bundle" "${args[@]}"
fi
