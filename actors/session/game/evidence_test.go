package game

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestGame_FlagMarksTheCheaterOnly: in a match, a too_fast whack flags the
// whacker's result while the honest player's line stays clean, and the
// evidence splits the cheater's flags by reason and keeps the honest
// player's reaction histogram; both survive a snapshot.
func TestGame_FlagMarksTheCheaterOnly(t *testing.T) {
	t.Parallel()
	g := newGame(t, quickMode(), 7, "cheat", "honest")
	m := begin(t, g)
	miss, ok := whack(t, g, Whack{PlayerID: "cheat", Hole: m.Hole, MoleID: m.ID, At: m.UpAt.Add(10 * time.Millisecond)}).(Miss)
	require.True(t, ok)
	require.Equal(t, MissTooFast, miss.Reason)
	require.IsType(t, Hit{}, whack(t, g, Whack{PlayerID: "honest", Hole: m.Hole, MoleID: m.ID, At: m.UpAt.Add(300 * time.Millisecond)}))
	m = moleUp(t, g.Advance(m.UpAt.Add(time.Second)))
	for i := range 16 { // one whack over MaxWhacksPerSecond (15) within a second
		whack(t, g, Whack{PlayerID: "cheat", Hole: otherHole(m.Hole), At: m.UpAt.Add(time.Duration(100+i) * time.Millisecond)})
	}

	for name, game := range map[string]*Game{"live": g, "restored": restored(t, g)} {
		res := game.Result()
		require.True(t, res.Flagged, name)
		lines := map[string]PlayerScore{}
		for _, p := range res.Players {
			lines[p.PlayerID] = p
		}
		require.Equal(t, 2, lines["cheat"].Flags, name)
		require.Zero(t, lines["honest"].Flags, name)

		cheat, ok := game.Evidence("cheat")
		require.True(t, ok)
		require.Equal(t, Evidence{TooFast: 1, RateLimited: 1, Reactions: make([]int, len(ReactionBucketsMs)+1)}, cheat, name)
		honest, _ := game.Evidence("honest")
		want := make([]int, len(ReactionBucketsMs)+1)
		want[7] = 1 // 300 ms falls in [300, 400)
		require.Equal(t, Evidence{Reactions: want}, honest, name)
	}
	_, ok = g.Evidence("stranger")
	require.False(t, ok)
}

func restored(tb testing.TB, g *Game) *Game {
	tb.Helper()
	data, err := g.Snapshot()
	require.NoError(tb, err)
	back, err := Restore(quickMode(), testLimits(), data)
	require.NoError(tb, err)
	return back
}

// TestBucketOf: bounds are exclusive upper limits; the last bucket is open.
func TestBucketOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		ms   int32
		want int
	}{{0, 0}, {99, 0}, {100, 1}, {299, 6}, {300, 7}, {599, 8}, {600, 9}, {5000, 9}} {
		require.Equal(t, tc.want, bucketOf(tc.ms), "%d ms", tc.ms)
	}
}
