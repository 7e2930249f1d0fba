package budget

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/proofstell/proofstell/internal/testclock"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// gcra is the store's algorithm in memory (persistence/redis reserveScript):
// the cluster-wide budget every Local of a test shares.
type gcra struct {
	mu    sync.Mutex
	now   func() time.Time
	tat   map[string]time.Time
	calls atomic.Int64
	err   error
}

func newGCRA(now func() time.Time) *gcra { return &gcra{now: now, tat: map[string]time.Time{}} }

func (g *gcra) Reserve(_ context.Context, key string, n, limit int, window time.Duration) (int, time.Duration, error) {
	g.calls.Add(1)
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err != nil {
		return 0, 0, g.err
	}
	interval := window / time.Duration(limit)
	now := g.now()
	tat := g.tat[key]
	if tat.Before(now) {
		tat = now
	}
	room := int(now.Add(window).Sub(tat) / interval)
	if room < 1 {
		return 0, tat.Add(interval).Sub(now.Add(window)), nil
	}
	k := min(n, room)
	g.tat[key] = tat.Add(time.Duration(k) * interval)
	return k, 0, nil
}

func (g *gcra) fail(err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.err = err
}

var start = time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)

// TestLocal_HotSubjectSkipsTheStore: a subject with a large budget asks
// the store about once per lease, not once per request.
func TestLocal_HotSubjectSkipsTheStore(t *testing.T) {
	t.Parallel()
	clock := testclock.New(start)
	store := newGCRA(clock.Now)
	l := NewLocal(store, time.Second, clock.Now)
	const requests = 20_000
	for i := range requests {
		ok, _, err := l.Allow(t.Context(), "ip:1", 1_000_000, time.Minute)
		require.NoError(t, err)
		require.True(t, ok, "request %d", i)
		if i%100 == 0 {
			clock.Advance(time.Millisecond) // 20 s of traffic at 1,000/s... compressed: 200 ms
		}
	}
	l.Wait()
	// Slow start doubles the lease to its cap of 16,667 (1e6/min for 1 s):
	// about 15 reservations, a few top-ups; never one per request.
	require.Less(t, store.calls.Load(), int64(40), "store calls for %d requests", requests)
}

// TestLocal_ClusterWideWithinTolerance: two nodes hammering one subject far
// above its limit admit together no more than the store's GCRA admits over
// the span stretched by two sync intervals, and not much less.
func TestLocal_ClusterWideWithinTolerance(t *testing.T) {
	t.Parallel()
	clock := testclock.New(start)
	store := newGCRA(clock.Now)
	const limit, window, sync = 600, time.Minute, time.Second
	nodes := []*Local{NewLocal(store, sync, clock.Now), NewLocal(store, sync, clock.Now)}
	span := 2 * time.Minute
	admitted := 0
	for elapsed := time.Duration(0); elapsed < span; elapsed += 10 * time.Millisecond {
		for _, n := range nodes {
			for range 3 {
				ok, _, err := n.Allow(t.Context(), "user:a", limit, window)
				require.NoError(t, err)
				if ok {
					admitted++
				}
			}
			n.Wait()
		}
		clock.Advance(10 * time.Millisecond)
	}
	rate := float64(limit) / window.Seconds()
	gcraBound := limit + int(rate*span.Seconds())
	tolerance := int(2 * rate * sync.Seconds())
	require.LessOrEqual(t, admitted, gcraBound+tolerance, "over the cluster-wide limit beyond the tolerance")
	require.GreaterOrEqual(t, admitted, gcraBound-2*tolerance, "leases wasted too much of the budget")
}

// TestLocal_DenialIsRememberedWithItsRetry: a refusal is answered locally
// until the store's retry time, with the remaining wait as Retry-After.
func TestLocal_DenialIsRememberedWithItsRetry(t *testing.T) {
	t.Parallel()
	clock := testclock.New(start)
	store := newGCRA(clock.Now)
	l := NewLocal(store, time.Second, clock.Now)
	allow := func() (bool, time.Duration) {
		ok, retry, err := l.Allow(t.Context(), "auth:ip", 2, time.Minute)
		require.NoError(t, err)
		return ok, retry
	}
	for range 2 {
		ok, _ := allow()
		require.True(t, ok)
	}
	ok, retry := allow()
	require.False(t, ok)
	require.Equal(t, 30*time.Second, retry)
	calls := store.calls.Load()

	clock.Advance(10 * time.Second)
	ok, retry = allow()
	require.False(t, ok)
	require.Equal(t, 20*time.Second, retry)
	require.Equal(t, calls, store.calls.Load(), "a remembered denial asks no store")

	clock.Advance(20 * time.Second)
	ok, _ = allow()
	require.True(t, ok, "admitted once the retry time passed")
}

