#!/usr/bin/env bash
# Runs TalentBridge as seven separate processes: one holding the embedded NATS
# and FerretDB servers (standalone --infra-only), and the gateway, profiles,
# programs, matching, documents and placements services each on its own against them. This is how
# one service is crashed and restarted in the reliability tests.
#
# Usage: scripts/run-split.sh            (runs until Ctrl-C or SIGTERM)
# Env:   TB_SPLIT_DIR   folder for data, binaries, logs and pid files
#                       (default: a new temporary folder)
#        TB_SPLIT_PORT  first HTTP port (default 8080): gateway +0,
#                       profiles +1, programs +2, matching +3, infra +4,
#                       documents +5, placements +6
#        TB_SPLIT_NATS_PORT (default 4222); FerretDB has no port, only a
#        Unix socket that belongs to the data folder
# The infra process writes $TB_SPLIT_DIR/data/connect/<name>.env (mode 0600):
# NATS_URL with that service's own NATS user and password, and MONGODB_URI
# with FerretDB's socket; split-restart.sh reads it. Each process's pid is written to $TB_SPLIT_DIR/<name>.pid and its log to
# $TB_SPLIT_DIR/<name>.log; scripts/split-restart.sh NAME restarts one.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir=${TB_SPLIT_DIR:-$(mktemp -d -t tb-split-XXXXXX)}
port=${TB_SPLIT_PORT:-8080}
nats_port=${TB_SPLIT_NATS_PORT:-4222}
mkdir -p "$dir/bin" "$dir/data"
chmod 700 "$dir/data"

echo "building into $dir/bin" >&2
(cd "$root" && go build -o "$dir/bin/" ./services/standalone ./services/gateway/cmd/gateway \
  ./services/profiles/cmd/profiles ./services/programs/cmd/programs ./services/matching/cmd/matching \
  ./services/documents/cmd/documents ./services/placements/cmd/placements)

declare -A addr=(
  [gateway]="127.0.0.1:$((port))"
  [profiles]="127.0.0.1:$((port + 1))"
  [programs]="127.0.0.1:$((port + 2))"
  [matching]="127.0.0.1:$((port + 3))"
  [infra]="127.0.0.1:$((port + 4))"
  [documents]="127.0.0.1:$((port + 5))"
  [placements]="127.0.0.1:$((port + 6))"
)

# The environment of each service process, written to a file so that
# split-restart.sh starts a service again exactly as it was (the
# credentials come from the infra process's connect files).
cat >"$dir/env.sh" <<ENV
export TB_KEYS_DIR='$dir/data/keys'
export TB_PROFILES_URL='http://${addr[profiles]}'
export TB_PROGRAMS_URL='http://${addr[programs]}'
export TB_MATCHING_URL='http://${addr[matching]}'
export TB_DOCUMENTS_URL='http://${addr[documents]}'
export TB_PLACEMENTS_URL='http://${addr[placements]}'
ENV
for name in gateway profiles programs matching documents placements; do
  echo "${addr[$name]}" >"$dir/$name.addr"
done

pids=()
# The services stop first, while NATS and FerretDB are still there for them
# to drain their consumers and finish their writes; then the infra process.
stop() {
  trap - INT TERM EXIT
  local svc=()
  for name in gateway profiles programs matching documents placements; do
    if [ -f "$dir/$name.pid" ]; then
      p=$(cat "$dir/$name.pid")
      kill -TERM "$p" 2>/dev/null && svc+=("$p")
    fi
  done
  for _ in $(seq 1 300); do
    local alive=0
    for p in "${svc[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  [ -f "$dir/infra.pid" ] && kill -TERM "$(cat "$dir/infra.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

wait_ready() { # name addr
  for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null "http://$2/readyz" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "$1 did not become ready; see $dir/$1.log" >&2
  return 1
}

TB_HTTP_ADDR=${addr[infra]} TB_EMBEDDED_NATS_ADDR=127.0.0.1:$nats_port \
  "$dir/bin/standalone" --infra-only --data-dir "$dir/data" >"$dir/infra.log" 2>&1 &
pids+=($!)
echo $! >"$dir/infra.pid"
wait_ready infra "${addr[infra]}"

for name in profiles programs matching documents placements gateway; do
  "$root/scripts/split-restart.sh" "$name" "$dir"
done
for name in profiles programs matching documents placements gateway; do
  wait_ready "$name" "${addr[$name]}"
done

echo "split platform ready: gateway http://${addr[gateway]} (folder $dir)"
for name in infra gateway profiles programs matching documents placements; do
  printf '  %-9s pid %-7s http://%s\n' "$name" "$(cat "$dir/$name.pid")" "${addr[$name]}"
done
# Stay up until told to stop. Services may be killed and restarted by the
# reliability tests, so wait on a sleep rather than on the children.
while true; do sleep 1; done
