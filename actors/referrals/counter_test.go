package referrals_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/badges"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/referrals"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

const lease = time.Minute

// recorder keeps "topic name" of each badge:awarded of the referral
// badge (the badge worker's own awards go to the worker's publisher).
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) Publish(topic string, ev *protos.ClientEvent) {
	var d badges.BadgeAwarded
	_ = json.Unmarshal(ev.Data, &d)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, topic+" "+ev.Type+" "+d.Name)
}

func (r *recorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.events...)
}

type nopPublisher struct{}

func (nopPublisher) Publish(string, *protos.ClientEvent) {}

// crashingStore fails CompleteOutbox, as a node dying before it completes.
type crashingStore struct{ *postgres.Store }

func (crashingStore) CompleteOutbox(context.Context, []int64) error { return errors.New("node died") }

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

// drain runs one drain of a badge worker over store with the referral
// counter as its follower.
func (e *env) drain(t *testing.T, store badges.Store) error {
	t.Helper()
	w := badges.New(badges.Deps{Store: store, Events: nopPublisher{}, Now: e.clock.Now, Lease: lease,
		Followers: []badges.GameFollower{referrals.NewCounter(e.store, e.pub, 3, nil)}})
	_, err := w.Drain(t.Context())
	return err
}

// play commits a finished solo game of p in mode with its game.finished row.
func (e *env) play(t *testing.T, p persistence.Player, mode string, flagged bool) {
	t.Helper()
	end := e.clock.Now()
	ss := persistence.Session{ID: uuid.NewString(), Mode: mode, Kind: persistence.KindSolo, MaxPlayers: 1,
		CreatorID: p.ID, PlayerIDs: []string{p.ID}, State: persistence.StateRunning, Seed: 1, CreatedAt: end.Add(-time.Minute)}
	require.NoError(t, e.store.CreateSession(t.Context(), ss))
	payload, err := json.Marshal(map[string]any{"sessionId": ss.ID, "mode": mode, "state": "finished",
		"flagged": flagged, "endedAt": end, "players": []map[string]any{{"playerId": p.ID, "score": 5}}})
	require.NoError(t, err)
	out, err := e.store.CommitResults(t.Context(), []persistence.GameResult{{SessionID: ss.ID, Epoch: 1,
		State: persistence.StateFinished, Flagged: flagged, StartedAt: end.Add(-30 * time.Second), EndedAt: end,
		Players: []persistence.PlayerResult{{PlayerID: p.ID, Username: p.Username, Score: 5, Hits: 5, ReachedAt: end}},
		Outbox:  []persistence.OutboxMessage{{Topic: badges.Topic, Key: ss.ID, Payload: payload}}}})
	require.NoError(t, err)
	require.Equal(t, []persistence.CommitOutcome{persistence.Committed}, out)
	e.clock.Advance(time.Second)
}

// referred creates a referrer and a player it referred.
func (e *env) referred(t *testing.T) (referrer, referred persistence.Player) {
	t.Helper()
	referrer, _, err := e.store.GuestByDevice(t.Context(), "dev-"+uuid.NewString())
	require.NoError(t, err)
	referred, _, err = e.store.GuestByDevice(t.Context(), "dev-"+uuid.NewString())
	require.NoError(t, err)
	code, err := e.store.ReferralCode(t.Context(), referrer.ID)
	require.NoError(t, err)
	r, err := e.store.RecordSignup(t.Context(), persistence.Signup{PlayerID: referred.ID, New: true, ReferralCode: code},
		persistence.ReferralPolicy{IPWindow: time.Hour, DailyCap: 5})
	require.NoError(t, err)
	require.Equal(t, persistence.ReferralPending, r.Status)
	return referrer, referred
}

func (e *env) progress(t *testing.T, referrer string) persistence.Referral {
	t.Helper()
	list, err := e.store.PlayerReferrals(t.Context(), referrer)
	require.NoError(t, err)
	require.Len(t, list, 1)
	return list[0]
}

// rewardedRows counts the referral.rewarded outbox rows.
func (e *env) rewardedRows(t *testing.T) int {
	t.Helper()
	items, err := e.store.ClaimOutbox(t.Context(), persistence.TopicReferralRewarded, 10, lease)
	require.NoError(t, err)
	return len(items)
}

