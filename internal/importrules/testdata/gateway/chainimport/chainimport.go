// Package chainimport is a lint fixture, never built with the server: a
// gateway package importing chain/…, which depguard must reject.
package chainimport

import "github.com/proofstell/proofstell/chain/merkle"

// ErrEmpty uses the forbidden import so the fixture type-checks.
var ErrEmpty = merkle.ErrEmpty
