package rest

import (
	"context"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

// openStore returns a real store on a fresh migrated database.
func openStore(t testing.TB) *postgres.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	store, err := postgres.Open(ctx, config.Database{URL: pgtest.NewDatabase(t), MaxConns: 4},
		func() time.Time { return testNow })
	require.NoError(t, err)
	t.Cleanup(store.Close)
	return store
}

// newDBHarness is a router over a real store and real tokens.
func newDBHarness(t testing.TB, edit func(*Deps)) (*harness, *postgres.Store) {
	t.Helper()
	store := openStore(t)
	tokens := auth.NewTokens(testAuth(), store, store, func() time.Time { return testNow }, rand.Reader)
	return newHarness(t, tokens, store, store, edit), store
}

// signIn signs a new guest in through the API and returns the response.
func signIn(t testing.TB, h *harness, device string) tokenResponse {
	t.Helper()
	w := h.do(t, request{Method: "POST", Path: "/api/v1/auth/guest", Body: fmt.Sprintf(`{"deviceId":%q}`, device)})
	require.Equal(t, 200, w.Code, w.Body.String())
	return decode[tokenResponse](t, w)
}

// playGame stores a finished game of players (id → score) created at
// created, through the real store.
func playGame(t testing.TB, store *postgres.Store, created time.Time, kind persistence.SessionKind,
	scores map[string]int64,
) persistence.Session {
	t.Helper()
	ctx := t.Context()
	ss := persistence.Session{ID: uuid.NewString(), Mode: "classic", Kind: kind, MaxPlayers: 8,
		State: persistence.StateRunning, Seed: 7, CreatedAt: created}
	var results []persistence.PlayerResult
	for id, score := range scores {
		ss.PlayerIDs = append(ss.PlayerIDs, id)
		results = append(results, persistence.PlayerResult{PlayerID: id, Username: "u", Score: score,
			Hits: int(score), Misses: 2, ReachedAt: created.Add(20 * time.Second)})
	}
	ss.CreatorID = ss.PlayerIDs[0]
	require.NoError(t, store.CreateSession(ctx, ss))
	end := created.Add(30 * time.Second)
	out, err := store.CommitResults(ctx, []persistence.GameResult{{SessionID: ss.ID, Epoch: 1,
		State: persistence.StateFinished, StartedAt: created, EndedAt: end, Players: results,
		Ranked: true}}) // classic is ranked, as the session would say
	require.NoError(t, err)
	require.Equal(t, []persistence.CommitOutcome{persistence.Committed}, out)
	return ss
}
