package main

import (
	"github.com/proofstell/proofstell/actors/scheduler"
	"github.com/proofstell/proofstell/chain/merkle"
	"github.com/proofstell/proofstell/gateway/rest"
	"github.com/proofstell/proofstell/persistence"
)

// The gateway imports no chain/… package: it declares what it needs from a
// chain and cmd fills it in. Wallet sign-in comes from internal/walletchains
// (shared with the gateway tests); the proof tree is built here.
var _ rest.BuildProofTree = buildProofTree

// buildProofTree is rest.BuildProofTree: the scheduler's leaf encoding
// hashed by chain/merkle, the same tree whose root the scheduler stored.
func buildProofTree(version int, standings []persistence.PeriodStanding) (rest.ProofTree, error) {
	leaves, err := scheduler.Leaves(standings)
	if err != nil {
		return nil, err
	}
	tree, err := merkle.Build(merkle.LeafVersion(version), leaves)
	if err != nil {
		return nil, err // not tree: a nil *merkle.Tree in the interface would not be nil
	}
	return tree, nil
}
