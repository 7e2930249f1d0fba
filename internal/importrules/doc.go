// Package importrules proves the import rules that .golangci.yml's depguard
// enforces (docs/ARCHITECTURE.md, "Packages and imports"): its test runs
// the pinned golangci-lint with the project's own configuration on fixture
// packages that break a rule, and requires each to be rejected by that
// rule and nothing else.
//
// Fixtures live under testdata/, which `./...` skips, so `make lint` never
// sees them. Their paths mirror the module's tree (testdata/gateway/… is
// linted as gateway code) because depguard picks rules by file path. To
// prove a new rule, add a fixture directory and a row to the test's table.
package importrules
