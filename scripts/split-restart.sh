#!/usr/bin/env bash
# Starts (or starts again) one service of a platform run by run-split.sh.
# Usage: scripts/split-restart.sh NAME DIR   (NAME: gateway|profiles|programs|matching|documents|placements)
set -euo pipefail
name=${1:?service name}
dir=${2:?split folder}
case "$name" in gateway|profiles|programs|matching|documents|placements) ;; *) echo "unknown service $name" >&2; exit 2 ;; esac
# shellcheck source=/dev/null
. "$dir/env.sh"
# NATS_URL (this service's own NATS user) and MONGODB_URI, written by the
# infra process (standalone --infra-only) when it started.
# shellcheck source=/dev/null
. "$dir/data/connect/$name.env"
TB_HTTP_ADDR=$(cat "$dir/$name.addr") nohup "$dir/bin/$name" >>"$dir/$name.log" 2>&1 &
echo $! >"$dir/$name.pid"
