package rest

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/leaderboard"
	"github.com/proofstell/proofstell/actors/runtime/grains"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// newLeaderboardClient serves leaderboard grains in a local actor system
// that rebuilds from store, as a node does.
func newLeaderboardClient(t testing.TB, store *postgres.Store) *leaderboard.Client {
	t.Helper()
	quiet := actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return slog.New(slog.DiscardHandler) })
	system := actor.NewActorSystem(quiet)
	base, cancel := context.WithCancel(context.Background())
	metrics, err := leaderboard.NewMetrics(nil)
	require.NoError(t, err)
	props := leaderboard.Props(leaderboard.Deps{
		Standings: store, Now: func() time.Time { return testNow }, Base: base, Metrics: metrics,
		Config: config.Leaderboard{PublishInterval: time.Hour, TopN: 3, IdleTimeout: time.Hour},
	})
	dir := grains.NewLocalDirectory(system.Root, map[string]*actor.Props{grains.KindLeaderboard: props})
	t.Cleanup(func() {
		cancel()
		system.Shutdown()
	})
	return leaderboard.NewClient(system.Root, dir, nil)
}

// commitStanding stores a finished solo game of player with a global and
// daily standing.
func commitStanding(t testing.TB, store *postgres.Store, p playerSummary, score int64, at time.Time) {
	t.Helper()
	commitStandingIn(t, store, "classic", p, score, at)
}

// commitStandingIn commits a finished game of mode whose standings reach
// the mode's global and daily boards.
func commitStandingIn(t testing.TB, store *postgres.Store, mode string, p playerSummary, score int64, at time.Time) {
	t.Helper()
	ss := persistence.Session{ID: uuid.NewString(), Mode: mode, Kind: persistence.KindSolo, MaxPlayers: 1,
		CreatorID: p.ID, PlayerIDs: []string{p.ID}, State: persistence.StateRunning, CreatedAt: at.Add(-time.Minute)}
	require.NoError(t, store.CreateSession(t.Context(), ss))
	rec := func(board, period string) persistence.StandingRecord {
		return persistence.StandingRecord{Mode: mode, Board: board, Period: period, PlayerID: p.ID, Username: p.Username,
			Score: score, AchievedAt: at, SessionID: ss.ID}
	}
	_, err := store.CommitResults(t.Context(), []persistence.GameResult{{
		SessionID: ss.ID, Epoch: 1, State: persistence.StateFinished, StartedAt: ss.CreatedAt, EndedAt: at,
		Players:   []persistence.PlayerResult{{PlayerID: p.ID, Username: p.Username, Score: score, ReachedAt: at}},
		Standings: []persistence.StandingRecord{rec("global", "all"), rec("daily", "2026-11-24")},
	}})
	require.NoError(t, err)
}

// TestLeaderboards_RealClient runs the leaderboard routes against real
// grains rebuilt from real Postgres standings.
func TestLeaderboards_RealClient(t *testing.T) {
	t.Parallel()
	store := openStore(t)
	client := newLeaderboardClient(t, store)
	tokens := auth.NewTokens(testAuth(), store, store, func() time.Time { return testNow }, rand.Reader)
	h := newHarness(t, tokens, store, store, func(d *Deps) { d.Leaderboards = client })

	players := make([]tokenResponse, 3)
	for i := range players {
		players[i] = signIn(t, h, "device-board-"+string(rune('a'+i))+"-0000")
	}
	for i, p := range players {
		commitStanding(t, store, p.Player, int64(100-10*i), testNow.Add(-time.Duration(i+1)*time.Minute))
	}

	w := h.get(t, "/api/v1/leaderboards/daily?limit=2", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	page := decode[topResponse](t, w)
	require.Equal(t, "2026-11-24", page.Period)
	require.Equal(t, 3, page.Total)
	require.Len(t, page.Entries, 2)
	require.Equal(t, players[0].Player.ID, page.Entries[0].PlayerID)
	require.Equal(t, int64(100), page.Entries[0].Score)
	require.NotEmpty(t, page.NextCursor)

	w = h.get(t, "/api/v1/leaderboards/daily?limit=2&cursor="+page.NextCursor, "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	last := decode[topResponse](t, w)
	require.Len(t, last.Entries, 1)
	require.Equal(t, 3, last.Entries[0].Rank)
	require.Empty(t, last.NextCursor)

	me := tokenFor(t, players[1].Player.ID)
	w = h.get(t, "/api/v1/leaderboards/global/me", me)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.JSONEq(t, `{"rank":2,"score":90,"total":3}`, w.Body.String())

	w = h.get(t, "/api/v1/leaderboards/global/around-me?radius=1", me)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Len(t, decode[aroundResponse](t, w).Entries, 3)

	requireError(t, h.get(t, "/api/v1/leaderboards/weekly/me", me), http.StatusNotFound, CodeNotRanked)
}
