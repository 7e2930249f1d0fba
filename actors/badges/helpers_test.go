package badges_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/badges"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

// lease is the workers' outbox lease in these tests.
const lease = time.Minute

// published is one event the worker handed to the hub.
type published struct {
	Topic string
	Type  string
	Data  badges.BadgeAwarded
}

// recorder is a Publisher that keeps what it is given.
type recorder struct {
	mu     sync.Mutex
	events []published
}

func (r *recorder) Publish(topic string, ev *protos.ClientEvent) {
	var d badges.BadgeAwarded
	_ = json.Unmarshal(ev.Data, &d)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, published{Topic: topic, Type: ev.Type, Data: d})
}

// names lists "topic type name" of every event, sorted.
func (r *recorder) names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := []string{}
	for _, e := range r.events {
		out = append(out, fmt.Sprintf("%s %s %s/%s", e.Topic, e.Type, e.Data.Name, e.Data.Rarity))
	}
	sort.Strings(out)
	return out
}

// env is a real store on a fresh database with a clock tests move.
type env struct {
	store *postgres.Store
	clock *testclock.Clock
	pub   *recorder
	// url is the database's, for rows tests write directly.
	url string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	clk := testclock.New(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	url := pgtest.NewDatabase(t)
	s, err := postgres.Open(t.Context(), config.Database{URL: url, MaxConns: 4}, clk.Now)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return &env{store: s, clock: clk, pub: &recorder{}, url: url}
}

// worker builds a worker over store (e.store when nil) with batches of 2.
func (e *env) worker(store badges.Store, ticks <-chan time.Time) *badges.Worker {
	if store == nil {
		store = e.store
	}
	return badges.New(badges.Deps{Store: store, Events: e.pub, Ticks: ticks, Now: e.clock.Now, Batch: 2, Lease: lease})
}

// guest creates a player, with a StarkNet wallet when wallet is set.
func (e *env) guest(t *testing.T, wallet bool) persistence.Player {
	t.Helper()
	p, _, err := e.store.GuestByDevice(t.Context(), "device-"+uuid.NewString())
	require.NoError(t, err)
	if wallet {
		_, err = e.store.LinkWallet(t.Context(), p.ID, persistence.ChainStarknet, fmt.Sprintf("0x%064x", e.clock.Now().UnixNano()))
		require.NoError(t, err)
		e.clock.Advance(time.Second)
	}
	return p
}

// game describes a solo classic game to commit.
type game struct {
	score, misses int64
	flagged       bool
}

// play commits a finished solo classic game through the real results path,
// with the game.finished outbox row actors/session writes (same payload
// shape as its finishedPayload).
func (e *env) play(t *testing.T, p persistence.Player, g game) {
	t.Helper()
	end := e.clock.Now()
	ss := persistence.Session{ID: uuid.NewString(), Mode: "classic", Kind: persistence.KindSolo, MaxPlayers: 1,
		CreatorID: p.ID, PlayerIDs: []string{p.ID}, State: persistence.StateRunning, Seed: 1, CreatedAt: end.Add(-time.Minute)}
	require.NoError(t, e.store.CreateSession(t.Context(), ss))
	pr := persistence.PlayerResult{PlayerID: p.ID, Username: p.Username, Score: g.score, Hits: int(g.score),
		Misses: int(g.misses), BestCombo: 3, ReachedAt: end}
	payload, err := json.Marshal(map[string]any{"sessionId": ss.ID, "mode": "classic", "state": "finished",
		"flagged": g.flagged, "endedAt": end, "players": []map[string]any{{"playerId": p.ID, "score": g.score,
			"hits": pr.Hits, "misses": pr.Misses, "bestCombo": pr.BestCombo}}})
	require.NoError(t, err)
	out, err := e.store.CommitResults(t.Context(), []persistence.GameResult{{SessionID: ss.ID, Epoch: 1,
		State: persistence.StateFinished, Flagged: g.flagged, StartedAt: end.Add(-30 * time.Second), EndedAt: end,
		Players: []persistence.PlayerResult{pr},
		Outbox:  []persistence.OutboxMessage{{Topic: badges.Topic, Key: ss.ID, Payload: payload}}}})
	require.NoError(t, err)
	require.Equal(t, []persistence.CommitOutcome{persistence.Committed}, out)
}

// heldSlugs lists the slugs of the player's badges, sorted.
func (e *env) heldSlugs(t *testing.T, playerID string) []string {
	t.Helper()
	held, err := e.store.PlayerBadges(t.Context(), playerID)
	require.NoError(t, err)
	out := []string{}
	for _, h := range held {
		out = append(out, h.Badge.Slug)
	}
	sort.Strings(out)
	return out
}

// mintCount counts the player's mint requests, all pending.
func (e *env) mintCount(t *testing.T, playerID string) int {
	t.Helper()
	mints, err := e.store.PlayerMints(t.Context(), playerID)
	require.NoError(t, err)
	for _, m := range mints {
		require.Equal(t, persistence.MintPending, m.Status)
	}
	return len(mints)
}

// crashingStore fails CompleteOutbox, as a node dying before it completes.
type crashingStore struct{ *postgres.Store }

func (crashingStore) CompleteOutbox(context.Context, []int64) error { return errors.New("node died") }
