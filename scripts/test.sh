#!/usr/bin/env bash
# The test command: builds, starts the services the tests need when they are not
# running (Docker engine; registries and nginx are started by the tests on free
# loopback ports), runs every test on this machine's Node, then again on Node 24
# (the newest LTS line), and stops what it started.
# Usage: pnpm test [path-regex]    BIM_TEST_NODE24=0 skips the Node 24 pass.
set -uo pipefail
cd "$(dirname "$0")/.."
export BIM_SERVICES_DIR="${BIM_SERVICES_DIR:-/tmp/bim-pack-services-$$}"
bash scripts/services.sh start || exit 1
trap 'bash scripts/services.sh stop' EXIT
pnpm -r run build >/dev/null || { pnpm -r run build; exit 1; }
echo "== typecheck (src, tests, benches)"
pnpm run typecheck || exit 1
echo "== tests on node $(node --version)"
node scripts/run-tests.mjs "$@" || exit 1
if [ "${BIM_TEST_NODE24:-1}" != "0" ]; then
  node24_dir=".tmp/node24"
  if [ ! -x "$node24_dir/node_modules/.bin/node" ]; then
    mkdir -p "$node24_dir"
    (cd "$node24_dir" && npm init -y >/dev/null 2>&1 && npm install --no-audit --no-fund node@24 >/dev/null 2>&1) \
      || { echo "could not install node@24 from the npm registry" >&2; exit 1; }
  fi
  export PATH="$PWD/$node24_dir/node_modules/.bin:$PATH"
  echo "== tests on node $(node --version)"
  node scripts/run-tests.mjs "$@" || exit 1
fi
