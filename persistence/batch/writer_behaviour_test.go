package batch_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/batch"
)

func TestWriter_CommitsAgainstPostgres(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w := batch.NewWriter(f.store, batch.Options{MaxBatch: 8, FlushInterval: time.Millisecond})
	start(t, w)
	a := newAnswers()
	games := f.games(20)
	submitAll(t, w, a, games)
	a.waitFor(t, len(games))
	a.requireOnce(t)
	for _, g := range games {
		require.Equal(t, persistence.Committed, a.outcomes[g.SessionID])
		require.NoError(t, a.errs[g.SessionID])
	}
	st, err := f.store.Stats(context.Background(), f.player.ID)
	require.NoError(t, err)
	require.Equal(t, int64(20), st.GamesPlayed)

	// A resubmission (lost reply) is answered AlreadyCommitted, not counted.
	again := newAnswers()
	submitAll(t, w, again, games[:1])
	again.waitFor(t, 1)
	require.Equal(t, persistence.AlreadyCommitted, again.outcomes[games[0].SessionID])
}

func TestWriter_FlushTriggers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		opts      batch.Options
		games     int
		wantCalls []int
	}{
		// Queued before Run: a full batch goes at once, the rest waits for
		// its interval (long here, so only MaxBatch can flush the first).
		{name: "max batch", opts: batch.Options{MaxBatch: 4, FlushInterval: time.Hour}, games: 8, wantCalls: []int{4, 4}},
		{name: "interval", opts: batch.Options{MaxBatch: 100, FlushInterval: 5 * time.Millisecond}, games: 3, wantCalls: []int{3}},
		{name: "overdue flushes without waiting", opts: batch.Options{MaxBatch: 100, FlushInterval: time.Hour,
			Now: overdueClock()}, games: 5, wantCalls: []int{5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			fs := &faultyStore{next: f.store}
			w := batch.NewWriter(fs, tc.opts)
			a := newAnswers()
			submitAll(t, w, a, f.games(tc.games))
			start(t, w)
			a.waitFor(t, tc.games)
			require.Equal(t, tc.wantCalls, fs.calls())
		})
	}
}

// overdueClock makes every queued item look older than any flush interval
// by the time the writer looks at it.
func overdueClock() func() time.Time {
	var calls atomic.Int64
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time {
		return base.Add(time.Duration(calls.Add(1)) * 24 * time.Hour)
	}
}

func TestWriter_RetriesThroughOutage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	fs := &faultyStore{next: f.store}
	fs.failFirst.Store(5)
	w := batch.NewWriter(fs, batch.Options{MaxBatch: 16, RetryBase: time.Millisecond, RetryMax: 2 * time.Millisecond})
	a := newAnswers()
	games := f.games(12)
	submitAll(t, w, a, games)
	start(t, w)
	a.waitFor(t, len(games))
	a.requireOnce(t)
	for _, g := range games {
		require.Equal(t, persistence.Committed, a.outcomes[g.SessionID], "an outage loses nothing")
	}
	require.Greater(t, len(fs.calls()), 5)
}

func TestWriter_IsolatesPoisonResult(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	games := f.games(8)
	poison := games[5]
	poison.Players = []persistence.PlayerResult{{PlayerID: "not-a-uuid"}} // the real store rejects the call
	games[5] = poison
	w := batch.NewWriter(f.store, batch.Options{MaxBatch: 8, RetryBase: time.Millisecond, RetryMax: time.Millisecond, MaxAttempts: 2})
	a := newAnswers()
	submitAll(t, w, a, games)
	start(t, w)
	a.waitFor(t, len(games))
	a.requireOnce(t)
	for i, g := range games {
		if i == 5 {
			require.Error(t, a.errs[g.SessionID])
			continue
		}
		require.NoError(t, a.errs[g.SessionID])
		require.Equal(t, persistence.Committed, a.outcomes[g.SessionID], "good results are not held hostage")
	}
}

func TestWriter_Submit_QueueFull(t *testing.T) {
	t.Parallel()
	w := batch.NewWriter(&faultyStore{}, batch.Options{QueueSize: 2})
	for i := range 2 {
		require.NoError(t, w.Submit(persistence.GameResult{SessionID: string(rune('a' + i))}, nil))
	}
	err := w.Submit(persistence.GameResult{SessionID: "c"}, nil)
	require.ErrorIs(t, err, persistence.ErrQueueFull)
}

func TestWriter_SubmitNeverBlocksDuringCommit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	fs := &faultyStore{next: f.store, gate: make(chan struct{})}
	w := batch.NewWriter(fs, batch.Options{MaxBatch: 1, QueueSize: 2})
	a := newAnswers()
	games := f.games(4)
	require.NoError(t, w.Submit(games[0], a.done(games[0].SessionID)))
	start(t, w)
	require.Eventually(t, func() bool { return len(fs.calls()) == 1 }, 10*time.Second, time.Millisecond, "first commit in flight")
	require.NoError(t, w.Submit(games[1], a.done(games[1].SessionID)))
	require.NoError(t, w.Submit(games[2], a.done(games[2].SessionID)))
	require.ErrorIs(t, w.Submit(games[3], nil), persistence.ErrQueueFull, "a stuck database rejects instead of blocking")
	close(fs.gate)
	a.waitFor(t, 3)
	a.requireOnce(t)
}

func TestWriter_DrainsOnStop(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w := batch.NewWriter(f.store, batch.Options{MaxBatch: 2, FlushInterval: time.Hour})
	a := newAnswers()
	games := f.games(5)
	submitAll(t, w, a, games)
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // stopped before it ever ran: everything queued is drained
	require.NoError(t, w.Run(ctx))
	require.Equal(t, len(games), a.count())
	a.requireOnce(t)
	for _, g := range games {
		require.Equal(t, persistence.Committed, a.outcomes[g.SessionID])
	}
	require.ErrorIs(t, w.Submit(games[0], nil), batch.ErrStopped)
	require.NoError(t, w.Stop(context.Background()), "stop after run is harmless")
}

func TestWriter_Stop(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w := batch.NewWriter(f.store, batch.Options{FlushInterval: time.Hour})
	a := newAnswers()
	errc := make(chan error, 1)
	go func() { errc <- w.Run(context.Background()) }()
	games := f.games(3)
	submitAll(t, w, a, games)
	require.NoError(t, w.Stop(context.Background()))
	require.NoError(t, <-errc)
	require.Equal(t, len(games), a.count(), "stop drains the queue before returning")
	require.NoError(t, w.Stop(context.Background()), "idempotent")
}

func TestWriter_DrainTimeoutReportsErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	fs := &faultyStore{next: f.store}
	fs.failFirst.Store(1 << 40) // the database never comes back
	w := batch.NewWriter(fs, batch.Options{RetryBase: time.Millisecond, RetryMax: time.Millisecond,
		DrainTimeout: 20 * time.Millisecond})
	a := newAnswers()
	games := f.games(3)
	submitAll(t, w, a, games)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.NoError(t, w.Run(ctx))
	require.Equal(t, len(games), a.count())
	a.requireOnce(t)
	for _, g := range games {
		require.Error(t, a.errs[g.SessionID], "uncommitted at the deadline: the caller learns it")
	}
}
