package postgres_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

func TestStore_EachStanding(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	now := clk.Now()
	var results []persistence.GameResult
	for i := range 3 {
		p := newGuest(t, s)
		results = append(results, soloResult(newSession(t, s, p.ID, now), p, int64(i+1), now))
	}
	commit(t, s, results...)

	var total int64
	require.NoError(t, s.EachStanding(ctxT(t), persistence.BoardKey{Mode: "classic", Board: "global", Period: "all"}, func(st persistence.Standing) error {
		total += st.Score
		return nil
	}))
	require.Equal(t, int64(6), total)

	stop := errors.New("stop")
	calls := 0
	err := s.EachStanding(ctxT(t), persistence.BoardKey{Mode: "classic", Board: "global", Period: "all"}, func(persistence.Standing) error {
		calls++
		return stop
	})
	require.ErrorIs(t, err, stop)
	require.Equal(t, 1, calls, "iteration stops at the first error")

	require.NoError(t, s.EachStanding(ctxT(t), persistence.BoardKey{Mode: "classic", Board: "global", Period: "none"}, func(persistence.Standing) error {
		t.Fatal("empty period has no entries")
		return nil
	}))
}

func TestStore_Ping(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	require.NoError(t, s.Ping(ctxT(t)))
}
