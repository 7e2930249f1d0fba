package auth

import (
	"context"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/redistest"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/redis"
)

// revocationEnv is the revocation service over a real PostgreSQL database
// and a throwaway redis-server the test may restart, flush or stop.
type revocationEnv struct {
	clock  *testclock.Clock
	store  *postgres.Store
	redis  *redis.Client
	server *redistest.Server
	tokens *Tokens
	rev    *Revocation
	bus    *memBus
}

// newRevocationEnv builds the service. The clock is near real time because
// Redis expires denylist entries at absolute times.
func newRevocationEnv(t *testing.T) *revocationEnv {
	t.Helper()
	clk := testclock.New(time.Now().UTC().Truncate(time.Millisecond))
	store := openStore(t, clk.Now)
	srv := redistest.Start(t)
	rc, err := redis.Open(t.Context(), config.Redis{URL: srv.URL()}, redis.WithClock(clk.Now))
	require.NoError(t, err)
	t.Cleanup(func() { _ = rc.Close() })
	tokens := NewTokens(testAuthConfig(), store, store, clk.Now, rand.Reader)
	bus := &memBus{}
	rev := NewRevocation(tokens, store, rc, bus, nil)
	rc.OnServerChange(rev.Invalidate) // as serve wires it
	return &revocationEnv{clock: clk, store: store, redis: rc, server: srv, tokens: tokens, bus: bus, rev: rev}
}

// signIn issues a pair for a new guest and returns its verified claims.
func (e *revocationEnv) signIn(t *testing.T, device string) (Pair, Claims) {
	t.Helper()
	pair, err := e.tokens.Issue(t.Context(), newGuest(t, e.store, device))
	require.NoError(t, err)
	c, err := e.tokens.Verify(pair.AccessToken)
	require.NoError(t, err)
	return pair, c
}

// ban bans playerID the way the admin route does: the flag, then LogoutAll.
func (e *revocationEnv) ban(t *testing.T, playerID string) {
	t.Helper()
	yes := true
	_, err := e.store.AdminUpdate(t.Context(), persistence.SystemActor("test"), playerID, persistence.AdminUpdate{Banned: &yes}, e.clock.Now())
	require.NoError(t, err)
	require.NoError(t, e.rev.LogoutAll(t.Context(), playerID, ReasonBanned))
}

// intact reports whether Redis carries the rebuilt marker.
func (e *revocationEnv) intact(t *testing.T) bool {
	t.Helper()
	v, err := e.redis.Revoked(t.Context(), persistence.RevocationQuery{})
	require.NoError(t, err)
	return v.Intact
}

func TestRevocation_LogoutAndLogoutAll(t *testing.T) {
	t.Parallel()
	e := newRevocationEnv(t)
	p := newGuest(t, e.store, "device-revocation-1")
	one, err := e.tokens.Issue(t.Context(), p)
	require.NoError(t, err)
	two, err := e.tokens.Issue(t.Context(), p)
	require.NoError(t, err)
	c1, err := e.tokens.Verify(one.AccessToken)
	require.NoError(t, err)
	require.NotEmpty(t, c1.SessionID)
	require.NoError(t, e.rev.Check(t.Context(), c1))
	refreshed, _, err := e.tokens.Refresh(t.Context(), one.RefreshToken)
	require.NoError(t, err)

	require.NoError(t, e.rev.Logout(t.Context(), c1))
	require.ErrorIs(t, e.rev.Check(t.Context(), c1), ErrRevoked)
	_, err = e.rev.CheckToken(t.Context(), refreshed.AccessToken)
	require.ErrorIs(t, err, ErrRevoked, "every access token of the logged-out sign-in")
	_, _, err = e.tokens.Refresh(t.Context(), refreshed.RefreshToken)
	require.ErrorIs(t, err, ErrExpiredToken, "this session's refresh family is revoked")
	c2, err := e.rev.CheckToken(t.Context(), two.AccessToken)
	require.NoError(t, err, "other session lives")

	e.clock.Advance(time.Second)
	require.NoError(t, e.rev.LogoutAll(t.Context(), p.ID, ReasonLogoutAll))
	require.ErrorIs(t, e.rev.Check(t.Context(), c2), ErrRevoked, "issued before the watermark")
	_, _, err = e.tokens.Refresh(t.Context(), two.RefreshToken)
	require.ErrorIs(t, err, ErrExpiredToken)
	require.Equal(t, []RevocationEvent{
		{PlayerID: p.ID, TokenID: c1.TokenID, SessionID: c1.SessionID, Reason: ReasonLogout},
		{PlayerID: p.ID, Reason: ReasonLogoutAll},
	}, e.bus.all())

	e.clock.Advance(time.Millisecond)
	three, err := e.tokens.Issue(t.Context(), p)
	require.NoError(t, err)
	_, err = e.rev.CheckToken(t.Context(), three.AccessToken)
	require.NoError(t, err, "issued after the watermark")
}

