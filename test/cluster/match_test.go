package cluster

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestCluster_MatchAcrossNodes: two players on different members play one
// shared-board match; the session lives on one of them, so at least one
// player's moles, whacks and hits cross nodes. Both see every mole, and
// each mole is won exactly once.
func TestCluster_MatchAcrossNodes(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 2 members and plays a 6 s match")
	}
	t.Parallel()
	g := startAutomanaged(t, 2)
	alice, bob := guest(t, g.members[0], "cluster-match-alice"), guest(t, g.members[1], "cluster-match-bob")
	wa, wb := dial(t, g.members[0], alice), dial(t, g.members[1], bob)

	before := g.sessionCounts()
	var created struct{ SessionID, Code string }
	wa.mustCall(t, "game:create", map[string]any{"mode": modeShort, "maxPlayers": 2}, &created)
	host := g.hostAfter(t, before)
	t.Logf("match %s hosted on %s; alice on m0, bob on m1", created.SessionID, host.name)

	var joined struct{ SessionID string }
	wb.mustCall(t, "game:join", map[string]string{"code": created.Code}, &joined)
	require.Equal(t, created.SessionID, joined.SessionID)

	ga, gb := newGame(created.SessionID), newGame(created.SessionID)
	ga.reaction, gb.reaction = reaction, reaction+150*time.Millisecond
	done := make(chan error, 1)
	go func() { done <- gb.play(wb, gameWithin) }()
	require.NoError(t, ga.play(wa, gameWithin))
	require.NoError(t, <-done)

	require.Equal(t, ga.over, gb.over, "both players get the same game:over")
	require.GreaterOrEqual(t, len(ga.moles), 15)
	require.Equal(t, moleIDs(ga.moles), moleIDs(gb.moles), "both players see every mole")
	require.Equal(t, ga.wins, gb.wins, "both players see every mole's hit")
	for mole, n := range ga.wins {
		require.Equal(t, 1, n, "mole %d won more than once", mole)
	}
	won := len(ga.wins)
	require.GreaterOrEqual(t, won, len(ga.moles)-1, "every mole is whacked while up")
	require.Equal(t, won, ga.hits+gb.hits, "each won mole is one player's hit")
	require.GreaterOrEqual(t, ga.misses["taken"]+gb.misses["taken"], won-1, "the other player is told the mole was taken")
	for _, gm := range []*game{ga, gb} {
		for reason := range gm.misses {
			require.Equal(t, "taken", reason, "only taken misses: %v", gm.misses)
		}
	}
	scoreA, scoreB := ga.score(t, alice.id), gb.score(t, bob.id)
	require.EqualValues(t, ga.hits, scoreA.Score)
	require.EqualValues(t, gb.hits, scoreB.Score)
	g.requireOneResult(t, created.SessionID, map[string]int64{alice.id: scoreA.Score, bob.id: scoreB.Score})
}

func moleIDs(moles map[int64]bool) []int64 {
	return slices.Sorted(maps.Keys(moles))
}
