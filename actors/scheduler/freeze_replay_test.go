package scheduler_test

import (
	"crypto/sha256"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/actors/scheduler"
	"github.com/proofstell/proofstell/actors/session/game"
	"github.com/proofstell/proofstell/chain/merkle"
	"github.com/proofstell/proofstell/persistence"
)

// commitReplayGame commits a finished ranked solo game of a new player
// with score, its standing on key and its packed replay, with the replay's
// hash when hashed (as the session stores it) or without (a replay stored
// before migration 029); it returns the player, the session and the
// replay hash the replay endpoint would serve.
func commitReplayGame(t *testing.T, w *world, key persistence.BoardKey, score int64, hashed bool) (string, string, [32]byte) {
	t.Helper()
	p, _, err := w.store.GuestByDevice(w.ctx, "device-"+uuid.NewString())
	require.NoError(t, err)
	start := ts("2026-11-23T09:00:00Z")
	g, err := game.New(game.Mode{Name: key.Mode, Rows: 3, Cols: 3, Duration: 2 * time.Second, SpawnInterval: time.Second,
		Visible: 800 * time.Millisecond, MaxMolesUp: 1, HitPoints: 1}, game.Limits{LagCap: time.Second,
		MinReaction: time.Millisecond, MaxWhacksPerSecond: 15}, game.LegacySeed(uint64(score)), 1, p.ID)
	require.NoError(t, err)
	_, err = g.Begin(start)
	require.NoError(t, err)
	id := uuid.NewString()
	require.NoError(t, w.store.CreateSession(w.ctx, persistence.Session{ID: id, Mode: key.Mode, Kind: persistence.KindSolo,
		MaxPlayers: 1, CreatorID: p.ID, PlayerIDs: []string{p.ID}, State: persistence.StateRunning, CreatedAt: start}))
	packed, hash := game.PackReplayHashed(g.Replay(id))
	res := persistence.GameResult{SessionID: id, Epoch: 1, State: persistence.StateFinished, Ranked: true,
		StartedAt: start, EndedAt: start.Add(2 * time.Second),
		Players: []persistence.PlayerResult{{PlayerID: p.ID, Username: "u", Score: score}},
		Standings: []persistence.StandingRecord{{Mode: key.Mode, Board: key.Board, Period: key.Period, PlayerID: p.ID,
			Username: "u", Score: score, AchievedAt: start, SessionID: id}},
		Replay: packed}
	if hashed {
		res.ReplayHash = hash[:]
	}
	out, err := w.store.CommitResults(w.ctx, []persistence.GameResult{res})
	require.NoError(t, err)
	require.Equal(t, []persistence.CommitOutcome{persistence.Committed}, out)
	return p.ID, id, hash
}

// TestFreezeBoard_LeavesCarryTheReplayHash: a new period is frozen as v2
// and each leaf holds the replay hash of the game that set the standing,
// whether the hash was stored with the replay or the replay predates
// stored hashes; a game without a replay holds zeros.
func TestFreezeBoard_LeavesCarryTheReplayHash(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	key := persistence.BoardKey{Mode: "classic", Board: "daily", Period: "2026-11-23"}
	p1, s1, h1 := commitReplayGame(t, w, key, 30, true)
	p2, s2, h2 := commitReplayGame(t, w, key, 20, false)
	recs := seedModeRecords(t, w, "classic", "daily", "2026-11-23", 1, 3) // no replay, score below 20
	require.Less(t, recs[0].Score, int64(20))

	out, err := scheduler.FreezeBoard(w.ctx, scheduler.Deps{Standings: w.store, Periods: w.store}, w.lead("node-a"),
		standings.Key{Mode: "classic", Board: standings.Daily, Period: "2026-11-23"})
	require.NoError(t, err)
	require.Equal(t, scheduler.FreezeFrozen, out.Result)
	require.Equal(t, 2, out.Root.LeafVersion)
	got := out.Standings
	require.Len(t, got, 3)
	require.Equal(t, []string{p1, p2, recs[0].PlayerID}, []string{got[0].PlayerID, got[1].PlayerID, got[2].PlayerID})
	require.Equal(t, []string{s1, s2, recs[0].SessionID}, []string{got[0].SessionID, got[1].SessionID, got[2].SessionID})
	require.Equal(t, h1[:], got[0].ReplayHash)
	require.Equal(t, h2[:], got[1].ReplayHash, "a replay stored without its hash is hashed at the freeze")
	require.Nil(t, got[2].ReplayHash)
	require.NotEqual(t, sha256.Sum256(nil), h1)

	leaves, err := scheduler.Leaves(got)
	require.NoError(t, err)
	require.Equal(t, h2, leaves[1].ReplayHash)
	tree, err := merkle.Build(merkle.LeafV2, leaves)
	require.NoError(t, err)
	require.Equal(t, tree.Root(), out.Root.Root)
	back, err := w.store.PeriodStandings(w.ctx, key)
	require.NoError(t, err)
	require.Equal(t, h2[:], back[1].ReplayHash)
	stored, err := w.store.PeriodRoot(w.ctx, key)
	require.NoError(t, err)
	require.Equal(t, 2, stored.LeafVersion)
}
