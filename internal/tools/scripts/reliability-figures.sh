#!/usr/bin/env bash
# make reliability-figures: runs the tests of internal/reliability that count
# what they tried and prints the lines in which they say it. docs/RELIABILITY.md
# quotes no figure of its own: this is where they come from, from the code as
# it is (CLOUDLOCK_LOAD_N=200 for the large load run).
set -euo pipefail
cd "$(dirname "$0")/../../.."
tests='^(TestFaultMatrix|TestBackoffGrows|TestAccBadInput|TestAccBadInputFromEnvironment|TestFixturesAndExamplesHoldNoSecrets|TestAccInterruptedApplyConverges|TestAccLoad)$'
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! TF_ACC=1 go test ./internal/reliability -run "$tests" -count=1 -v >"$log" 2>&1; then
  cat "$log"
  echo "reliability-figures: the tests failed; no figures" >&2
  exit 1
fi
grep -E '^\s+[a-z_]+_test\.go:[0-9]+: (fault matrix|waits between attempts|bad input|scanned|interrupted apply|load|requests and faulted)' "$log" |
  sed -E 's/^\s+[a-z_]+_test\.go:[0-9]+: //'
