#!/usr/bin/env bash
# make testacc-cli TERRAFORM=/path/to/terraform-or-tofu: the acceptance tests
# against the mock cloud whose outcome depends on the CLI, driven by another
# CLI than the terraform on PATH (Terraform 1.15, OpenTofu). `make test` runs
# every test with the terraform on PATH; here only the tests in which the CLI
# itself decides something run again (CLI_TESTS below; ALL_CLI_TESTS=1 runs
# every acceptance test, as before). What the CLI decides, and so which tests:
#   - features the oldest CLI lacks: identity and import by identity (>= 1.12),
#     actions, list resources and `terraform query` (>= 1.14), ephemeral
#     resources: *_identity*, *_adopt*, *_trigger, *List_*, *Ephemeral*;
#   - how the CLI plans: the proposed new state it builds from configuration
#     and prior state (*_convergence), imports and moves (*_import*,
#     *_movedFromHuaweicloud), states written by earlier builds and CLIs
#     (TestUpgrade);
#   - what the CLI checks and shows: the syntax of blocks and misspelt keys
#     (TestMisspeltKey*, TestProviderBlockTwice*, TestAlicloudBlockAbsent*,
#     TestValidateNeedsNoCredentials), diagnostics at plan (TestAccBadInput*),
#     SIGINT (TestAccInterruptedApplyConverges), its logs, plans and state
#     files (TestAccSecrets*, TestAccTraceLogHasNoSecrets), the provider logs it
#     passes on (TestServedProviderLogsOnlyWhenTerraformShowsThem).
# The rest (CRUD, retries, errors, regions, pacing, credentials) is the
# provider's own logic, the same whatever CLI sends the request, and runs in
# `make test` only.
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
CLI_TESTS='^Test(Acc)?[A-Za-z0-9]*_(identity[A-Za-z]*|adopt[A-Za-z]*|import[A-Za-z]*|convergence|trigger|query|includeResource|generateConfig|scale|limitStopsPaging|movedFromHuaweicloud)$'
CLI_TESTS+='|^TestAcc[A-Za-z]*Ephemeral'
CLI_TESTS+='|^Test(MisspeltKeyFailsValidate|ProviderBlockTwiceFailsValidate|AlicloudBlockAbsentOrEmptyFallsBackToEnvironment|ValidateNeedsNoCredentials)$'
CLI_TESTS+='|^Test(AccBadInput|AccBadInputFromEnvironment|AccInterruptedApplyConverges|AccTraceLogHasNoSecrets|Upgrade|EveryTypeHasFixtures|ServedProviderLogsOnlyWhenTerraformShowsThem)$|^TestAccSecrets'
run=(-run "$CLI_TESTS")
what="the tests whose outcome depends on the CLI"
if [ -n "${ALL_CLI_TESTS:-}" ]; then run=() what="every acceptance test"; fi
echo "== $version ($bin): $what, in $(echo $pkgs | wc -w) packages"
TF_ACC=1 TF_ACC_TERRAFORM_PATH=$bin TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 \
  go test $pkgs -count=1 -timeout 30m "${run[@]}" "$@"
