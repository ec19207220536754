#!/usr/bin/env bash
# Screenshot tour for reviewers: starts the standalone platform with --demo
# on a free loopback port, runs a matching round, and writes a PNG of every
# page per role (anonymous, applicant, host, coordinator, admin) and
# language (en, ja, hi) at 1280 px and 390 px wide into OUTDIR, using
# Debian's chromium (or $TB_CHROMIUM). The PNGs are not for committing.
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
exec go run ./services/standalone/cmd/screens -timeout "${SCREENS_TIMEOUT:-15m}" "$out"
