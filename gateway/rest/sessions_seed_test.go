package rest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/session/game"
	"github.com/proofstell/proofstell/persistence"
)

func TestSeedFields(t *testing.T) {
	t.Parallel()
	const id = "0b7e7f0e-3c1a-4f43-9a57-5d1c2f0e8a11"
	seed := game.LegacySeed(9)
	commitment := game.Commitment(id, seed)
	tests := []struct {
		name       string
		state      persistence.SessionState
		gameSeed   []byte
		commitment string
		seed       string
	}{
		{"waiting", persistence.StateWaiting, seed[:], commitment, ""},
		{"running", persistence.StateRunning, seed[:], commitment, ""},
		{"aborted", persistence.StateAborted, seed[:], commitment, ""},
		{"finished", persistence.StateFinished, seed[:], commitment, seed.Hex()},
		{"stored before seeds had commitments", persistence.StateFinished, nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out sessionResponse
			seedFields(persistence.Session{ID: id, State: tt.state, Seed: 7, GameSeed: tt.gameSeed}, &out)
			require.Equal(t, tt.commitment, out.SeedCommitment)
			require.Equal(t, tt.seed, out.Seed)
		})
	}
}
