#!/usr/bin/env bash
# The cluster fault test at full size: the split platform on a three-node
# NATS JetStream cluster (every stream replicated three times, fsync on every
# write), 10,000 profiles created through the gateway at 40 a second while
# NATS nodes are killed with SIGKILL — the PROFILES leader, a follower, and
# two of three at once, each twice. Servers listen on loopback only; the run
# is bounded (go test -timeout). A short version of the same test runs inside
# scripts/test.sh.
#
# Prints a table of the faults and, last, one line:
#   cluster: N sent, N applied, 0 lost, 0 duplicates, K node kills
# Exit status: 0 when the test passed, 1 otherwise.
#
# Usage: scripts/cluster.sh
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp -t tb-cluster-XXXXXX.log)
export TB_CLUSTER=full
status=0
go test -count=1 -timeout 20m -run '^TestClusterNodeFaults$' -v ./services/standalone/ >"$log" 2>&1 || status=1
grep -E '^(\||requests:|--- |ok|FAIL|    cluster[a-z_]*_test\.go)' "$log" | grep -v '^cluster:' || true
if [ "$status" -ne 0 ]; then
  echo "cluster test failed; full output in $log" >&2
fi
summary=$(grep -E '^cluster: ' "$log" | tail -n 1 || true)
if [ -z "$summary" ]; then
  echo "cluster: no summary (the test stopped before its checks; see $log)"
  exit 1
fi
echo "$summary"
[ "$status" -eq 0 ] && rm -f "$log"
exit "$status"