func TestCounter_RewardsAtThirdRankedGame(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	referrer, referred := e.referred(t)
	e.play(t, referred, "classic", false)
	e.play(t, referred, "classic", true) // flagged: counts nothing
	e.play(t, referred, "classic", false)
	require.NoError(t, e.drain(t, e.store))
	require.Equal(t, 2, e.progress(t, referrer.ID).GamesCounted)
	require.Equal(t, persistence.ReferralPending, e.progress(t, referrer.ID).Status)

	e.play(t, referred, "classic", false)
	require.NoError(t, e.drain(t, e.store))
	got := e.progress(t, referrer.ID)
	require.Equal(t, persistence.ReferralRewarded, got.Status)
	require.Equal(t, 3, got.GamesCounted)
	for _, p := range []persistence.Player{referrer, referred} {
		require.Contains(t, e.slugs(t, p.ID), persistence.ReferralBadgeSlug, "both players get the reward badge")
	}
	require.ElementsMatch(t, []string{"player:" + referrer.ID + " badge:awarded Recruiter",
		"player:" + referred.ID + " badge:awarded Recruiter"}, e.pub.all())
	require.Equal(t, 1, e.rewardedRows(t))
}

func TestCounter_RedeliveredRowRewardsOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	referrer, referred := e.referred(t)
	for range 3 {
		e.play(t, referred, "classic", false)
	}
	// The node counts and rewards, then dies before completing the rows.
	require.Error(t, e.drain(t, crashingStore{e.store}))
	require.Equal(t, persistence.ReferralRewarded, e.progress(t, referrer.ID).Status)

	// After the lease the rows come back to another node.
	e.clock.Advance(lease + time.Second)
	require.NoError(t, e.drain(t, e.store))
	got := e.progress(t, referrer.ID)
	require.Equal(t, 3, got.GamesCounted, "a redelivered game counts once")
	require.Equal(t, 1, e.rewardedRows(t), "one referral.rewarded row")
	require.Len(t, e.pub.all(), 2, "announced by the first node only")
	require.Contains(t, e.slugs(t, referred.ID), persistence.ReferralBadgeSlug)
}

// slugs lists the slugs of the player's badges.
func (e *env) slugs(t *testing.T, playerID string) []string {
	t.Helper()
	held, err := e.store.PlayerBadges(t.Context(), playerID)
	require.NoError(t, err)
	out := []string{}
	for _, h := range held {
		out = append(out, h.Badge.Slug)
	}
	return out
}

// TestCounter_SwitchedOffCountsNothing: while features.referrals is off
// finished games count toward no referral, so none is rewarded; progress
// counted before is kept and counting resumes once back on.
func TestCounter_SwitchedOffCountsNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	referrer, referred := e.referred(t)
	var on atomic.Bool
	on.Store(true)
	drain := func() {
		w := badges.New(badges.Deps{Store: e.store, Events: nopPublisher{}, Now: e.clock.Now, Lease: lease,
			Followers: []badges.GameFollower{referrals.NewCounter(e.store, e.pub, 3, nil).OnlyWhen(on.Load)}})
		_, err := w.Drain(t.Context())
		require.NoError(t, err)
	}
	e.play(t, referred, "classic", false)
	drain()
	require.Equal(t, 1, e.progress(t, referrer.ID).GamesCounted)

	on.Store(false)
	for range 3 {
		e.play(t, referred, "classic", false)
	}
	drain()
	got := e.progress(t, referrer.ID)
	require.Equal(t, 1, got.GamesCounted, "the progress earned before is kept, nothing added")
	require.Equal(t, persistence.ReferralPending, got.Status, "no reward while off")
	require.Zero(t, e.rewardedRows(t))

	on.Store(true)
	e.play(t, referred, "classic", false)
	e.play(t, referred, "classic", false)
	drain()
	got = e.progress(t, referrer.ID)
	require.Equal(t, persistence.ReferralRewarded, got.Status, "counting resumed with the next games")
	require.Equal(t, 3, got.GamesCounted)
}
