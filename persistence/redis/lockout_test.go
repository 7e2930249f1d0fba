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
