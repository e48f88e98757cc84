#!/usr/bin/env bash
# Starts (or stops) the services the tests need: the Docker engine. Idempotent:
# an engine that already answers is left alone, and `stop` only stops what `start` started.
# Registries and nginx instances are started by the tests themselves on free loopback ports.
set -euo pipefail
state_dir="${BIM_SERVICES_DIR:-/tmp/bim-pack-services}"
mkdir -p "$state_dir"

start_docker() {
  if docker info >/dev/null 2>&1; then return 0; fi
  command -v dockerd >/dev/null || { echo "dockerd is missing: run bash scripts/setup.sh" >&2; exit 1; }
  echo "starting dockerd (log: $state_dir/dockerd.log)" >&2
  nohup dockerd >"$state_dir/dockerd.log" 2>&1 &
  echo $! >"$state_dir/dockerd.pid"
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "dockerd did not answer within 60 s; see $state_dir/dockerd.log" >&2
  tail -20 "$state_dir/dockerd.log" >&2 || true
  exit 1
}

stop_docker() {
  [ -f "$state_dir/dockerd.pid" ] || return 0
  pid=$(cat "$state_dir/dockerd.pid")
  rm -f "$state_dir/dockerd.pid"
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || return 0; sleep 1; done
}

case "${1:-start}" in
  start) start_docker ;;
  stop) stop_docker ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
