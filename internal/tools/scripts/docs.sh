#!/usr/bin/env bash
# Regenerates docs/ from schema descriptions, templates/ and examples/.
# tfplugindocs builds the provider and asks `terraform providers schema` for
# its schema; it never downloads terraform because --tf-version is not passed.
# Actions and list resources are in that schema only from Terraform 1.14 on,
# so the CLI given here (make docs passes TERRAFORM_115) must be 1.14 or later:
# with an older one tfplugindocs would delete their pages.
set -euo pipefail
cd "$(dirname "$0")/../../.."
tfplugindocs="${1:-tfplugindocs}"
terraform="${2:-terraform}"
terraform=$(command -v "$terraform") || { echo "docs: no terraform CLI at ${2:-terraform}" >&2; exit 1; }
version=$("$terraform" version | sed -n '1s/^Terraform v\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
read -r major minor <<<"${version:-0 0}"
if [ "$major" -lt 1 ] || { [ "$major" = 1 ] && [ "$minor" -lt 14 ]; }; then
  echo "docs: $terraform is not Terraform 1.14 or later, which the action and list-resource pages need;" >&2
  echo "      run make docs TERRAFORM_115=/path/to/terraform-1.14+ (CI uses ../shared/tools/terraform-1.15.9)" >&2
  exit 1
fi
# tfplugindocs looks for a binary named terraform on PATH.
bindir=$(mktemp -d)
trap 'rm -rf "$bindir"' EXIT
ln -s "$terraform" "$bindir/terraform"
PATH="$bindir:$PATH" "$tfplugindocs" generate --provider-name cloudlock --rendered-provider-name cloudlock
PATH="$bindir:$PATH" "$tfplugindocs" validate --provider-name cloudlock
# Every type's page shows an example: tfplugindocs leaves the section out
# when examples/<kind>/<type>/ has none.
missing=0
for page in docs/resources/*.md docs/data-sources/*.md docs/ephemeral-resources/*.md docs/actions/*.md docs/list-resources/*.md; do
  grep -q '^## Example Usage' "$page" || { echo "docs: $page has no example (add one under examples/)" >&2; missing=1; }
done
[ "$missing" = 0 ]
