package postgres_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// jobsFixture is a store whose scheduler lease is held by "node-a".
type jobsFixture struct {
	s     *postgres.Store
	db    *pgx.Conn
	lease persistence.Lease
	day   time.Time
}

func newJobsFixture(t *testing.T) jobsFixture {
	t.Helper()
	s, clk, url := newStore(t)
	lease, err := s.AcquireLease(ctxT(t), persistence.SchedulerLease, "node-a", time.Minute)
	require.NoError(t, err)
	db, err := pgx.Connect(ctxT(t), url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close(ctxT(t)) })
	return jobsFixture{s: s, db: db, lease: lease, day: clk.Now().Truncate(24 * time.Hour)}
}

// daily is a classic daily challenge of day with its overrides applied.
func (f jobsFixture) daily(t *testing.T, day time.Time) persistence.Challenge {
	t.Helper()
	mode, err := f.s.LookupMode(ctxT(t), "classic")
	require.NoError(t, err)
	d := 45 * time.Second
	golden := 0.05
	u := persistence.ModeUpdate{Duration: &d, GoldenChance: &golden}
	return persistence.Challenge{
		ID: persistence.DailyChallengeID(day), Kind: persistence.ChallengeDaily, Title: "Daily challenge",
		Mode: "classic", Rules: u.Apply(mode), Overrides: u, StartsAt: day, EndsAt: day.Add(24 * time.Hour),
		MaxAttempts: 3, RewardTop: 2,
	}
}

// takeOver moves the scheduler lease to node-b (a newer epoch).
func (f jobsFixture) takeOver(t *testing.T) persistence.Lease {
	t.Helper()
	_, err := f.db.Exec(ctxT(t), `UPDATE singleton_leases SET expires_at = '2000-01-01' WHERE name = $1`,
		persistence.SchedulerLease)
	require.NoError(t, err)
	l, err := f.s.AcquireLease(ctxT(t), persistence.SchedulerLease, "node-b", time.Minute)
	require.NoError(t, err)
	require.Greater(t, l.Epoch, f.lease.Epoch)
	return l
}

func (f jobsFixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, f.db.QueryRow(ctxT(t), query, args...).Scan(&n))
	return n
}

func TestStore_CreateDaily(t *testing.T) {
	t.Parallel()
	f := newJobsFixture(t)
	c := f.daily(t, f.day)
	created, err := f.s.CreateDaily(ctxT(t), c, f.lease.Holder, f.lease.Epoch)
	require.NoError(t, err)
	require.True(t, created)
	created, err = f.s.CreateDaily(ctxT(t), c, f.lease.Holder, f.lease.Epoch)
	require.NoError(t, err)
	require.False(t, created, "the id (its date) makes the generation happen once")

	due, err := f.s.DueToStart(ctxT(t), f.day.Add(time.Minute))
	require.NoError(t, err)
	require.Len(t, due, 1)
	got := due[0]
	require.Equal(t, c.Rules, got.Rules, "the effective rules round-trip")
	require.Equal(t, c.Overrides, got.Overrides, "the overrides round-trip")
	require.Equal(t, persistence.ChallengeDaily, got.Kind)
	require.Equal(t, c.StartsAt, got.StartsAt)
	require.Equal(t, c.EndsAt, got.EndsAt)
	require.Equal(t, 3, got.MaxAttempts)
	require.Equal(t, 2, got.RewardTop)
	var reward string
	require.NoError(t, f.db.QueryRow(ctxT(t), `SELECT id::text FROM badges WHERE slug = 'daily-champion'`).Scan(&reward))
	require.Equal(t, reward, got.RewardBadge, "a daily rewards the catalogue's daily-champion badge")
	require.Empty(t, got.CreatedBy, "the scheduler created it")

	// Retired, the daily reward is no longer given to the next days.
	_, err = f.db.Exec(ctxT(t), `UPDATE badges SET active = false WHERE slug = 'daily-champion'`)
	require.NoError(t, err)
	next := f.daily(t, f.day.AddDate(0, 0, 1))
	_, err = f.s.CreateDaily(ctxT(t), next, f.lease.Holder, f.lease.Epoch)
	require.NoError(t, err)
	stored, err := f.s.Challenge(ctxT(t), next.ID)
	require.NoError(t, err)
	require.Empty(t, stored.RewardBadge)

	bad := c
	bad.Kind = persistence.ChallengeScheduled
	_, err = f.s.CreateDaily(ctxT(t), bad, f.lease.Holder, f.lease.Epoch)
	require.Error(t, err)
	bad = f.daily(t, f.day.AddDate(0, 0, 2))
	bad.Rules.Rows = 0
	_, err = f.s.CreateDaily(ctxT(t), bad, f.lease.Holder, f.lease.Epoch)
	var rule *persistence.ModeRuleError
	require.ErrorAs(t, err, &rule)
}

