package game

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestGame_MedianReaction: each won mole adds its reaction (whack time minus
// spawn minus the lag allowance); the median survives a snapshot.
func TestGame_MedianReaction(t *testing.T) {
	t.Parallel()
	g := newGame(t, quickMode(), 42, "a")
	m := begin(t, g)
	require.Zero(t, g.Result().Players[0].MedianReaction, "no won mole yet")
	reactions := []struct {
		after, rtt time.Duration
	}{{300 * time.Millisecond, 0}, {500 * time.Millisecond, 100 * time.Millisecond}, {250 * time.Millisecond, 0}, {700 * time.Millisecond, 0}}
	for i, r := range reactions {
		at := m.UpAt.Add(r.after)
		require.IsType(t, Hit{}, whack(t, g, Whack{PlayerID: "a", Hole: m.Hole, MoleID: m.ID, At: at, RTT: r.rtt}), "mole %d", i)
		if i < len(reactions)-1 {
			m = moleUp(t, g.Advance(m.UpAt.Add(time.Second)))
		}
	}
	// Samples 300, 400 (500 − 100 allowance), 250, 700: median (300+400)/2.
	require.Equal(t, 350*time.Millisecond, g.Result().Players[0].MedianReaction)

	data, err := g.Snapshot()
	require.NoError(t, err)
	back, err := Restore(quickMode(), testLimits(), data)
	require.NoError(t, err)
	require.Equal(t, 350*time.Millisecond, back.Result().Players[0].MedianReaction)
}
