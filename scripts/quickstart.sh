#!/usr/bin/env bash
# The main job, for a newcomer on a fresh Debian machine: set everything up, start the
# Docker engine, and deploy a fixture app to the local platform with `bim-pack deploy`.
# Where `pack` is not installed, deploy still detects, plans and prints the exact pack
# command, then stops with BUILD_PACK_MISSING (exit 5) and how to install pack.
# Usage: bash scripts/quickstart.sh [app-folder]   (default: fixtures/node-http-shop, a small Node
# shop API whose .env.example asks for SHOP_API_KEY: a demo value is given in a private env file)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/services.sh start
app="${1:-fixtures/node-http-shop}"
env_dir=$(mktemp -d)
trap 'rm -rf "$env_dir"' EXIT
(umask 077 && printf 'SHOP_API_KEY=quickstart-demo-key\n' >"$env_dir/.env")
node packages/cli/dist/bin.js deploy "$app" --target local --env-file "$env_dir/.env"