func TestStore_CreateDaily_staleEpochWritesNothing(t *testing.T) {
	t.Parallel()
	f := newJobsFixture(t)
	newer := f.takeOver(t)
	_, err := f.s.CreateDaily(ctxT(t), f.daily(t, f.day), f.lease.Holder, f.lease.Epoch)
	require.ErrorIs(t, err, persistence.ErrStaleEpoch)
	_, err = f.s.CreateDaily(ctxT(t), f.daily(t, f.day), newer.Holder, f.lease.Epoch)
	require.ErrorIs(t, err, persistence.ErrStaleEpoch, "the holder alone is not enough")
	require.Zero(t, f.count(t, `SELECT count(*) FROM challenges`))

	created, err := f.s.CreateDaily(ctxT(t), f.daily(t, f.day), newer.Holder, newer.Epoch)
	require.NoError(t, err)
	require.True(t, created)
}

func TestStore_MarkStarted(t *testing.T) {
	t.Parallel()
	f := newJobsFixture(t)
	c := f.daily(t, f.day)
	_, err := f.s.CreateDaily(ctxT(t), c, f.lease.Holder, f.lease.Epoch)
	require.NoError(t, err)

	due, err := f.s.DueToStart(ctxT(t), f.day.Add(-time.Second))
	require.NoError(t, err)
	require.Empty(t, due, "not due before its start")

	at := f.day.Add(time.Second)
	stale := f.lease
	stale.Epoch--
	_, err = f.s.MarkStarted(ctxT(t), c.ID, stale.Holder, stale.Epoch, at)
	require.ErrorIs(t, err, persistence.ErrStaleEpoch)
	require.Zero(t, f.count(t, `SELECT count(*) FROM challenges WHERE started_at IS NOT NULL`))

	first, err := f.s.MarkStarted(ctxT(t), c.ID, f.lease.Holder, f.lease.Epoch, at)
	require.NoError(t, err)
	require.True(t, first)
	first, err = f.s.MarkStarted(ctxT(t), c.ID, f.lease.Holder, f.lease.Epoch, at.Add(time.Second))
	require.NoError(t, err)
	require.False(t, first, "the start job runs once per id")
	require.Equal(t, 1, f.count(t, `SELECT count(*) FROM outbox WHERE topic = $1 AND key = $2`,
		persistence.TopicNotifyChallengeStarted, c.ID), "the start is announced once, in its transaction")
	due, err = f.s.DueToStart(ctxT(t), at)
	require.NoError(t, err)
	require.Empty(t, due, "a started challenge is not due any more")

	_, err = f.s.MarkStarted(ctxT(t), "daily-1999-01-01", f.lease.Holder, f.lease.Epoch, at)
	require.ErrorIs(t, err, persistence.ErrNotFound)
}

func TestStore_MarkStarted_cancelledIsNeverDue(t *testing.T) {
	t.Parallel()
	f := newJobsFixture(t)
	c := f.daily(t, f.day)
	_, err := f.s.CreateDaily(ctxT(t), c, f.lease.Holder, f.lease.Epoch)
	require.NoError(t, err)
	_, err = f.db.Exec(ctxT(t), `UPDATE challenges SET cancelled_at = $2 WHERE id = $1`, c.ID, f.day)
	require.NoError(t, err)
	for _, list := range []func() ([]persistence.Challenge, error){
		func() ([]persistence.Challenge, error) { return f.s.DueToStart(ctxT(t), c.EndsAt.Add(time.Hour)) },
		func() ([]persistence.Challenge, error) { return f.s.DueToEnd(ctxT(t), c.EndsAt.Add(time.Hour)) },
	} {
		due, err := list()
		require.NoError(t, err)
		require.Empty(t, due)
	}
	first, err := f.s.MarkStarted(ctxT(t), c.ID, f.lease.Holder, f.lease.Epoch, f.day)
	require.NoError(t, err)
	require.False(t, first, "a challenge cancelled after the listing is not announced")
	first, err = f.s.MarkEnded(ctxT(t), c.ID, f.lease.Holder, f.lease.Epoch, nil, c.EndsAt)
	require.NoError(t, err)
	require.False(t, first)
}

