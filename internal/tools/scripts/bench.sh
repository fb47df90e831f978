#!/usr/bin/env bash
# make bench: measure the provider against two baselines taken in the same
# run (see internal/tools/bench). Extra flags pass through, e.g.
#   ./internal/tools/scripts/bench.sh -runs 11 -scale 10,100 -keep
# Not part of make test: it takes minutes and its figures are ratios, not
# pass/fail checks.
set -euo pipefail
cd "$(dirname "$0")/../../.."
exec go run ./internal/tools/bench "$@" ${BENCH_FLAGS:-}
