#!/usr/bin/env bash
# Runs every fuzz target of every module for a while and fails on any crash.
# A crash leaves its input under the package's testdata/fuzz/<Target>/, where
# the normal tests replay it from then on: fix the bug and keep the file.
#
# Usage: scripts/fuzz.sh [seconds per target, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
case "$secs" in ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [seconds]" >&2; exit 2 ;; esac

# Each target as "package-dir target".
targets=$(grep -rl --include='*_test.go' '^func Fuzz' shared services | sort | while read -r f; do
  dir=$(dirname "$f")
  grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //' | while read -r t; do echo "$dir $t"; done
done)

failed=0
races=0
total=0
while read -r dir target; do
  [ -n "$dir" ] || continue
  total=$((total + 1))
  printf '== %-60s %s (%ss)\n' "$dir" "$target" "$secs"
  # -parallel 1 keeps the 2-core machine usable; -run '^$' skips the unit
  # tests; minimizing a new input may take 10 s of the budget at most.
  out=$(cd "$dir" && go test -run '^$' -fuzz "^${target}\$" -fuzztime "${secs}s" -fuzzminimizetime 10s \
    -parallel 1 . 2>&1) && { echo "$out" | tail -n 3; continue; }
  echo "$out" | tail -n 5
  # Go 1.26's fuzz coordinator can fail a run with a bare "context deadline
  # exceeded" as -fuzztime ends, with no failing input (go.dev/issue/75804,
  # fixed in Go 1.27). That is a stop race, not a crash: a crash always
  # writes its input under testdata/fuzz.
  if ! echo "$out" | grep -q 'Failing input written to' && echo "$out" | grep -q 'context deadline exceeded'; then
    echo "   (Go's fuzz coordinator stop race, no failing input: not a crash)"
    races=$((races + 1))
    continue
  fi
  echo "!! $dir $target found a crash (see testdata/fuzz/$target)"
  failed=$((failed + 1))
done <<<"$targets"
echo "fuzz: $((total - failed)) passed ($races ended by the coordinator stop race), $failed failed"
[ "$failed" -eq 0 ]