// TestRevocation_SurvivesRedisLoss: a logged-out token and a banned
// player's token stay refused after Redis comes back empty, from the very
// first check; that check rebuilds Redis, after which Redis answers alone.
func TestRevocation_SurvivesRedisLoss(t *testing.T) {
	tests := []struct {
		name string
		lose func(*redistest.Server)
	}{
		{"restart", (*redistest.Server).Restart},
		{"flush", (*redistest.Server).Flush},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newRevocationEnv(t)
			require.NoError(t, e.rev.Rebuild(t.Context()), "as serve does at start")
			_, out := e.signIn(t, "device-loss-out-"+tt.name)
			_, banned := e.signIn(t, "device-loss-ban-"+tt.name)
			_, kept := e.signIn(t, "device-loss-kept-"+tt.name)
			require.NoError(t, e.rev.Logout(t.Context(), out))
			e.ban(t, banned.PlayerID)
			require.True(t, e.intact(t))

			tt.lose(e.server)
			require.False(t, e.intact(t), "the loss is visible")
			require.ErrorIs(t, e.rev.Check(t.Context(), out), ErrRevoked, "logged out, first check after the loss")
			require.ErrorIs(t, e.rev.Check(t.Context(), banned), ErrRevoked, "banned")
			require.NoError(t, e.rev.Check(t.Context(), kept), "an unrevoked token still passes")
			require.True(t, e.intact(t), "the first check rebuilt Redis")

			// Redis alone now knows both: stop PostgreSQL's part by asking Redis.
			for _, c := range []Claims{out, banned} {
				v, err := e.redis.Revoked(t.Context(), persistence.RevocationQuery{TokenID: c.TokenID, PlayerID: c.PlayerID, FamilyID: c.SessionID})
				require.NoError(t, err)
				require.True(t, v.Intact && v.Revokes(c.IssuedAt), "rebuilt entry for %s", c.PlayerID)
			}
		})
	}
}

// TestRevocation_RedisDownReadsPostgres: while Redis is unreachable, checks
// (and revocations) go to PostgreSQL; only with both down do checks fail
// closed.
func TestRevocation_RedisDownReadsPostgres(t *testing.T) {
	t.Parallel()
	e := newRevocationEnv(t)
	_, out := e.signIn(t, "device-down-out")
	_, banned := e.signIn(t, "device-down-ban")
	_, later := e.signIn(t, "device-down-later")
	_, kept := e.signIn(t, "device-down-kept")
	require.NoError(t, e.rev.Logout(t.Context(), out))
	e.ban(t, banned.PlayerID)

	e.server.Stop()
	require.ErrorIs(t, e.rev.Check(t.Context(), out), ErrRevoked)
	require.ErrorIs(t, e.rev.Check(t.Context(), banned), ErrRevoked)
	require.NoError(t, e.rev.Check(t.Context(), kept))
	require.NoError(t, e.rev.Logout(t.Context(), later), "a logout while Redis is down is recorded in PostgreSQL")
	require.ErrorIs(t, e.rev.Check(t.Context(), later), ErrRevoked)

	e.store.Close()
	require.ErrorIs(t, e.rev.Check(t.Context(), kept), ErrRevocationUnavailable, "both down: fail closed")
}

