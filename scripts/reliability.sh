#!/usr/bin/env bash
# Fault tests on the split platform (separate OS processes) at the sizes of
# the reliability issue, bounded in time and sending traffic only to
# loopback. Prints, for each case, what was injected and what was found.
# The same tests run small inside scripts/test.sh. The service binaries
# they start are built with -tags failpoints (split_test.go), which the
# failpoint case needs.
#
# Usage: scripts/reliability.sh [-run REGEXP]   (default: every case)
set -euo pipefail
cd "$(dirname "$0")/.."
run=TestReliability
if [ "${1:-}" = "-run" ]; then run=${2:?-run needs a pattern}; fi
export TB_RELIABILITY=full
# pipefail: the script fails when go test does.
go test -count=1 -timeout 15m -run "$run" -v ./services/standalone/ 2>&1 |
  grep -E '^(--- |ok|FAIL|PASS|\||    (reliability|split)[a-z_]*_test)'