// TestLocal_StoreErrorsReachTheCaller: the caller decides to fail open; the
// next request asks again.
func TestLocal_StoreErrorsReachTheCaller(t *testing.T) {
	t.Parallel()
	clock := testclock.New(start)
	store := newGCRA(clock.Now)
	l := NewLocal(store, time.Second, clock.Now)
	down := errors.New("redis down")
	store.fail(down)
	_, _, err := l.Allow(t.Context(), "ip:1", 10, time.Minute)
	require.ErrorIs(t, err, down)
	store.fail(nil)
	ok, _, err := l.Allow(t.Context(), "ip:1", 10, time.Minute)
	require.NoError(t, err)
	require.True(t, ok)
}

// blockingStore holds every reservation until released and records how
// many were in flight at once.
type blockingStore struct {
	release  chan struct{}
	inflight atomic.Int64
	most     atomic.Int64
	calls    atomic.Int64
}

func (b *blockingStore) Reserve(context.Context, string, int, int, time.Duration) (int, time.Duration, error) {
	b.calls.Add(1)
	n := b.inflight.Add(1)
	defer b.inflight.Add(-1)
	for {
		most := b.most.Load()
		if n <= most || b.most.CompareAndSwap(most, n) {
			break
		}
	}
	<-b.release
	return 100, 0, nil
}

// TestLocal_ColdSubjectAsksOnce: concurrent first requests of a subject
// share one reservation instead of each taking a slice of the budget.
func TestLocal_ColdSubjectAsksOnce(t *testing.T) {
	t.Parallel()
	clock := testclock.New(start)
	store := &blockingStore{release: make(chan struct{})}
	l := NewLocal(store, time.Second, clock.Now)
	var wg sync.WaitGroup
	var admitted atomic.Int64
	for range 10 {
		wg.Go(func() {
			ok, _, err := l.Allow(t.Context(), "ip:1", 6000, time.Minute)
			if err == nil && ok {
				admitted.Add(1)
			}
		})
	}
	require.Eventually(t, func() bool { return store.calls.Load() == 1 }, time.Second, time.Millisecond)
	close(store.release)
	wg.Wait()
	l.Wait()
	require.Equal(t, int64(10), admitted.Load())
	require.Equal(t, int64(1), store.most.Load(), "one reservation in flight per subject")
}

// TestLocal_SweepForgetsIdleSubjects bounds memory by recent subjects.
func TestLocal_SweepForgetsIdleSubjects(t *testing.T) {
	t.Parallel()
	clock := testclock.New(start)
	l := NewLocal(newGCRA(clock.Now), time.Second, clock.Now)
	for i := range 1000 {
		_, _, err := l.Allow(t.Context(), string(rune('a'+i%26))+time.Duration(i).String(), 10, time.Minute)
		require.NoError(t, err)
	}
	require.Equal(t, 1000, l.subjects())
	clock.Advance(2 * time.Second)
	for i := range shardCount * 8 { // touch every shard once more
		_, _, err := l.Allow(t.Context(), "late"+time.Duration(i).String(), 10, time.Minute)
		require.NoError(t, err)
	}
	require.Less(t, l.subjects(), 1000, "idle subjects swept")
	require.LessOrEqual(t, l.subjects(), shardCount*8)
}

func TestLeaseCap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		limit        int
		window, sync time.Duration
		want         int
	}{
		{limit: 5, window: time.Minute, sync: time.Second, want: 1},
		{limit: 600, window: time.Minute, sync: time.Second, want: 10},
		{limit: 1_000_000, window: time.Minute, sync: time.Second, want: 16667},
		{limit: 3, window: time.Second, sync: 10 * time.Second, want: 3},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, leaseCap(tt.limit, tt.window, tt.sync), "%+v", tt)
	}
}