// TestRevocation_RedisBackWithOldDataIsRepaired: a revocation recorded
// while Redis was unreachable is missing from a Redis that comes back with
// its old data and marker; the node rebuilds before trusting it again.
func TestRevocation_RedisBackWithOldDataIsRepaired(t *testing.T) {
	t.Parallel()
	e := newRevocationEnv(t)
	require.NoError(t, e.rev.Rebuild(t.Context()))
	_, out := e.signIn(t, "device-missed-write")
	flaky := &flakyCache{RevocationCache: e.redis, down: true}
	rev := NewRevocation(e.tokens, e.store, flaky, e.bus, nil)

	require.NoError(t, rev.Logout(t.Context(), out), "recorded in PostgreSQL; the copy to Redis failed")
	flaky.down = false
	require.True(t, e.intact(t), "Redis kept its marker: it does not know what it missed")
	require.ErrorIs(t, rev.Check(t.Context(), out), ErrRevoked, "Redis is left alone until the next probe")
	e.clock.Advance(cacheProbeInterval)
	require.ErrorIs(t, rev.Check(t.Context(), out), ErrRevoked, "the node reads PostgreSQL until it rebuilt")
	v, err := e.redis.Revoked(t.Context(), persistence.RevocationQuery{TokenID: out.TokenID, PlayerID: out.PlayerID, FamilyID: out.SessionID})
	require.NoError(t, err)
	require.True(t, v.Denied && v.FamilyRevoked, "the rebuild copied the missed revocation")
	require.NoError(t, rev.Repair(t.Context()), "nothing left to repair")
}

// flakyCache is the real cache with its writes and reads failing while down
// (Redis unreachable), or only its revocation writes failing while
// failWrites (Redis reachable, one write lost).
type flakyCache struct {
	persistence.RevocationCache
	down       bool
	failWrites bool
	// reads counts Revoked calls that reached the cache.
	reads int
}

func (f *flakyCache) Revoked(ctx context.Context, q persistence.RevocationQuery) (persistence.RevocationVerdict, error) {
	f.reads++
	if f.down {
		return persistence.RevocationVerdict{}, errCacheDown
	}
	return f.RevocationCache.Revoked(ctx, q)
}

// TestRevocation_LeavesDeadRedisAloneBetweenProbes: a dead Redis costs
// go-redis over a second of dial retries per call, so after one failure
// checks go straight to PostgreSQL until the next probe; once Redis answers
// again the node rebuilds it and returns to the fast path.
func TestRevocation_LeavesDeadRedisAloneBetweenProbes(t *testing.T) {
	t.Parallel()
	e := newRevocationEnv(t)
	_, c := e.signIn(t, "device-probe")
	flaky := &flakyCache{RevocationCache: e.redis, down: true}
	rev := NewRevocation(e.tokens, e.store, flaky, e.bus, nil)

	for range 3 {
		require.NoError(t, rev.Check(t.Context(), c), "answered by PostgreSQL")
	}
	require.Equal(t, 1, flaky.reads, "Redis asked once, then left alone")
	e.clock.Advance(cacheProbeInterval)
	require.NoError(t, rev.Check(t.Context(), c))
	require.Equal(t, 2, flaky.reads, "one probe per interval")

	flaky.down = false
	e.clock.Advance(cacheProbeInterval)
	require.NoError(t, rev.Check(t.Context(), c), "the probe succeeds and rebuilds")
	require.True(t, e.intact(t))
	require.NoError(t, rev.Check(t.Context(), c))
	require.Equal(t, 4, flaky.reads, "back on the fast path")
}

