package upgrade

import "regexp"

// The objects whose schema form became a block in 0.1.0 (CHANGELOG,
// BREAKING CHANGES): a configuration wrote `timeouts = { ... }`, it now
// writes `timeouts { ... }`.
var (
	attributeOpener = regexp.MustCompile(`(?m)^(\s*)(huaweicloud|alicloud|endpoints|assume_role|assume_role_with_oidc|rate_limits|timeouts) = \{$`)
	blockOpener     = regexp.MustCompile(`(?m)^(\s*)(huaweicloud|alicloud|endpoints|assume_role|assume_role_with_oidc|rate_limits|timeouts) \{$`)
)

// BlockSyntax rewrites a configuration written for a build before 0.1.0 as
// the CHANGELOG tells a user to: every `name = {` line of those objects
// becomes `name {`. The tests apply it to the configurations the old builds
// applied.
func BlockSyntax(config string) string {
	return attributeOpener.ReplaceAllString(config, "$1$2 {")
}

// AttributeSyntax is BlockSyntax undone: today's configurations as a build
// before 0.1.0 takes them (upgradefixtures, for such a revision).
func AttributeSyntax(config string) string {
	return blockOpener.ReplaceAllString(config, "$1$2 = {")
}
