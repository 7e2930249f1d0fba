package postgres_test

import (
	"crypto/sha256"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

func hashOf(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

func TestStore_CreateRefresh(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	p := newGuest(t, s)
	tok := persistence.RefreshToken{PlayerID: p.ID, Hash: hashOf("a"), ExpiresAt: clk.Now().Add(time.Hour)}
	require.NoError(t, s.CreateRefresh(ctxT(t), tok))
	require.ErrorIs(t, s.CreateRefresh(ctxT(t), tok), persistence.ErrConflict, "same hash twice")
	unknown := persistence.RefreshToken{PlayerID: uuid.NewString(), Hash: hashOf("b"), ExpiresAt: clk.Now().Add(time.Hour)}
	require.ErrorIs(t, s.CreateRefresh(ctxT(t), unknown), persistence.ErrNotFound)
}

func TestStore_RotateRefresh(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	p := newGuest(t, s)
	now := clk.Now()
	first := persistence.RefreshToken{ID: uuid.NewString(), FamilyID: uuid.NewString(), PlayerID: p.ID,
		Hash: hashOf("t1"), ExpiresAt: now.Add(time.Hour)}
	require.NoError(t, s.CreateRefresh(ctxT(t), first))

	// Rotation retires t1 and stores t2 in the same family.
	old, err := s.RotateRefresh(ctxT(t), hashOf("t1"),
		persistence.RefreshToken{Hash: hashOf("t2"), ExpiresAt: now.Add(time.Hour)}, now)
	require.NoError(t, err)
	require.Equal(t, first.ID, old.ID)
	require.Equal(t, first.FamilyID, old.FamilyID)
	require.Equal(t, p.ID, old.PlayerID)

	// t2 rotates normally to t3.
	_, err = s.RotateRefresh(ctxT(t), hashOf("t2"),
		persistence.RefreshToken{Hash: hashOf("t3"), ExpiresAt: now.Add(time.Hour)}, now)
	require.NoError(t, err)

	// Presenting t1 again is reuse: the family is revoked, t3 is dead.
	_, err = s.RotateRefresh(ctxT(t), hashOf("t1"),
		persistence.RefreshToken{Hash: hashOf("t4"), ExpiresAt: now.Add(time.Hour)}, now)
	require.ErrorIs(t, err, persistence.ErrTokenReused)
	_, err = s.RotateRefresh(ctxT(t), hashOf("t3"),
		persistence.RefreshToken{Hash: hashOf("t5"), ExpiresAt: now.Add(time.Hour)}, now)
	require.ErrorIs(t, err, persistence.ErrExpired, "newest token of a revoked family is refused")
}

func TestStore_RotateRefresh_Errors(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	p := newGuest(t, s)
	now := clk.Now()
	require.NoError(t, s.CreateRefresh(ctxT(t), persistence.RefreshToken{PlayerID: p.ID, Hash: hashOf("exp"), ExpiresAt: now}))
	tests := []struct {
		name    string
		hash    []byte
		wantErr error
	}{
		{name: "unknown", hash: hashOf("nope"), wantErr: persistence.ErrNotFound},
		{name: "expired", hash: hashOf("exp"), wantErr: persistence.ErrExpired},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.RotateRefresh(ctxT(t), tc.hash,
				persistence.RefreshToken{Hash: hashOf(tc.name + "-next"), ExpiresAt: now.Add(time.Hour)}, now)
			require.ErrorIs(t, err, tc.wantErr)
		})
	}
}