func TestStore_MarkEnded(t *testing.T) {
	t.Parallel()
	f := newJobsFixture(t)
	c := f.daily(t, f.day)
	_, err := f.s.CreateDaily(ctxT(t), c, f.lease.Holder, f.lease.Epoch)
	require.NoError(t, err)
	a, b, d := newGuest(t, f.s), newGuest(t, f.s), newGuest(t, f.s)
	// Out of rank order on purpose: the event lists them best first.
	final := []persistence.ChallengeStanding{
		{PlayerID: d.ID, Rank: 3, Score: 10},
		{PlayerID: a.ID, Rank: 1, Score: 30, Won: true},
		{PlayerID: b.ID, Rank: 2, Score: 20, Won: true},
	}

	due, err := f.s.DueToEnd(ctxT(t), c.EndsAt.Add(-time.Second))
	require.NoError(t, err)
	require.Empty(t, due, "not due before its end")
	due, err = f.s.DueToEnd(ctxT(t), c.EndsAt)
	require.NoError(t, err)
	require.Len(t, due, 1)

	newer := f.takeOver(t)
	_, err = f.s.MarkEnded(ctxT(t), c.ID, f.lease.Holder, f.lease.Epoch, final, c.EndsAt)
	require.ErrorIs(t, err, persistence.ErrStaleEpoch)
	require.Zero(t, f.count(t, `SELECT count(*) FROM challenge_results`), "a stale leader writes nothing")
	require.Zero(t, f.count(t, `SELECT count(*) FROM outbox WHERE topic = $1`, persistence.TopicChallengeEnded))
	require.Zero(t, f.count(t, `SELECT count(*) FROM challenges WHERE ended_at IS NOT NULL`))

	first, err := f.s.MarkEnded(ctxT(t), c.ID, newer.Holder, newer.Epoch, final, c.EndsAt)
	require.NoError(t, err)
	require.True(t, first)
	first, err = f.s.MarkEnded(ctxT(t), c.ID, newer.Holder, newer.Epoch,
		[]persistence.ChallengeStanding{{PlayerID: d.ID, Rank: 1, Score: 99, Won: true}}, c.EndsAt.Add(time.Second))
	require.NoError(t, err)
	require.False(t, first, "the end job runs once per id")

	require.Equal(t, 2, f.count(t, `SELECT count(*) FROM challenge_results WHERE won`))
	require.Equal(t, 3, f.count(t, `SELECT rank FROM challenge_results WHERE player_id = $1`, d.ID),
		"the second call changed nothing")
	due, err = f.s.DueToEnd(ctxT(t), c.EndsAt.Add(time.Hour))
	require.NoError(t, err)
	require.Empty(t, due)

	items, err := f.s.ClaimOutbox(ctxT(t), persistence.TopicChallengeEnded, 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, items, 1, "one challenge.ended row")
	var ev persistence.ChallengeEndedEvent
	require.NoError(t, json.Unmarshal(items[0].Payload, &ev))
	require.Len(t, ev.RewardBadge, 36, "the daily's reward badge travels with its end")
	require.Equal(t, persistence.ChallengeEndedEvent{ChallengeID: c.ID, Mode: "classic", RewardBadge: ev.RewardBadge,
		Winners: []string{a.ID, b.ID}, Players: []string{a.ID, b.ID, d.ID}}, ev)
	require.Equal(t, c.ID, items[0].Key)

	_, err = f.s.MarkEnded(ctxT(t), "daily-1999-01-01", newer.Holder, newer.Epoch, nil, c.EndsAt)
	require.ErrorIs(t, err, persistence.ErrNotFound)
}

func TestStore_MarkEnded_nobodyPlayed(t *testing.T) {
	t.Parallel()
	f := newJobsFixture(t)
	c := f.daily(t, f.day)
	_, err := f.db.Exec(ctxT(t), `UPDATE badges SET active = false WHERE slug = 'daily-champion'`)
	require.NoError(t, err)
	_, err = f.s.CreateDaily(ctxT(t), c, f.lease.Holder, f.lease.Epoch)
	require.NoError(t, err)
	first, err := f.s.MarkEnded(ctxT(t), c.ID, f.lease.Holder, f.lease.Epoch, nil, c.EndsAt)
	require.NoError(t, err)
	require.True(t, first)
	items, err := f.s.ClaimOutbox(ctxT(t), persistence.TopicChallengeEnded, 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, items, 1)
	require.JSONEq(t, `{"challengeId":"`+c.ID+`","mode":"classic","winners":[],"players":[]}`, string(items[0].Payload))
}
