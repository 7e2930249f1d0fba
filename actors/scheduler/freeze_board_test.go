package scheduler_test

import (
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/actors/scheduler"
	"github.com/proofstell/proofstell/chain/merkle"
	"github.com/proofstell/proofstell/persistence"
)

// TestFreezeBoard_ChallengeKey: the exported freeze ranks a challenge's
// board (its period is the challenge id) apart from every other board,
// stores its root and standings once, returns the final ranks, and a
// repeat (a takeover's end job) changes nothing.
func TestFreezeBoard_ChallengeKey(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	recs := seedModeRecords(t, w, "frenzy", "challenge", "daily-2026-11-24", 40, 3)
	seedModeRecords(t, w, "frenzy", "challenge", "other-challenge", 10, 5)
	seedModeRecords(t, w, "classic", "daily", "2026-11-24", 10, 9)
	lease := w.lead("node-a")
	deps := scheduler.Deps{Standings: w.store, Periods: w.store}
	key := standings.ChallengeKey("frenzy", "daily-2026-11-24")

	out, err := scheduler.FreezeBoard(w.ctx, deps, lease, key)
	require.NoError(t, err)
	require.Equal(t, scheduler.FreezeFrozen, out.Result)
	want := expectedRanking(recs)
	require.Len(t, out.Standings, len(want))
	leaves := make([]merkle.Leaf, len(want))
	for i, r := range want {
		require.Equal(t, persistence.PeriodStanding{Rank: i + 1, PlayerID: r.PlayerID, Score: r.Score,
			AchievedAt: r.AchievedAt, SessionID: r.SessionID}, withUTC(out.Standings[i]))
		leaves[i] = merkle.Leaf{Rank: uint64(i + 1), Player: uuid.MustParse(r.PlayerID), Score: uint64(r.Score)}
	}
	tree, err := merkle.Build(merkle.LeafV2, leaves)
	require.NoError(t, err)
	require.Equal(t, persistence.PeriodRoot{Mode: "frenzy", Board: "challenge", Period: "daily-2026-11-24",
		Root: tree.Root(), LeafCount: 40, LeafVersion: 2, Status: persistence.RootPending}, out.Root)

	stored, err := w.store.PeriodRoot(w.ctx, out.Root.Key())
	require.NoError(t, err)
	require.Equal(t, tree.Root(), stored.Root)
	back, err := w.store.PeriodStandings(w.ctx, out.Root.Key())
	require.NoError(t, err)
	require.Equal(t, out.Standings, back)
	require.Len(t, readRoots(t, w), 1, "only the challenge's board was frozen")

	again, err := scheduler.FreezeBoard(w.ctx, deps, lease, key)
	require.NoError(t, err)
	require.Equal(t, scheduler.FreezeAlreadyFrozen, again.Result)
	require.Equal(t, stored, again.Root)
	require.Nil(t, again.Standings)

	empty, err := scheduler.FreezeBoard(w.ctx, deps, lease, standings.ChallengeKey("frenzy", "nobody-played"))
	require.NoError(t, err)
	require.Equal(t, scheduler.FreezeEmpty, empty.Result)
}

// TestFreezeBoard_Refuses a stale lease, a malformed key and missing stores.
func TestFreezeBoard_Refuses(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	seedModeRecords(t, w, "frenzy", "challenge", "c1", 3, 3)
	old := w.lead("node-a")
	w.lead("node-b")
	deps := scheduler.Deps{Standings: w.store, Periods: w.store}

	_, err := scheduler.FreezeBoard(w.ctx, deps, old, standings.ChallengeKey("frenzy", "c1"))
	require.ErrorIs(t, err, persistence.ErrStaleEpoch)
	_, err = scheduler.FreezeBoard(w.ctx, deps, old, standings.ChallengeKey("frenzy", "Bad/Id"))
	require.ErrorIs(t, err, standings.ErrBadKey)
	_, err = scheduler.FreezeBoard(w.ctx, deps, old, standings.Key{Mode: "classic", Board: standings.Global, Period: "all"})
	require.ErrorIs(t, err, standings.ErrBadKey)
	_, err = scheduler.FreezeBoard(w.ctx, scheduler.Deps{}, old, standings.ChallengeKey("frenzy", "c1"))
	require.True(t, errors.Is(err, scheduler.ErrFreezeOff))
	require.Empty(t, readRoots(t, w))
}
