#!/usr/bin/env bash
# The composite action's deploy step (action.yml): runs `bim-pack deploy --json` with the
# action's inputs (INPUT_* env) and turns the one result document into step outputs
# ($GITHUB_OUTPUT) and a job summary ($GITHUB_STEP_SUMMARY). Exits with bim-pack's exit code.
# BIM_PACK_BIN runs a given bim-pack executable instead of `npx bim-pack@$INPUT_VERSION`.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${GITHUB_OUTPUT:?is not set: run inside GitHub Actions, or point it at a file}"

args=(deploy . --json --progress json)
path="${INPUT_PATH:-.}"
if [ -n "$path" ] && [ "$path" != "." ]; then args+=(--path "$path"); fi
if [ -n "${INPUT_TARGET:-}" ]; then args+=(--target "$INPUT_TARGET"); fi
if [ -n "${INPUT_IMAGE:-}" ]; then args+=(--image "$INPUT_IMAGE"); fi
if [ -n "${INPUT_CACHE_IMAGE:-}" ]; then args+=(--cache-image "$INPUT_CACHE_IMAGE"); fi
if [ "${INPUT_SKIP_TESTS:-false}" = "true" ]; then args+=(--skip-tests); fi
if [ -n "${INPUT_ENV_FILE:-}" ]; then args+=(--env-file "$INPUT_ENV_FILE"); fi

# Secrets travel in the environment, never on the command line.
if [ -n "${INPUT_TOKEN:-}" ]; then export BACKEND_IM_TOKEN="$INPUT_TOKEN"; fi
if [ -n "${INPUT_REGISTRY_TOKEN:-}" ]; then
  export BIM_REGISTRY_PASSWORD="$INPUT_REGISTRY_TOKEN"
  export BIM_REGISTRY_USERNAME="${INPUT_REGISTRY_USERNAME:-${GITHUB_ACTOR:-bim-pack}}"
fi

if [ -n "${BIM_PACK_BIN:-}" ]; then
  command=("$BIM_PACK_BIN")
else
  command=(npx --yes "bim-pack@${INPUT_VERSION:-0.1.0}")
fi

result="$(mktemp "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/bim-pack-result.XXXXXX")"
trap 'rm -f "$result"' EXIT
"${command[@]}" "${args[@]}" > "$result"
status=$?
node "$here/summarize.mjs" "$result"
exit "$status"
