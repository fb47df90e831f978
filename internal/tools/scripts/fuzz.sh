#!/usr/bin/env bash
# Runs every Go fuzz target for a fixed time (default 10s each).
set -euo pipefail
cd "$(dirname "$0")/../../.."
fuzztime=${1:-10s}
found=0
for pkg in $(go list ./...); do
  for target in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
    found=$((found + 1))
    echo "== fuzz $pkg $target ($fuzztime)"
    go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime"
  done
done
echo "fuzz: $found targets run for $fuzztime each, no failures"
