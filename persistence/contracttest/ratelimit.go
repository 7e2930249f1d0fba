package contracttest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
)

// NewRateLimiter returns a fresh limiter of its own namespace that reads
// time from now.
type NewRateLimiter func(t *testing.T, now func() time.Time) persistence.RateLimiter

// RateLimiter proves persistence.RateLimiter: GCRA bursts, refusals with
// their exact wait, independent keys, and Reserve spending Allow's budget.
func RateLimiter(t *testing.T, newLimiter NewRateLimiter) {
	t.Helper()
	t.Run("Allow", func(t *testing.T) { t.Parallel(); rateAllow(t, newLimiter) })
	t.Run("Reserve", func(t *testing.T) { t.Parallel(); rateReserve(t, newLimiter) })
	t.Run("bad limits", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t, time.Now)
		for _, tt := range []struct {
			n, limit int
			window   time.Duration
		}{{1, 0, time.Second}, {1, -1, time.Second}, {1, 1, 0}, {1, 1, -time.Second}, {0, 1, time.Second}} {
			if tt.n == 1 {
				_, _, err := l.Allow(t.Context(), "k", tt.limit, tt.window)
				require.Error(t, err, "%d per %s", tt.limit, tt.window)
			}
			_, _, err := l.Reserve(t.Context(), "k", tt.n, tt.limit, tt.window)
			require.Error(t, err, "%d of %d per %s", tt.n, tt.limit, tt.window)
		}
	})
}

func rateAllow(t *testing.T, newLimiter NewRateLimiter) {
	type step struct {
		advance   time.Duration
		key       string
		allowed   bool
		retryNear time.Duration // expected retry-after, to the microsecond
	}
	tests := []struct {
		name   string
		limit  int
		window time.Duration
		steps  []step
	}{
		{name: "burst then deny then refill", limit: 3, window: time.Second, steps: []step{
			{key: "ip:1", allowed: true},
			{key: "ip:1", allowed: true},
			{key: "ip:1", allowed: true},
			{key: "ip:1", retryNear: 333334 * time.Microsecond},
			{advance: 333 * time.Millisecond, key: "ip:1", retryNear: 334 * time.Microsecond},
			{advance: time.Millisecond, key: "ip:1", allowed: true},
			// Admitted 0.67ms after the slot opened: the next slot is that much nearer.
			{key: "ip:1", retryNear: 332666 * time.Microsecond},
		}},
		{name: "keys are independent", limit: 1, window: time.Minute, steps: []step{
			{key: "user:a", allowed: true},
			{key: "user:a", retryNear: time.Minute},
			{key: "user:b", allowed: true},
		}},
		{name: "full window restores the burst", limit: 2, window: 10 * time.Second, steps: []step{
			{key: "k", allowed: true},
			{key: "k", allowed: true},
			{key: "k", retryNear: 5 * time.Second},
			{advance: 10 * time.Second, key: "k", allowed: true},
			{key: "k", allowed: true},
			{key: "k", retryNear: 5 * time.Second},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := testclock.New(time.Now().UTC().Truncate(time.Second))
			l := newLimiter(t, clock.Now)
			for i, s := range tt.steps {
				clock.Advance(s.advance)
				allowed, retry, err := l.Allow(t.Context(), s.key, tt.limit, tt.window)
				require.NoError(t, err, "step %d", i)
				require.Equal(t, s.allowed, allowed, "step %d", i)
				require.InDelta(t, s.retryNear, retry, float64(2*time.Microsecond), "step %d retry %s", i, retry)
			}
		})
	}
}

// rateReserve proves a reservation spends the very budget Allow spends,
// grants at most what is left and reports the wait when nothing is.
func rateReserve(t *testing.T, newLimiter NewRateLimiter) {
	clock := testclock.New(time.Now().UTC().Truncate(time.Second))
	l := newLimiter(t, clock.Now)
	ctx := t.Context()
	const limit, window = 10, 10 * time.Second

	got, retry, err := l.Reserve(ctx, "user:a", 4, limit, window)
	require.NoError(t, err)
	require.Equal(t, 4, got)
	require.Zero(t, retry)

	ok, _, err := l.Allow(ctx, "user:a", limit, window)
	require.NoError(t, err)
	require.True(t, ok, "Allow shares the budget: 5 of 10 spent")

	got, _, err = l.Reserve(ctx, "user:a", 8, limit, window)
	require.NoError(t, err)
	require.Equal(t, 5, got, "only 5 of the 8 wanted are left")

	got, retry, err = l.Reserve(ctx, "user:a", 1, limit, window)
	require.NoError(t, err)
	require.Zero(t, got)
	require.InDelta(t, float64(time.Second), float64(retry), float64(2*time.Microsecond))

	ok, _, err = l.Allow(ctx, "user:a", limit, window)
	require.NoError(t, err)
	require.False(t, ok, "a reservation counts for Allow too")

	clock.Advance(2 * time.Second)
	got, _, err = l.Reserve(ctx, "user:a", 8, limit, window)
	require.NoError(t, err)
	require.Equal(t, 2, got, "two seconds refill two requests")
}
