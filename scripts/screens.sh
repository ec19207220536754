#!/usr/bin/env bash
# Screenshot tour for reviewers: starts the standalone platform with --demo
# on a free loopback port, runs a matching round, and writes a PNG of every
# page per role (anonymous, applicant, host, coordinator, admin) and
# language (en, ja, hi) at 1280 px and 390 px wide into OUTDIR, using
# Debian's chromium (or $TB_CHROMIUM). The PNGs are not for committing.
# Japanese and Hindi text needs fonts with those scripts (Debian:
# fonts-noto-cjk, fonts-noto-core); without them it shows as boxes.
#
#   scripts/screens.sh OUTDIR            (gives up after 15 minutes)
#   SCREENS_TIMEOUT=30m scripts/screens.sh OUTDIR
set -euo pipefail
if [ "$#" -ne 1 ] || [ -z "$1" ]; then
	echo "usage: scripts/screens.sh OUTDIR" >&2
	exit 2
fi
out=$1
case "$out" in
/*) ;;
*) out="$PWD/$out" ;;
esac
cd "$(dirname "$0")/.."
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
# Built rather than "go run", which would turn the command's exit status 2
# (a bad argument) into 1.
go build -o "$bin/screens" ./services/standalone/cmd/screens
status=0
"$bin/screens" -timeout "${SCREENS_TIMEOUT:-15m}" "$out" || status=$?
exit "$status"
