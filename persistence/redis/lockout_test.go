package redis

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// newLockout is a 5-failure, 900 s window, 900 s lock policy on its own prefix.
func newLockout(t *testing.T) (*Lockout, string) {
	t.Helper()
	prefix := newPrefix(t)
	l, err := NewLockout(openTest(t, prefix), 5, 900*time.Second, 900*time.Second)
	require.NoError(t, err)
	return l, prefix
}

func TestLockout_LocksAfterLimit(t *testing.T) {
	t.Parallel()
	l, _ := newLockout(t)
	ctx := context.Background()
	for i := 1; i < 5; i++ {
		locked, err := l.Fail(ctx, "alice")
		require.NoError(t, err)
		require.Zero(t, locked, "failure %d does not lock", i)
		left, err := l.Locked(ctx, "alice")
		require.NoError(t, err)
		require.Zero(t, left)
	}
	locked, err := l.Fail(ctx, "alice")
	require.NoError(t, err)
	require.Equal(t, 900*time.Second, locked, "the fifth failure locks")
	left, err := l.Locked(ctx, "alice")
	require.NoError(t, err)
	require.InDelta(t, float64(900*time.Second), float64(left), float64(5*time.Second))

	other, err := l.Locked(ctx, "bob")
	require.NoError(t, err)
	require.Zero(t, other, "subjects are counted apart")
}

func TestLockout_DurationsAreRealSeconds(t *testing.T) {
	t.Parallel()
	l, prefix := newLockout(t)
	ctx := context.Background()
	raw := rawClient(t)
	_, err := l.Fail(ctx, "carol")
	require.NoError(t, err)
	window, err := raw.PTTL(ctx, prefix+"lock:{carol}:fail").Result()
	require.NoError(t, err)
	require.Greater(t, window, 890*time.Second, "a 900 s window lasts 900 s, not 900 ms")
	require.LessOrEqual(t, window, 900*time.Second)

	for range 4 {
		_, err = l.Fail(ctx, "carol")
		require.NoError(t, err)
	}
	lock, err := raw.PTTL(ctx, prefix+"lock:{carol}:locked").Result()
	require.NoError(t, err)
	require.Greater(t, lock, 890*time.Second, "a 900 s lock lasts 900 s")
	require.LessOrEqual(t, lock, 900*time.Second)
}

func TestLockout_WindowIsFixedFromFirstFailure(t *testing.T) {
	t.Parallel()
	l, prefix := newLockout(t)
	ctx := context.Background()
	raw := rawClient(t)
	key := prefix + "lock:{dave}:fail"
	_, err := l.Fail(ctx, "dave")
	require.NoError(t, err)
	// Pretend most of the window passed: later failures must not extend it.
	require.NoError(t, raw.PExpire(ctx, key, 3*time.Second).Err())
	_, err = l.Fail(ctx, "dave")
	require.NoError(t, err)
	ttl, err := raw.PTTL(ctx, key).Result()
	require.NoError(t, err)
	require.LessOrEqual(t, ttl, 3*time.Second)
	// The window ending forgets the failures.
	require.NoError(t, raw.Del(ctx, key).Err())
	for range 4 {
		locked, err := l.Fail(ctx, "dave")
		require.NoError(t, err)
		require.Zero(t, locked)
	}
}

func TestLockout_ResetForgets(t *testing.T) {
	t.Parallel()
	l, _ := newLockout(t)
	ctx := context.Background()
	for range 4 {
		_, err := l.Fail(ctx, "erin")
		require.NoError(t, err)
	}
	require.NoError(t, l.Reset(ctx, "erin"))
	locked, err := l.Fail(ctx, "erin")
	require.NoError(t, err)
	require.Zero(t, locked, "a success reset the count")
	for range 4 {
		_, err = l.Fail(ctx, "erin")
		require.NoError(t, err)
	}
	left, err := l.Locked(ctx, "erin")
	require.NoError(t, err)
	require.Positive(t, left)
	require.NoError(t, l.Reset(ctx, "erin"))
	left, err = l.Locked(ctx, "erin")
	require.NoError(t, err)
	require.Zero(t, left, "reset lifts a lock")
}

func TestNewLockout_RejectsBadPolicy(t *testing.T) {
	t.Parallel()
	c := openTest(t, newPrefix(t))
	for _, tc := range []struct {
		limit            int
		window, duration time.Duration
	}{{0, time.Second, time.Second}, {5, 0, time.Second}, {5, time.Second, time.Microsecond}} {
		_, err := NewLockout(c, tc.limit, tc.window, tc.duration)
		require.ErrorIs(t, err, errBadPolicy)
	}
}
