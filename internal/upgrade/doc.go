// Package upgrade checks that states written by earlier builds of the
// provider keep working with this one: each fixture in testdata/<revision>/
// was written by that revision's build through a real CLI
// (internal/tools/upgradefixtures), and the tests plan and apply it with
// the provider of today through the CLI under test.
package upgrade
