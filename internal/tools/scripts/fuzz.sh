#!/usr/bin/env bash
# Runs every Go fuzz target for a fixed time (default 10s each).
#
# On a busy machine Go's fuzz coordinator can give up on a stalled worker
# with "context deadline exceeded" although no input failed. A real finding
# always writes its input to testdata/fuzz and says "Failing input written";
# only a run that failed without one is tried again, once.
set -euo pipefail
cd "$(dirname "$0")/../../.."
fuzztime=${1:-10s}
found=0
# Only the packages whose tests define a fuzz target (listing every package
# would build every test binary).
for dir in $(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -r -n1 dirname | sort -u); do
  pkg=$dir
  for target in $(grep -h '^func Fuzz' "$dir"/*_test.go | sed 's/^func \(Fuzz[A-Za-z0-9_]*\).*/\1/' | sort -u); do
    found=$((found + 1))
    echo "== fuzz $pkg $target ($fuzztime)"
    for attempt in 1 2; do
      log=$(mktemp)
      if go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" 2>&1 | tee "$log"; then
        rm -f "$log"
        break
      fi
      if grep -q "Failing input written" "$log" || ! grep -q "context deadline exceeded" "$log" || [ "$attempt" = 2 ]; then
        rm -f "$log"
        exit 1
      fi
      rm -f "$log"
      echo "== fuzz $target: the fuzz engine stalled without a failing input; once more"
    done
  done
done
echo "fuzz: $found targets run for $fuzztime each, no failures"
