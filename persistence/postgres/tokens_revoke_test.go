package postgres_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

func TestStore_RevokeFamilyAndPlayer(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	p, other := newGuest(t, s), newGuest(t, s)
	now := clk.Now()
	mk := func(player, family, name string) {
		require.NoError(t, s.CreateRefresh(ctxT(t), persistence.RefreshToken{FamilyID: family, PlayerID: player,
			Hash: hashOf(name), ExpiresAt: now.Add(time.Hour)}))
	}
	famA, famB, famO := uuid.NewString(), uuid.NewString(), uuid.NewString()
	mk(p.ID, famA, "a")
	mk(p.ID, famB, "b")
	mk(other.ID, famO, "o")
	rotate := func(old, next string) error {
		_, err := s.RotateRefresh(ctxT(t), hashOf(old), persistence.RefreshToken{Hash: hashOf(next), ExpiresAt: now.Add(time.Hour)}, now)
		return err
	}

	require.NoError(t, s.RevokeFamily(ctxT(t), other.ID, famA, now), "another player's family is not touched")
	require.NoError(t, s.RevokeFamily(ctxT(t), p.ID, famA, now))
	require.NoError(t, s.RevokeFamily(ctxT(t), p.ID, famA, now), "idempotent")
	require.ErrorIs(t, rotate("a", "a2"), persistence.ErrExpired)
	require.NoError(t, rotate("b", "b2"))

	require.NoError(t, s.RevokePlayer(ctxT(t), p.ID, now))
	require.ErrorIs(t, rotate("b2", "b3"), persistence.ErrExpired)
	require.NoError(t, rotate("o", "o2"), "other players keep their sessions")
	require.NoError(t, s.RevokePlayer(ctxT(t), "not-a-uuid", now))
}
