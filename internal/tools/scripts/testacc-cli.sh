#!/usr/bin/env bash
# make testacc-cli TERRAFORM=/path/to/terraform-or-tofu: the acceptance tests
# against the mock cloud, driven by another CLI than the terraform on PATH
# (Terraform 1.15, OpenTofu). Only the packages whose tests drive a CLI run:
# the rest (unit tests, the mock, fuzz seeds) does not depend on it and runs
# in `make test`.
#
# OpenTofu is recognised by `version`; it then gets what it needs:
# TF_ACC_PROVIDER_HOST=registry.opentofu.org (its registry resolves
# "cloudlock/cloudlock") and a TF_CLI_CONFIG_FILE that exists (it prints the
# missing-file warning on stdout, breaking every JSON answer).
set -euo pipefail
cd "$(dirname "$0")/../../.."
arg=${1:?usage: testacc-cli.sh /path/to/terraform-or-tofu [go test flags]}
shift
case $arg in
  */*) [ -x "$arg" ] || { echo "testacc-cli: $arg is not an executable CLI" >&2; exit 1; }
    bin=$(cd "$(dirname "$arg")" && pwd)/$(basename "$arg") ;; # absolute: go test runs in each package's folder
  *) bin=$(command -v "$arg") || { echo "testacc-cli: $arg is not on PATH" >&2; exit 1; } ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# TF_CLI_CONFIG_FILE: the caller's if it exists, else an empty one (no
# plugin cache or credentials from the user's file leak into the tests).
if [ -z "${TF_CLI_CONFIG_FILE:-}" ] || [ ! -f "$TF_CLI_CONFIG_FILE" ]; then
  : >"$tmp/cli.tfrc"
  export TF_CLI_CONFIG_FILE=$tmp/cli.tfrc
fi
version=$("$bin" version 2>/dev/null | grep -m1 -E '^(Terraform|OpenTofu) v' || true)
case $version in
  OpenTofu*) export TF_ACC_PROVIDER_HOST=registry.opentofu.org ;;
  Terraform*) unset TF_ACC_PROVIDER_HOST ;;
  *) echo "testacc-cli: $bin version said '$version', neither Terraform nor OpenTofu" >&2; exit 1 ;;
esac

# The packages with tests that run the CLI: terraform-plugin-testing's
# resource.Test, or the in-repo CLI harness (acctest.NewCLI, TerraformBin).
pkgs=$(grep -rlE --include='*_test.go' 'resource\.(Parallel|Unit)?Test\(|acctest\.(NewCLI|TerraformBin)\(' . |
  xargs -n1 dirname | sort -u)
echo "== $version ($bin): acceptance tests in $(echo $pkgs | wc -w) packages"
TF_ACC=1 TF_ACC_TERRAFORM_PATH=$bin TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 \
  go test $pkgs -count=1 -timeout 30m "$@"
