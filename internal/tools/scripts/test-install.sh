#!/usr/bin/env bash
# make test-install: builds the release snapshot and installs it through each
# CLI (internal/installtest): from a private registry, a network mirror and a
# filesystem mirror, then a plan and apply against the mock cloud.
#   test-install.sh GORELEASER CLI...
# When gpg is here, the snapshot is signed by goreleaser's own `signs` step
# with a key made for this run (a temporary GNUPGHOME, removed at the end), so
# the tests check the signature a release writes; without gpg the tests sign
# SHA256SUMS themselves.
set -euo pipefail
cd "$(dirname "$0")/../../.."
goreleaser=${1:?usage: test-install.sh GORELEASER CLI...}
shift
clis=
for cli in "$@"; do
  case $cli in
    */*) [ -x "$cli" ] || { echo "test-install: $cli is not an executable CLI" >&2; exit 1; }
      cli=$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli") ;;
    *) cli=$(command -v "$cli") || { echo "test-install: $cli is not on PATH" >&2; exit 1; } ;;
  esac
  clis=${clis:+$clis:}$cli
done
tmp=$(mktemp -d)
cleanup() {
  [ -z "${GNUPGHOME:-}" ] || gpgconf --kill gpg-agent 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

start=$SECONDS
key_env=()
if command -v gpg >/dev/null && command -v gpgconf >/dev/null; then
  export GNUPGHOME=$tmp/gnupg
  mkdir -m 700 "$GNUPGHOME"
  gpg --batch --quiet --passphrase '' --quick-gen-key "cloudlock install test <install-test@cloudlock.invalid>" rsa3072 sign 1d
  GPG_FINGERPRINT=$(gpg --batch --with-colons --list-secret-keys | awk -F: '$1 == "fpr" {print $10; exit}')
  export GPG_FINGERPRINT
  gpg --batch --armor --export "$GPG_FINGERPRINT" >"$tmp/public.asc"
  key_env=(CLOUDLOCK_DIST_PUBLIC_KEY="$tmp/public.asc")
  echo "== snapshot signed with a key made for this run ($GPG_FINGERPRINT)"
else
  echo "== no gpg: an unsigned snapshot; the tests sign SHA256SUMS with a key of their own"
fi
./internal/tools/scripts/release.sh snapshot "$goreleaser"
echo "== snapshot built in $((SECONDS - start)) s"

start=$SECONDS
echo "== install tests with ${clis//:/, }"
env "${key_env[@]}" TF_ACC=1 CLOUDLOCK_DIST="$PWD/dist" CLOUDLOCK_INSTALL_CLIS="$clis" \
  go test ./internal/installtest -count=1 -v -timeout 20m
echo "== install tests took $((SECONDS - start)) s"
