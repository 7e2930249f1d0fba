package postgres_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

// Concurrent batches over the same players and boards (several nodes
// committing at once) must neither deadlock nor lose counts.
func TestStore_CommitResults_Concurrent(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	now := clk.Now()
	players := []persistence.Player{newGuest(t, s), newGuest(t, s), newGuest(t, s)}
	const writers, perWriter = 4, 30
	batches := make([][]persistence.GameResult, writers)
	for w := range batches {
		for i := range perWriter {
			// Each writer walks the players in a different order.
			p := players[(i+w)%len(players)]
			batches[w] = append(batches[w], soloResult(newSession(t, s, p.ID, now), p, int64(i), now))
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for w := range batches {
		wg.Go(func() { _, errs[w] = s.CommitResults(ctxT(t), batches[w]) })
	}
	wg.Wait()
	var games int64
	for w := range errs {
		require.NoError(t, errs[w])
	}
	for _, p := range players {
		st, err := s.Stats(ctxT(t), p.ID)
		require.NoError(t, err)
		games += st.GamesPlayed
	}
	require.Equal(t, int64(writers*perWriter), games)
}
