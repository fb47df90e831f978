#!/usr/bin/env bash
# Regenerates docs/ from schema descriptions, templates/ and examples/.
# tfplugindocs builds the provider and asks the terraform on PATH for its
# schema; it never downloads terraform because --tf-version is not passed.
set -euo pipefail
cd "$(dirname "$0")/../../.."
tfplugindocs="${1:-tfplugindocs}"
"$tfplugindocs" generate --provider-name cloudlock --rendered-provider-name cloudlock
"$tfplugindocs" validate --provider-name cloudlock
# Action pages come from the provider's own schema (see internal/tools/actiondocs).
go run ./internal/tools/actiondocs
