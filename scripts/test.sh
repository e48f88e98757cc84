#!/usr/bin/env bash
# The test command: builds, starts the services the tests need when they are not
# running (Docker engine), runs every test, and stops what it started.
set -uo pipefail
cd "$(dirname "$0")/.."
export BIM_SERVICES_DIR="${BIM_SERVICES_DIR:-/tmp/bim-pack-services-$$}"
bash scripts/services.sh start || exit 1
trap 'bash scripts/services.sh stop' EXIT
pnpm -r run build || exit 1
node scripts/run-tests.mjs "$@"
