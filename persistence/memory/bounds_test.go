package memory

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
)

func withMaxKeys(n int) func(*Options) { return func(o *Options) { o.MaxKeys = n } }

// TestEngine_FullKeyspaceRejects: a full keyspace refuses new keys with
// ErrFull and evicts nothing; existing keys still update; once entries
// expire, a write sweeps them and fits again.
func TestEngine_FullKeyspaceRejects(t *testing.T) {
	t.Parallel()
	clock := testclock.New(start)
	e := newEngine(t, clock.Now, withMaxKeys(2))
	ctx := t.Context()
	for i := range 2 {
		ok, _, err := e.Allow(ctx, fmt.Sprint("ip:", i), 1, time.Minute)
		require.NoError(t, err)
		require.True(t, ok)
	}
	_, _, err := e.Allow(ctx, "ip:2", 1, time.Minute)
	require.ErrorIs(t, err, ErrFull, "a third subject does not fit")
	ok, retry, err := e.Allow(ctx, "ip:0", 1, time.Minute)
	require.NoError(t, err, "a subject already held is still limited")
	require.False(t, ok)
	require.Equal(t, time.Minute, retry)

	clock.Advance(time.Minute) // both budgets drained: their entries expire
	ok, _, err = e.Allow(ctx, "ip:2", 1, time.Minute)
	require.NoError(t, err)
	require.True(t, ok, "the sweep made room")
}

// TestEngine_FullRevocationKeyspaceFailsRestore: a restore that cannot
// hold every revocation leaves the cache not intact, so checks keep
// reading PostgreSQL.
func TestEngine_FullRevocationKeyspaceFailsRestore(t *testing.T) {
	t.Parallel()
	clock := testclock.New(start)
	e := newEngine(t, clock.Now, withMaxKeys(1))
	state := persistence.RevocationState{Tokens: []persistence.DeniedToken{
		{TokenID: "a", ExpiresAt: start.Add(time.Minute)}, {TokenID: "b", ExpiresAt: start.Add(time.Minute)}}}
	require.ErrorIs(t, e.Restore(t.Context(), state, 15*time.Minute), ErrFull)
	require.False(t, verdict(t, e, "a", "", "").Intact)
	require.ErrorIs(t, e.Deny(t.Context(), "c", start.Add(time.Minute)), ErrFull)
}

// TestKeyspace_SweepsExpiredWhileNotFull: expired entries do not linger
// until the keyspace fills; a write a minute after the last sweep drops
// them.
func TestKeyspace_SweepsExpiredWhileNotFull(t *testing.T) {
	t.Parallel()
	clock := testclock.New(start)
	k := newKeyspace[int]("test_sweep", 100)
	put := func(key string, life time.Duration) {
		k.mu.Lock()
		defer k.mu.Unlock()
		require.NoError(t, k.put(key, 1, clock.Now().Add(life), clock.Now()))
	}
	put("short", time.Second)
	put("long", time.Hour)
	clock.Advance(30 * time.Second)
	put("other", time.Hour)
	require.Len(t, k.items, 3, "no sweep within the minute")
	clock.Advance(30 * time.Second)
	put("later", time.Hour)
	require.Len(t, k.items, 3, "the expired entry is gone")
	require.NotContains(t, k.items, "short")
}
