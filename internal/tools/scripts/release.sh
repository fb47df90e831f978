#!/usr/bin/env bash
# make release-snapshot / make release: goreleaser (.goreleaser.yml) writes
# dist/ in the layout the Terraform and OpenTofu registries take — one zip per
# platform, terraform-provider-cloudlock_<version>_SHA256SUMS (listing the
# manifest too), its detached signature when a key is given, and
# terraform-provider-cloudlock_<version>_manifest.json. docs/RELEASE.md.
#   release.sh snapshot|release GORELEASER
# Environment: VERSION (the version to build), GPG_FINGERPRINT (the key that
# signs SHA256SUMS; required for a release), SNAPSHOT_ALL=1 (a snapshot of
# every platform), PUBLISH=1 (a release also uploads to GitHub: GITHUB_TOKEN).
set -euo pipefail
cd "$(dirname "$0")/../../.."
mode=${1:?usage: release.sh snapshot|release GORELEASER}
goreleaser=${2:?usage: release.sh snapshot|release GORELEASER}
version=${VERSION:?VERSION must be set}
export VERSION=$version

case $mode in
  snapshot)
    skip=publish
    # Unsigned unless a key is named: a snapshot is built on any machine.
    [ -n "${GPG_FINGERPRINT:-}" ] || skip=$skip,sign
    "$goreleaser" release --snapshot --clean --skip="$skip"
    ;;
  release)
    [ -n "${GPG_FINGERPRINT:-}" ] || { echo "release: GPG_FINGERPRINT must name the key the registry knows (docs/RELEASE.md)" >&2; exit 1; }
    [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || { echo "release: VERSION=$version is not a version (x.y.z)" >&2; exit 1; }
    tag=v$version
    # goreleaser takes the version from the tag: it must be this commit's.
    [ "$(git rev-parse -q --verify "refs/tags/$tag^{commit}" || true)" = "$(git rev-parse HEAD)" ] ||
      { echo "release: tag $tag is not on HEAD: git tag -s $tag (docs/RELEASE.md)" >&2; exit 1; }
    flags=(--clean)
    [ -n "${PUBLISH:-}" ] || flags+=(--skip=publish)
    GORELEASER_CURRENT_TAG=$tag "$goreleaser" release "${flags[@]}"
    ;;
  *) echo "release.sh: mode $mode is neither snapshot nor release" >&2; exit 1 ;;
esac

# goreleaser checksums the manifest and uploads it with a release, but does
# not put it in dist/: the registry layout has it beside SHA256SUMS.
cp terraform-registry-manifest.json "dist/terraform-provider-cloudlock_${version}_manifest.json"
echo "== dist/ ($mode $version)"
ls -l dist/terraform-provider-cloudlock_"${version}"_*
