#!/usr/bin/env bash
# Runs every test of every module in the workspace, with go vet first.
# `go test ./...` at the root does not cross modules in a workspace, so the
# modules are named one by one.
#
# Usage: scripts/test.sh [extra go test flags, e.g. -run Outbox -v]
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(./shared/... ./services/gateway/... ./services/profiles/... ./services/programs/... \
  ./services/matching/... ./services/documents/... ./services/placements/...)
# The standalone package starts whole platforms as OS processes (fault tests,
# browser tests); it runs after the others so it has the machine to itself.
whole=(./services/standalone/...)

echo "== gofmt"
unformatted=$(gofmt -l shared services deployments)
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet "${pkgs[@]}" "${whole[@]}"
# The outbox failpoints (os.Exit in the relay) are compiled only with this
# tag; see failpoints below.
go vet -tags failpoints ./shared/outbox/
# deployments/ is its own module outside the workspace (kustomize's
# dependencies must not move the services' versions).
(cd deployments && GOWORK=off go vet ./...)

echo "== go test"
# -count=1: the suite starts real servers and processes; never trust a cache.
go test -count=1 -timeout 12m "$@" "${pkgs[@]}"
# failpoints: TestFailpoints (shared/outbox/failpoint_test.go) re-runs its
# own test binary as a child that must exit at a failpoint, so that binary
# needs the tag. (The standalone fault tests build their service binaries
# with the tag themselves.)
go test -count=1 -timeout 5m -tags failpoints -run Failpoint "$@" ./shared/outbox/
go test -count=1 -timeout 12m "$@" "${whole[@]}"
(cd deployments && GOWORK=off go test -count=1 "$@" ./...)
