// Package reliability holds the provider's reliability and security suite:
// every cloud operation under every fault (fault matrix), interrupted
// applies, a table of bad configurations, secrets in logs, plans, state and
// fixtures, a load test and fuzz targets — all against the mock cloud, run
// by `make test`. The package has no code of its own beyond this comment:
// everything is in its tests. ops_test.go lists the operations and types
// the suite covers; a new type joins it there, one entry per operation.
package reliability
