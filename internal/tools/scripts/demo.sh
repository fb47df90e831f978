#!/usr/bin/env bash
# make demo: build the provider and the mock cloud, start the mock on
# loopback, then run a real terraform apply and destroy of examples/demo
# through dev_overrides in a temporary CLI config.
#   demo.sh [CLI]: CLI is terraform (default), tofu, or a path to either.
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=$PWD
tf=${1:-terraform}
case $tf in */*) tf=$(cd "$(dirname "$tf")" && pwd)/$(basename "$tf") ;; esac
version=$("$tf" version 2>/dev/null | grep -m1 -E '^(Terraform|OpenTofu) v') || { echo "demo: cannot run '$tf version'" >&2; exit 1; }
# OpenTofu resolves the source "cloudlock/cloudlock" under its own registry,
# so dev_overrides must name that address.
case $version in
  OpenTofu*) address=registry.opentofu.org/cloudlock/cloudlock ;;
  *) address=registry.terraform.io/cloudlock/cloudlock ;;
esac
echo "== $version ($tf)"
demo=$root/.demo
rm -rf "$demo" && mkdir -p "$demo/bin" "$demo/work"

echo "== building the provider and the mock cloud"
go build -o "$demo/bin/terraform-provider-cloudlock" .
go build -o "$demo/bin/mockcloud" ./internal/mockcloud/cmd/mockcloud

# Demo credentials: the mock accepts exactly these, and the provider reads
# them from the environment as it would real ones.
export HW_ACCESS_KEY=DEMOHWACCESSKEY00001 HW_SECRET_KEY=demo-hw-secret-not-real HW_REGION_NAME=cn-north-4
export ALICLOUD_ACCESS_KEY=LTAIdemoaccesskey0001 ALICLOUD_SECRET_KEY=demo-ali-secret-not-real ALICLOUD_REGION=cn-hangzhou

echo "== starting the mock cloud on 127.0.0.1"
"$demo/bin/mockcloud" -listen 127.0.0.1:0 -url-file "$demo/url" -journal >"$demo/mock.out" 2>"$demo/mock.log" &
mock_pid=$!
trap 'kill $mock_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$demo/url" ] && break; sleep 0.1; done
[ -s "$demo/url" ] || { cat "$demo/mock.log"; echo "mock cloud did not start"; exit 1; }
url=$(cat "$demo/url")
echo "   mock cloud at $url"

cat >"$demo/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "$address" = "$demo/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE=$demo/terraformrc TF_IN_AUTOMATION=1 TF_VAR_endpoint=$url
cp examples/demo/*.tf "$demo/work/"
cd "$demo/work"

# run NAME ARGS...: runs the CLI, keeps its output in $demo/NAME.log, and
# prints it without the dev_overrides banner; stops the demo on failure.
run() {
  local name=$1; shift
  if ! "$tf" "$@" -input=false -no-color >"$demo/$name.log" 2>&1; then
    cat "$demo/$name.log"; echo "$tf $* failed"; exit 1
  fi
  awk '/Provider development overrides/{skip=1} skip&&/^$/{n++} !skip{print} n==3{skip=0;n=0}' "$demo/$name.log" | sed '/^$/N;/^\n$/D'
}

echo "== apply"
run apply apply -auto-approve
echo "== output (the passphrase stays sensitive)"
"$tf" output -no-color
echo "== second plan"
run plan plan -detailed-exitcode
echo "== destroy"
run destroy destroy -auto-approve

echo "== API calls the mock cloud served"
sed 's/^/   /' "$demo/mock.log"
