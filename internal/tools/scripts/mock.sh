#!/usr/bin/env bash
# make mock: build the provider and the mock cloud, lay out CLI configurations
# that use the fresh provider (dev_overrides, and a filesystem mirror for
# configurations with modules), print them, then run the mock in the
# foreground on a fixed loopback port until Ctrl-C. The mock prints the
# environment (TF_CLI_CONFIG_FILE and SSL_CERT_FILE included, by absolute
# path, so that it works pasted in any folder) and the provider block once
# it listens.
# Guide: docs/guides/mock-cloud.md.
# MOCK_FLAGS pass to the mock, e.g. account limits:
# MOCK_FLAGS="-limit each:ecs.*=window:200/5m -limit each:bastionhost.*=bucket:10".
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=$PWD
addr=${MOCK_ADDR:-127.0.0.1:18080}
dir=$root/.mock
# The version the filesystem mirror offers; terraform init picks it.
version=${MOCK_PROVIDER_VERSION:-0.1.0}
platform=$(go env GOOS)_$(go env GOARCH)
addresses=(registry.terraform.io/cloudlock/cloudlock registry.opentofu.org/cloudlock/cloudlock)

echo "== building the provider and the mock cloud into $dir/bin"
mkdir -p "$dir/bin"
go build -ldflags "-X main.version=$version" -o "$dir/bin/terraform-provider-cloudlock" .
go build -o "$dir/bin/mockcloud" ./internal/mockcloud/cmd/mockcloud

# The unpacked layout of a filesystem mirror:
# HOST/NAMESPACE/TYPE/VERSION/OS_ARCH/terraform-provider-TYPE_vVERSION.
rm -rf "$dir/mirror"
for a in "${addresses[@]}"; do
  mkdir -p "$dir/mirror/$a/$version/$platform"
  cp "$dir/bin/terraform-provider-cloudlock" "$dir/mirror/$a/$version/$platform/terraform-provider-cloudlock_v$version"
done

cat >"$dir/dev.tfrc" <<RC
# Terraform and OpenTofu use the provider built in $dir/bin directly.
# Skip terraform init; without modules nothing else needs it
# (with local or registry modules: terraform get).
provider_installation {
  dev_overrides {
    "${addresses[0]}" = "$dir/bin"
    "${addresses[1]}" = "$dir/bin"
  }
  direct {}
}
RC
cat >"$dir/mirror.tfrc" <<RC
# terraform init installs cloudlock $version from the local mirror and
# everything else from the registry, so configurations with modules work.
# After make mock rebuilt the provider, the lock file's checksum no longer
# matches: delete .terraform.lock.hcl (or its cloudlock block), terraform init.
provider_installation {
  filesystem_mirror {
    path    = "$dir/mirror"
    include = ["${addresses[0]}", "${addresses[1]}"]
  }
  direct {
    exclude = ["${addresses[0]}", "${addresses[1]}"]
  }
}
RC

echo
echo "CLI configuration (Terraform and OpenTofu alike; the mock's paste block below names dev.tfrc, pick mirror.tfrc for modules):"
echo
echo "  export TF_CLI_CONFIG_FILE=$dir/dev.tfrc      # dev_overrides: no terraform init (terraform get for modules)"
echo "  export TF_CLI_CONFIG_FILE=$dir/mirror.tfrc   # filesystem mirror: terraform init works, modules too"
echo
sed 's/^/  /' "$dir/dev.tfrc"
echo
sed 's/^/  /' "$dir/mirror.tfrc"
echo
# The mock's own keys: not the ones in this shell, which may be real.
exec env -u HW_ACCESS_KEY -u HW_SECRET_KEY -u HW_SECURITY_TOKEN -u HW_PROJECT_ID -u HW_REGION_NAME \
  -u ALICLOUD_ACCESS_KEY -u ALICLOUD_SECRET_KEY -u ALICLOUD_SECURITY_TOKEN \
  "$dir/bin/mockcloud" -listen "$addr" -journal -ca-file "$dir/ca.pem" -cli-config "$dir/dev.tfrc" ${MOCK_FLAGS:-}
