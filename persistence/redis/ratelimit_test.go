package redis

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/testclock"
)

func TestClient_Allow(t *testing.T) {
	t.Parallel()
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
			clock := testclock.New(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
			c := openTest(t, newPrefix(t), WithClock(clock.Now))
			for i, s := range tt.steps {
				clock.Advance(s.advance)
				allowed, retry, err := c.Allow(t.Context(), s.key, tt.limit, tt.window)
				require.NoError(t, err, "step %d", i)
				require.Equal(t, s.allowed, allowed, "step %d", i)
				require.InDelta(t, s.retryNear, retry, float64(2*time.Microsecond), "step %d retry %s", i, retry)
			}
		})
	}
}

func TestClient_Allow_redisClock(t *testing.T) {
	t.Parallel()
	prefix := newPrefix(t)
	c := openTest(t, prefix)
	for range 2 {
		allowed, _, err := c.Allow(t.Context(), "ip:9", 2, time.Minute)
		require.NoError(t, err)
		require.True(t, allowed)
	}
	allowed, retry, err := c.Allow(t.Context(), "ip:9", 2, time.Minute)
	require.NoError(t, err)
	require.False(t, allowed)
	// One emission interval is 30s; real time passes between the calls.
	require.Greater(t, retry, 25*time.Second)
	require.LessOrEqual(t, retry, 30*time.Second)

	// The state expires by itself once a full window has drained.
	ttl, err := rawClient(t).PTTL(t.Context(), prefix+"rl:ip:9").Result()
	require.NoError(t, err)
	require.Greater(t, ttl, 55*time.Second)
	require.LessOrEqual(t, ttl, time.Minute)
}

func TestClient_Allow_badLimit(t *testing.T) {
	t.Parallel()
	c := openTest(t, newPrefix(t))
	tests := []struct {
		limit  int
		window time.Duration
	}{{0, time.Second}, {-1, time.Second}, {1, 0}, {1, -time.Second}}
	for _, tt := range tests {
		_, _, err := c.Allow(t.Context(), "k", tt.limit, tt.window)
		require.ErrorIs(t, err, errBadLimit)
	}
}
