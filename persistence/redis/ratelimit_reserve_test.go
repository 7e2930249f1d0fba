package redis

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/testclock"
)

// TestClient_Reserve proves a reservation spends the very budget Allow
// spends, grants at most what is left and reports the wait when nothing is.
func TestClient_Reserve(t *testing.T) {
	t.Parallel()
	clock := testclock.New(time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC))
	c := openTest(t, newPrefix(t), WithClock(clock.Now))
	ctx := t.Context()
	const limit, window = 10, 10 * time.Second

	got, retry, err := c.Reserve(ctx, "user:a", 4, limit, window)
	require.NoError(t, err)
	require.Equal(t, 4, got)
	require.Zero(t, retry)

	ok, _, err := c.Allow(ctx, "user:a", limit, window)
	require.NoError(t, err)
	require.True(t, ok, "Allow shares the budget: 5 of 10 spent")

	got, _, err = c.Reserve(ctx, "user:a", 8, limit, window)
	require.NoError(t, err)
	require.Equal(t, 5, got, "only 5 of the 8 wanted are left")

	got, retry, err = c.Reserve(ctx, "user:a", 1, limit, window)
	require.NoError(t, err)
	require.Zero(t, got)
	require.InDelta(t, float64(time.Second), float64(retry), float64(2*time.Microsecond))

	ok, _, err = c.Allow(ctx, "user:a", limit, window)
	require.NoError(t, err)
	require.False(t, ok, "a reservation counts for Allow too")

	clock.Advance(2 * time.Second)
	got, _, err = c.Reserve(ctx, "user:a", 8, limit, window)
	require.NoError(t, err)
	require.Equal(t, 2, got, "two seconds refill two requests")

	_, _, err = c.Reserve(ctx, "user:a", 0, limit, window)
	require.ErrorIs(t, err, errBadLimit)
}