var errCacheDown = errors.New("redis down")

func (f *flakyCache) Deny(ctx context.Context, jti string, until time.Time) error {
	if f.down || f.failWrites {
		return errCacheDown
	}
	return f.RevocationCache.Deny(ctx, jti, until)
}

func (f *flakyCache) RevokeFamily(ctx context.Context, family string, ttl time.Duration) error {
	if f.down || f.failWrites {
		return errCacheDown
	}
	return f.RevocationCache.RevokeFamily(ctx, family, ttl)
}

func (f *flakyCache) Distrust(ctx context.Context) error {
	if f.down {
		return errCacheDown
	}
	return f.RevocationCache.Distrust(ctx)
}

// TestRevocation_LostCopyReachesEveryNode: node A records a logout whose
// copy to Redis fails while Redis is reachable. Node B, sharing that Redis,
// must refuse the token at once: A removed the rebuilt marker, so B reads
// PostgreSQL and rebuilds, and from then on Redis itself knows.
func TestRevocation_LostCopyReachesEveryNode(t *testing.T) {
	t.Parallel()
	e := newRevocationEnv(t)
	require.NoError(t, e.rev.Rebuild(t.Context()))
	_, out := e.signIn(t, "device-lost-copy")
	nodeA := NewRevocation(e.tokens, e.store, &flakyCache{RevocationCache: e.redis, failWrites: true}, e.bus, nil)
	nodeB := e.rev
	require.NoError(t, nodeB.Check(t.Context(), out), "valid before the logout")

	require.NoError(t, nodeA.Logout(t.Context(), out), "recorded in PostgreSQL; the copy to Redis failed")
	require.False(t, e.intact(t), "node A told every node to distrust Redis")
	require.ErrorIs(t, nodeB.Check(t.Context(), out), ErrRevoked, "node B refuses the token at once")
	require.True(t, e.intact(t), "node B rebuilt Redis from PostgreSQL")
	v, err := e.redis.Revoked(t.Context(), persistence.RevocationQuery{TokenID: out.TokenID, PlayerID: out.PlayerID, FamilyID: out.SessionID})
	require.NoError(t, err)
	require.True(t, v.Denied, "the rebuild copied the lost revocation")
}

// TestRevocation_CancelledCheckLeavesRedisTrusted: a client that hangs up
// mid-check neither opens the breaker nor marks Redis stale, so it cannot
// force rebuilds or PostgreSQL reads on everyone else.
func TestRevocation_CancelledCheckLeavesRedisTrusted(t *testing.T) {
	t.Parallel()
	e := newRevocationEnv(t)
	require.NoError(t, e.rev.Rebuild(t.Context()))
	_, c := e.signIn(t, "device-cancelled")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	require.ErrorIs(t, e.rev.Check(ctx, c), ErrRevocationUnavailable, "no verdict for a request that is gone")
	require.False(t, e.rev.redis.Open(), "the breaker stays closed")
	require.Zero(t, e.rev.dirty.Load(), "Redis is not marked stale")
	require.NoError(t, e.rev.Check(t.Context(), c))
}

