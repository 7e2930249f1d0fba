package auth

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/redistest"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/redis"
)

// memoryTTL is long enough that, with the test clock standing still, only
// an announcement or a doubt about Redis can retire a remembered verdict.
const memoryTTL = time.Minute

// heardBus wraps a real bus subscription and signals after each delivery,
// so a test knows the node has heard an announcement without sleeping.
type heardBus struct {
	bus   Subscriber
	heard chan struct{}
}

func (h *heardBus) Subscribe(ctx context.Context, prefix string, deliver func(string, []byte)) error {
	return h.bus.Subscribe(ctx, prefix, func(topic string, payload []byte) {
		deliver(topic, payload)
		h.heard <- struct{}{}
	})
}

// secondNode is another node of e's cluster: its own Redis connection,
// tokens and revocation service over the same database and Redis server,
// announcing on the real bus and remembering verdicts for memoryTTL.
func (e *revocationEnv) secondNode(t *testing.T) (*Revocation, *heardBus) {
	t.Helper()
	rc, err := redis.Open(t.Context(), config.Redis{URL: e.server.URL()}, redis.WithClock(e.clock.Now))
	require.NoError(t, err)
	t.Cleanup(func() { _ = rc.Close() })
	tokens := NewTokens(testAuthConfig(), e.store, e.store, e.clock.Now, rand.Reader)
	rev := NewRevocation(tokens, e.store, rc, rc, nil)
	rc.OnServerChange(rev.Invalidate)
	heard := &heardBus{bus: rc, heard: make(chan struct{}, 16)}
	require.NoError(t, rev.Listen(t.Context(), heard, memoryTTL))
	return rev, heard
}

// redisCalls is how many data commands the test's Redis server has run.
func redisCalls(t *testing.T, srv *redistest.Server) int64 {
	t.Helper()
	n, err := srv.DataCalls()
	require.NoError(t, err)
	return n
}

// warm checks c on rev until it is answered from memory (the first check
// may rebuild Redis and read the ledger), and proves a further check runs
// no Redis command.
func warm(t *testing.T, e *revocationEnv, rev *Revocation, c Claims) {
	t.Helper()
	for range 3 {
		require.NoError(t, rev.Check(t.Context(), c))
	}
	before := redisCalls(t, e.server)
	for range 100 {
		require.NoError(t, rev.Check(t.Context(), c))
	}
	require.Equal(t, before, redisCalls(t, e.server), "a hot check touches no Redis")
}

// TestRevocationMemory_HotCheckSkipsRedis: once warm, checks of a token
// run no Redis command at all; without Listen every check reads Redis.
func TestRevocationMemory_HotCheckSkipsRedis(t *testing.T) {
	t.Parallel()
	e := newRevocationEnv(t)
	_, c := e.signIn(t, "device-memory-hot")
	require.NoError(t, e.rev.Check(t.Context(), c))
	before := redisCalls(t, e.server)
	require.NoError(t, e.rev.Check(t.Context(), c))
	require.Greater(t, redisCalls(t, e.server), before, "without Listen a check reads Redis")

	b, _ := e.secondNode(t)
	warm(t, e, b, c)
}

// TestRevocationMemory_AnnouncementReachesWarmNode: a logout, a ban and a
// refresh-token reuse recorded on one node are refused by another node
// whose memory held the token as valid, as soon as it hears the
// announcement (the clock stands still: no expiry helps).
func TestRevocationMemory_AnnouncementReachesWarmNode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		revoke func(t *testing.T, e *revocationEnv, pair Pair, c Claims)
	}{
		{"logout", func(t *testing.T, e *revocationEnv, _ Pair, c Claims) {
			require.NoError(t, e.rev.Logout(t.Context(), c))
		}},
		{"ban", func(t *testing.T, e *revocationEnv, _ Pair, c Claims) { e.ban(t, c.PlayerID) }},
		{"refresh reuse", func(t *testing.T, e *revocationEnv, pair Pair, _ Claims) {
			_, _, err := e.tokens.Refresh(t.Context(), pair.RefreshToken)
			require.NoError(t, err)
			_, _, err = e.tokens.Refresh(t.Context(), pair.RefreshToken)
			require.Error(t, err)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newRevocationEnv(t)
			rc, err := redis.Open(t.Context(), config.Redis{URL: e.server.URL()}, redis.WithClock(e.clock.Now))
			require.NoError(t, err)
			t.Cleanup(func() { _ = rc.Close() })
			e.rev.bus = rc // node A announces on the real bus
			b, heard := e.secondNode(t)
			pair, c := e.signIn(t, "device-memory-"+tt.name)
			warm(t, e, b, c)

			tt.revoke(t, e, pair, c)
			<-heard.heard
			require.ErrorIs(t, b.Check(t.Context(), c), ErrRevoked, "no stale accept once heard")
		})
	}
}

// TestRevocationMemory_DoubtBypassesMemory: a revocation the warm node
// could not hear (recorded in PostgreSQL only, as while Redis was away) is
// refused at once after the node learns Redis was replaced, and within the
// memory's lifetime after Redis lost its data or went down; a node whose
// subscription ended reads Redis again.
func TestRevocationMemory_DoubtBypassesMemory(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// lose returns how long the node may still answer from memory.
		lose func(e *revocationEnv, rev *Revocation) time.Duration
	}{
		{"server replaced", func(_ *revocationEnv, rev *Revocation) time.Duration {
			rev.Invalidate() // what persistence/redis OnServerChange calls
			return 0
		}},
		{"flush", func(e *revocationEnv, _ *Revocation) time.Duration { e.server.Flush(); return memoryTTL }},
		{"down", func(e *revocationEnv, _ *Revocation) time.Duration { e.server.Stop(); return memoryTTL }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newRevocationEnv(t)
			b, _ := e.secondNode(t)
			_, c := e.signIn(t, "device-doubt-"+tt.name)
			warm(t, e, b, c)

			stale := tt.lose(e, b)
			require.NoError(t, e.store.RecordDenied(t.Context(), persistence.DeniedToken{
				TokenID: c.TokenID, PlayerID: c.PlayerID, ExpiresAt: c.ExpiresAt}))
			e.clock.Advance(stale)
			require.ErrorIs(t, b.Check(t.Context(), c), ErrRevoked)
		})
	}
}

// TestRevocationMemory_EndedSubscriptionIsNotTrusted: once Listen's context
// ends the node cannot hear announcements, so every check reads Redis.
func TestRevocationMemory_EndedSubscriptionIsNotTrusted(t *testing.T) {
	t.Parallel()
	e := newRevocationEnv(t)
	ctx, cancel := context.WithCancel(t.Context())
	rc, err := redis.Open(t.Context(), config.Redis{URL: e.server.URL()}, redis.WithClock(e.clock.Now))
	require.NoError(t, err)
	t.Cleanup(func() { _ = rc.Close() })
	require.NoError(t, e.rev.Listen(ctx, rc, memoryTTL))
	_, c := e.signIn(t, "device-memory-ended")
	warm(t, e, e.rev, c)

	cancel()
	require.Eventually(t, func() bool { return e.rev.trustedMemory() == nil }, time.Second, time.Millisecond)
	before := redisCalls(t, e.server)
	require.NoError(t, e.rev.Check(t.Context(), c))
	require.Greater(t, redisCalls(t, e.server), before)
}
