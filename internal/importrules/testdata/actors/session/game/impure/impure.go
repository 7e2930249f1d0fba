// Package impure is a lint fixture, never built with the server: a rules
// package importing the actor runtime and a store contract, which depguard
// must reject.
package impure

import (
	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/persistence"
)

// Judge uses both forbidden imports so the fixture type-checks.
func Judge(_ *actor.PID) error { return persistence.ErrNotFound }
