#!/usr/bin/env bash
# A national match round, black-box, against a freshly started standalone
# platform (embedded NATS and FerretDB, a temporary data folder, a loopback
# port): services/matching/cmd/nationalround imports the applicants'
# profiles and the programs by CSV (publishing the programs), creates one
# round over every program, imports the rank lists and each program's
# ranking by CSV, runs the round to completed with 0 blocking pairs, checks
# every match against the applicant-optimal stable matching it computes
# itself with plain deferred acceptance, approves all matches in one
# coordinator action and publishes.
#
# It prints each step's seconds ("timing NAME SECONDS"), the server's
# largest resident memory during the run, approve and publish steps ("rss
# NAME KiB") and over its whole life ("peak-rss-kib N", VmHWM), and exits
# non-zero on any
# failure or mismatch. Not part of scripts/test.sh: it takes minutes.
#
# Usage: scripts/national.sh
#   NATIONAL_APPLICANTS  applicants (default 20000)
#   NATIONAL_PROGRAMS    programs (default 2600)
#   NATIONAL_LIST        rank list length (default 20)
#   NATIONAL_SEED        seed of the generated instance (default 1)
#   NATIONAL_TIMEOUT     give up after this long (default 40m)
#   NATIONAL_KEEP_LOG    1: keep the server's log (its path is printed)
#   NATIONAL_REQUEST_TIMEOUT  the server's request timeout (default 10m)
#   NATIONAL_LOG_LEVEL   the server's log level (default info)
#   NATIONAL_DATA_DIR    keep the platform's data in this folder, with the
#                        imported ids beside it (national-state.json): a
#                        later call with the same folder and instance
#                        imports nothing and runs a new round over the same
#                        programs and rank lists, on the build of that call
#   NATIONAL_IMPORTS_ONLY  1: stop once the imports have settled (needs
#                        NATIONAL_DATA_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."

applicants=${NATIONAL_APPLICANTS:-20000}
programs=${NATIONAL_PROGRAMS:-2600}
list=${NATIONAL_LIST:-20}
seed=${NATIONAL_SEED:-1}
timeout=${NATIONAL_TIMEOUT:-40m}
for v in "$applicants" "$programs" "$list" "$seed"; do
  case "$v" in ''|*[!0-9]*) echo "national.sh: NATIONAL_APPLICANTS, NATIONAL_PROGRAMS, NATIONAL_LIST and NATIONAL_SEED must be numbers" >&2; exit 2 ;; esac
done

work=$(mktemp -d "${TMPDIR:-/tmp}/tb-national.XXXXXX")
data="$work/data"
keep=()
if [ -n "${NATIONAL_DATA_DIR:-}" ]; then
  mkdir -p "$NATIONAL_DATA_DIR"
  data=$(cd "$NATIONAL_DATA_DIR" && pwd)/data
  keep=(-state "$(dirname "$data")/national-state.json")
  if [ "${NATIONAL_IMPORTS_ONLY:-0}" = 1 ]; then keep+=(-imports-only); fi
elif [ "${NATIONAL_IMPORTS_ONLY:-0}" = 1 ]; then
  echo "national.sh: NATIONAL_IMPORTS_ONLY needs NATIONAL_DATA_DIR" >&2; exit 2
fi
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server" 2>/dev/null || true
  fi
  if [ "${NATIONAL_KEEP_LOG:-0}" = 1 ]; then
    cp "$work/server.log" "${TMPDIR:-/tmp}/tb-national-server.log" 2>/dev/null || true
    echo "server log: ${TMPDIR:-/tmp}/tb-national-server.log"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== build"
go build -o "$work/standalone" ./services/standalone
go build -o "$work/nationalround" ./services/matching/cmd/nationalround

# A free loopback port: one nothing answers on.
port=""
for _ in $(seq 50); do
  p=$((20000 + RANDOM % 20000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "national.sh: no free loopback port found" >&2; exit 1; }

export TB_ADMIN_EMAIL=national-admin@national.example.org
export TB_ADMIN_PASSWORD="national admin violet kettle drums"
echo "== start the platform on 127.0.0.1:$port"
# Importing tens of thousands of rows, or answering with every match of a
# national round, takes longer than the default 15 s request timeout on a
# small, busy machine.
TB_LOG_LEVEL=${NATIONAL_LOG_LEVEL:-info} TB_HTTP_REQUEST_TIMEOUT=${NATIONAL_REQUEST_TIMEOUT:-10m} "$work/standalone" --addr "127.0.0.1:$port" --data-dir "$data" >"$work/server.log" 2>&1 &
server=$!
ready=0
# A platform restarted on a national round's data opens databases of
# millions of documents and takes minutes to start.
waits=600
if [ -n "${NATIONAL_DATA_DIR:-}" ]; then waits=4500; fi
for _ in $(seq "$waits"); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then ready=1; break; fi
  kill -0 "$server" 2>/dev/null || break
  sleep 0.2
done
if [ "$ready" != 1 ]; then
  echo "national.sh: the platform did not become ready; its log:" >&2
  tail -n 40 "$work/server.log" >&2
  exit 1
fi

echo "== national round: $applicants applicants x $programs programs x lists of $list"
status=0
"$work/nationalround" -base "http://127.0.0.1:$port" -applicants "$applicants" -programs "$programs" \
  -list "$list" -seed "$seed" -timeout "$timeout" -pid "$server" "${keep[@]}" || status=$?
hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$server/status" 2>/dev/null || echo nan)
echo "peak-rss-kib ${hwm:-nan}"
# Where the run's time went, step by step (matching's "round run steps").
grep '"round run steps"' "$work/server.log" | tail -n 3 || true
if [ "$status" != 0 ]; then
  echo "national.sh: the national round failed (status $status); the server log's last lines:" >&2
  tail -n 30 "$work/server.log" >&2
  exit 1
fi
kill -0 "$server" 2>/dev/null || { echo "national.sh: the platform stopped during the round" >&2; exit 1; }
