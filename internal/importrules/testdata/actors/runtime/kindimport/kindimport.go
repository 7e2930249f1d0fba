// Package kindimport is a lint fixture, never built with the server: a
// runtime package importing an actor kind, which depguard must reject.
package kindimport

import "github.com/proofstell/proofstell/actors/session"

// Deps uses the forbidden import so the fixture type-checks.
type Deps = session.Deps