// TestTokens_RefreshReuseRevokesFamilyAccess: presenting a rotated refresh
// token again refuses the family's current access token at once and tells
// every node to close its sockets; other sign-ins are untouched.
func TestTokens_RefreshReuseRevokesFamilyAccess(t *testing.T) {
	t.Parallel()
	e := newRevocationEnv(t)
	p := newGuest(t, e.store, "device-reuse-family")
	first, err := e.tokens.Issue(t.Context(), p)
	require.NoError(t, err)
	other, err := e.tokens.Issue(t.Context(), p)
	require.NoError(t, err)
	thief, _, err := e.tokens.Refresh(t.Context(), first.RefreshToken) // the thief rotates first
	require.NoError(t, err)
	c, err := e.rev.CheckToken(t.Context(), thief.AccessToken)
	require.NoError(t, err)

	_, _, err = e.tokens.Refresh(t.Context(), first.RefreshToken) // the owner presents the rotated one
	require.ErrorIs(t, err, persistence.ErrTokenReused)
	_, err = e.rev.CheckToken(t.Context(), thief.AccessToken)
	require.ErrorIs(t, err, ErrRevoked, "the thief's access token dies at once")
	_, err = e.rev.CheckToken(t.Context(), first.AccessToken)
	require.ErrorIs(t, err, ErrRevoked, "every access token of the family")
	_, err = e.rev.CheckToken(t.Context(), other.AccessToken)
	require.NoError(t, err, "another sign-in lives")
	require.Equal(t, []RevocationEvent{{PlayerID: p.ID, SessionID: c.SessionID, Reason: ReasonFamilyRevoked}}, e.bus.all())

	e.server.Restart()
	_, err = e.rev.CheckToken(t.Context(), thief.AccessToken)
	require.ErrorIs(t, err, ErrRevoked, "and after Redis lost it")
}

func TestRevocation_FailsClosed(t *testing.T) {
	t.Parallel()
	e := newRevocationEnv(t)
	_, c := e.signIn(t, "device-fail-closed")
	e.server.Stop()
	e.store.Close()
	require.ErrorIs(t, e.rev.Check(t.Context(), c), ErrRevocationUnavailable)
}

// TestRevocation_ReplacedRedisBehindIsDistrusted: a Redis that comes back
// as another server still carrying the rebuilt marker (a replica promoted
// while behind, a restore of an old snapshot) misses the newest
// revocations; the node notices the new server and reads PostgreSQL until
// it rebuilt.
func TestRevocation_ReplacedRedisBehindIsDistrusted(t *testing.T) {
	t.Parallel()
	e := newRevocationEnv(t)
	require.NoError(t, e.rev.Rebuild(t.Context()))
	_, out := e.signIn(t, "device-behind")
	require.NoError(t, e.rev.Logout(t.Context(), out))

	e.server.Restart()
	require.NoError(t, e.server.Command("SET", "rev:rebuilt", "1"), "the replica had the marker, not the logout")
	require.ErrorIs(t, e.rev.Check(t.Context(), out), ErrRevoked)
	v, err := e.redis.Revoked(t.Context(), persistence.RevocationQuery{TokenID: out.TokenID, PlayerID: out.PlayerID})
	require.NoError(t, err)
	require.True(t, v.Denied, "the rebuild wrote the missing logout into the new server")
}

// restoreFailing is the real cache with every Restore refused, as on a
// read-only replica; it counts the attempts.
type restoreFailing struct {
	persistence.RevocationCache
	restores int
}

func (f *restoreFailing) Restore(context.Context, persistence.RevocationState, time.Duration) error {
	f.restores++
	return errCacheDown
}

// TestRevocation_FailingRebuildIsNotRetriedPerRequest: when Redis lost its
// marker and refuses the rebuild, checks keep answering from PostgreSQL and
// try the rebuild once per interval, not on every request.
func TestRevocation_FailingRebuildIsNotRetriedPerRequest(t *testing.T) {
	t.Parallel()
	e := newRevocationEnv(t)
	_, c := e.signIn(t, "device-readonly")
	cache := &restoreFailing{RevocationCache: e.redis}
	rev := NewRevocation(e.tokens, e.store, cache, e.bus, nil)

	for range 5 {
		require.NoError(t, rev.Check(t.Context(), c), "answered by PostgreSQL")
	}
	require.Equal(t, 1, cache.restores, "one rebuild attempt, then none until the interval passed")
	e.clock.Advance(cacheProbeInterval)
	require.NoError(t, rev.Check(t.Context(), c))
	require.NoError(t, rev.Check(t.Context(), c))
	require.Equal(t, 2, cache.restores, "one attempt per interval")
}
