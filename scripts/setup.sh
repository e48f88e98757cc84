#!/usr/bin/env bash
# Installs what bim-pack's development and tests need on a Debian machine (as root, or with sudo):
# Debian's docker.io, docker-registry, nginx, busybox-static, apache2-utils (htpasswd); pnpm; the
# workspace's dependencies; then builds every package. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"

need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
[ -x /bin/busybox ] || need+=(busybox-static)
command -v htpasswd >/dev/null || need+=(apache2-utils)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}" >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if ! command -v pnpm >/dev/null; then
  echo "installing pnpm" >&2
  $sudo_cmd npm install -g pnpm@12 >/dev/null 2>&1
fi
pnpm install --frozen-lockfile >/dev/null
pnpm -r run build >/dev/null
echo "setup done: node $(node --version), pnpm $(pnpm --version)" >&2
