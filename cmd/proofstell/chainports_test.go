package main

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/scheduler"
	"github.com/proofstell/proofstell/chain/merkle"
	"github.com/proofstell/proofstell/persistence"
)

// TestBuildProofTree_SchedulersTree: the proof route rebuilds exactly the
// tree whose root the scheduler stored, and a failed build is a nil
// interface (not a nil *merkle.Tree inside a non-nil one).
func TestBuildProofTree_SchedulersTree(t *testing.T) {
	t.Parallel()
	st := []persistence.PeriodStanding{
		{Rank: 1, PlayerID: uuid.NewString(), Score: 30},
		{Rank: 2, PlayerID: uuid.NewString(), Score: 20},
		{Rank: 2, PlayerID: uuid.NewString(), Score: 20},
	}
	leaves, err := scheduler.Leaves(st)
	require.NoError(t, err)
	stored, err := merkle.Build(merkle.LeafV1, leaves)
	require.NoError(t, err)
	tree, err := buildProofTree(1, st)
	require.NoError(t, err)
	require.Equal(t, stored.Root(), tree.Root())

	for name, bad := range map[string][]persistence.PeriodStanding{
		"empty":      nil,
		"bad player": {{Rank: 1, PlayerID: "not-a-uuid", Score: 1}},
		"twice":      {st[0], st[0]},
	} {
		tree, err := buildProofTree(2, bad)
		require.Error(t, err, name)
		require.True(t, tree == nil, "%s: a failed build is a nil interface", name)
	}
}
