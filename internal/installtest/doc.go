// Package installtest installs the release packages that `make
// release-snapshot` writes to dist/ through the real CLIs (Terraform and
// OpenTofu), the way a team installs a published provider: from a private
// registry that signs its checksums, from a network mirror and from a
// filesystem mirror, with no dev_overrides. Each install is followed by a
// plan and apply against the mock cloud through the installed binary.
//
// The tests skip unless TF_ACC is set and dist/ (or CLOUDLOCK_DIST) holds
// packages; `make test-install` builds the snapshot and runs them.
package installtest
