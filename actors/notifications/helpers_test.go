package notifications_test

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/notifications"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

// lease is the worker's outbox lease in these tests.
const lease = time.Minute

// published is one alert the worker handed to the hub.
type published struct {
	Topic string
	Type  string
	Alert notifications.Alert
}

// recorder is a Publisher that keeps what it is given.
type recorder struct {
	mu     sync.Mutex
	events []published
}

func (r *recorder) Publish(topic string, ev *protos.ClientEvent) {
	var a notifications.Alert
	_ = json.Unmarshal(ev.Data, &a)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, published{Topic: topic, Type: ev.Type, Alert: a})
}

// lines lists "topic type kind title" of every alert, sorted.
func (r *recorder) lines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := []string{}
	for _, e := range r.events {
		out = append(out, e.Topic+" "+e.Type+" "+e.Alert.Kind+" "+e.Alert.Title)
	}
	sort.Strings(out)
	return out
}

// env is a real store on a fresh database with a clock tests move.
type env struct {
	store *postgres.Store
	clock *testclock.Clock
	pub   *recorder
}

func newEnv(t *testing.T) *env {
	t.Helper()
	clk := testclock.New(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	s, err := postgres.Open(t.Context(), config.Database{URL: pgtest.NewDatabase(t), MaxConns: 4}, clk.Now)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return &env{store: s, clock: clk, pub: &recorder{}}
}

// worker builds a worker over store (e.store when nil) with batches of 2.
func (e *env) worker(store notifications.Store) *notifications.Worker {
	if store == nil {
		store = e.store
	}
	return notifications.New(notifications.Deps{Store: store, Events: e.pub, Batch: 2, Lease: lease})
}

func (e *env) guest(t *testing.T) persistence.Player {
	t.Helper()
	p, _, err := e.store.GuestByDevice(t.Context(), "device-"+uuid.NewString())
	require.NoError(t, err)
	return p
}

// badge returns a seeded active badge.
func (e *env) badge(t *testing.T) persistence.Badge {
	t.Helper()
	all, err := e.store.Badges(t.Context(), true)
	require.NoError(t, err)
	require.NotEmpty(t, all)
	return all[0]
}

// outbox commits a finished solo game of p carrying msg as its outbox row,
// the way a producer's transaction writes one.
func (e *env) outbox(t *testing.T, p persistence.Player, msg persistence.OutboxMessage) {
	t.Helper()
	end := e.clock.Now()
	ss := persistence.Session{ID: uuid.NewString(), Mode: "classic", Kind: persistence.KindSolo, MaxPlayers: 1,
		CreatorID: p.ID, PlayerIDs: []string{p.ID}, State: persistence.StateRunning, Seed: 1, CreatedAt: end.Add(-time.Minute)}
	require.NoError(t, e.store.CreateSession(t.Context(), ss))
	out, err := e.store.CommitResults(t.Context(), []persistence.GameResult{{SessionID: ss.ID, Epoch: 1,
		State: persistence.StateFinished, StartedAt: end.Add(-30 * time.Second), EndedAt: end,
		Players: []persistence.PlayerResult{{PlayerID: p.ID, Username: p.Username, Score: 1, Hits: 1, ReachedAt: end}},
		Outbox:  []persistence.OutboxMessage{msg}}})
	require.NoError(t, err)
	require.Equal(t, []persistence.CommitOutcome{persistence.Committed}, out)
}

// inbox lists the player's notifications, newest first.
func (e *env) inbox(t *testing.T, playerID string) []persistence.Notification {
	t.Helper()
	page, err := e.store.Notifications(t.Context(), playerID, false, "", 100)
	require.NoError(t, err)
	return page.Items
}

// crashingStore fails CompleteOutbox, as a node dying before it completes.
type crashingStore struct{ *postgres.Store }

func (crashingStore) CompleteOutbox(context.Context, []int64) error { return errors.New("node died") }
