package contracttest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

// NewLockout returns a fresh lockout of its own namespace with the policy
// given, or the constructor's error for a policy it refuses.
type NewLockout func(t *testing.T, limit int, window, duration time.Duration) (persistence.Lockout, error)

// Lockout proves persistence.Lockout: the limit-th failure locks for the
// duration, subjects count apart, Reset forgets failures and lifts locks,
// and a policy that cannot lock is refused.
func Lockout(t *testing.T, newLockout NewLockout) {
	t.Helper()
	t.Run("locks after limit", func(t *testing.T) { t.Parallel(); lockoutLocks(t, newLockout) })
	t.Run("reset forgets", func(t *testing.T) { t.Parallel(); lockoutResets(t, newLockout) })
	t.Run("bad policy", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			limit            int
			window, duration time.Duration
		}{{0, time.Second, time.Second}, {5, 0, time.Second}, {5, time.Second, time.Microsecond}} {
			_, err := newLockout(t, tc.limit, tc.window, tc.duration)
			require.Error(t, err, "%+v", tc)
		}
	})
}

func newPolicy(t *testing.T, newLockout NewLockout) persistence.Lockout {
	t.Helper()
	l, err := newLockout(t, 5, 900*time.Second, 900*time.Second)
	require.NoError(t, err)
	return l
}

func lockoutLocks(t *testing.T, newLockout NewLockout) {
	l := newPolicy(t, newLockout)
	ctx := t.Context()
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

func lockoutResets(t *testing.T, newLockout NewLockout) {
	l := newPolicy(t, newLockout)
	ctx := t.Context()
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
