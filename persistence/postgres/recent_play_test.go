package postgres_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

// TestStore_RecentPlay: the detector's counts are stored with each result
// and read back per player, newest first, at most limit; voided results,
// aborted games and rows without counts (before migration 030) are not
// read.
func TestStore_RecentPlay(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ps := guests(t, s, 3)
	ann, bob, cat := ps[0], ps[1], ps[2]
	for i := range 4 {
		clk.Advance(time.Minute)
		r := ratedMatch(newMatchSession(t, s, "classic", ps[:2], clk.Now()), ps[:2], []int64{5, 3}, clk.Now())
		r.Players[0].Spread = persistence.Spread{Samples: 20 + i, InBand: 10 + i}
		r.Players[0].Misses = i
		r.Players[1].Spread = persistence.Spread{Samples: 7, InBand: 9} // more in band than won: clamped
		if i == 3 {
			r.Players[1].Voided = persistence.AbortBanned
		}
		commit(t, s, r)
	}
	clk.Advance(time.Minute)
	aborted := ratedMatch(newMatchSession(t, s, "classic", ps[:2], clk.Now()), ps[:2], []int64{1, 1}, clk.Now())
	aborted.State, aborted.Players[0].Spread = persistence.StateAborted, persistence.Spread{Samples: 99, InBand: 99}
	commit(t, s, aborted)

	got, err := s.RecentPlay(ctxT(t), []string{ann.ID, bob.ID, cat.ID, "not-a-uuid"}, 3)
	require.NoError(t, err)
	require.Equal(t, []persistence.RecentPlay{
		{Spread: persistence.Spread{Samples: 23, InBand: 13}, Hits: 5, Misses: 3},
		{Spread: persistence.Spread{Samples: 22, InBand: 12}, Hits: 5, Misses: 2},
		{Spread: persistence.Spread{Samples: 21, InBand: 11}, Hits: 5, Misses: 1},
	}, got[ann.ID], "newest first, at most limit, the aborted game left out")
	require.Equal(t, []persistence.RecentPlay{
		{Spread: persistence.Spread{Samples: 7, InBand: 7}, Hits: 3},
		{Spread: persistence.Spread{Samples: 7, InBand: 7}, Hits: 3},
		{Spread: persistence.Spread{Samples: 7, InBand: 7}, Hits: 3},
	}, got[bob.ID], "the voided result is left out")
	require.NotContains(t, got, cat.ID, "a player without games")

	none, err := s.RecentPlay(ctxT(t), []string{"not-a-uuid"}, 3)
	require.NoError(t, err)
	require.Empty(t, none)
}
