package postgres_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

func TestStore_Modes(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	modes, err := s.Modes(ctxT(t))
	require.NoError(t, err)
	names := make([]string, len(modes))
	for i, m := range modes {
		names[i] = m.Name
	}
	require.Equal(t, []string{"classic", "classic-easy", "classic-hard", "frenzy"}, names)
}

func TestStore_Mode(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	classic, err := s.Mode(ctxT(t), "classic")
	require.NoError(t, err)
	require.Equal(t, persistence.Mode{
		Name: "classic", Level: "normal", Rows: 3, Cols: 3, Duration: 30 * time.Second,
		SpawnInterval: time.Second, Visible: 800 * time.Millisecond, MaxMolesUp: 1, HitPoints: 1,
		Countdown: 3 * time.Second, MaxPlayers: 8, Active: true, Ranked: true, Version: 1,
	}, classic)

	frenzy, err := s.Mode(ctxT(t), "frenzy")
	require.NoError(t, err)
	require.Equal(t, 4, frenzy.Rows)
	require.Equal(t, 3, frenzy.MaxMolesUp)
	require.InDelta(t, 0.1, frenzy.GoldenChance, 1e-9)
	require.Equal(t, 5, frenzy.GoldenPoints)
	require.InDelta(t, 0.1, frenzy.BombChance, 1e-9)
	require.Equal(t, 3, frenzy.BombPenalty)

	_, err = s.Mode(ctxT(t), "nope")
	require.ErrorIs(t, err, persistence.ErrNotFound)
}
