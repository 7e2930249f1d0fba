package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/scheduler"
	"github.com/proofstell/proofstell/chain/merkle"
	"github.com/proofstell/proofstell/chain/starknet"
	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/persistence"
)

// TestStarknetFailure_MapsOntoAuth: every verifier error reaches the prover
// as one of auth's classes, the cause kept for the log.
func TestStarknetFailure_MapsOntoAuth(t *testing.T) {
	t.Parallel()
	cause := errors.New("dial tcp: refused")
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"rejected", fmt.Errorf("verify 0x1: %w", starknet.ErrInvalidSignature), auth.ErrInvalidSignature},
		{"malformed", fmt.Errorf("felt 0: %w", starknet.ErrBadSignature), auth.ErrInvalidSignature},
		{"no account", fmt.Errorf("verify 0x1: %w", starknet.ErrAccountNotDeployed), auth.ErrAccountNotDeployed},
		{"node down", fmt.Errorf("verify 0x1: %w: %w", starknet.ErrUnavailable, cause), auth.ErrChainUnavailable},
		{"anything else", cause, auth.ErrChainUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := starknetFailure(tc.err)
			require.ErrorIs(t, got, tc.want)
			require.ErrorIs(t, got, tc.err)
		})
	}
	require.NoError(t, starknetFailure(nil))
}

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
	stored, err := merkle.Build(leaves)
	require.NoError(t, err)
	tree, err := buildProofTree(st)
	require.NoError(t, err)
	require.Equal(t, stored.Root(), tree.Root())

	for name, bad := range map[string][]persistence.PeriodStanding{
		"empty":      nil,
		"bad player": {{Rank: 1, PlayerID: "not-a-uuid", Score: 1}},
		"twice":      {st[0], st[0]},
	} {
		tree, err := buildProofTree(bad)
		require.Error(t, err, name)
		require.True(t, tree == nil, "%s: a failed build is a nil interface", name)
	}
}
