package rest

import (
	"context"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	goredis "github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/redis"
)

// secHarness is a router with every security control wired to real
// Postgres and Redis, on a clock the test moves.
type secHarness struct {
	*harness
	store *postgres.Store
	redis *redis.Client
	clock *testclock.Clock
	rev   *auth.Revocation
	// avatarDir is config.HTTP.AvatarDir of the router.
	avatarDir string
}

// sharedRedis is the Redis every test shares, each under a prefix of its own.
const sharedRedis = "redis://127.0.0.1:6379/0"

// openRedisAt opens a client on the Redis at url under a key prefix of its
// own, deleted at cleanup if the server still runs.
func openRedisAt(t testing.TB, url string, now func() time.Time) *redis.Client {
	t.Helper()
	prefix := "pstest:rest:" + uuid.NewString()[:8] + ":"
	c, err := redis.Open(t.Context(), config.Redis{URL: url, Prefix: prefix}, redis.WithClock(now))
	require.NoError(t, err)
	t.Cleanup(func() {
		_ = c.Close()
		if url != sharedRedis {
			return // a throwaway server: it dies with the test
		}
		raw := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:6379"})
		defer func() { _ = raw.Close() }()
		ctx := context.Background()
		keys, err := raw.Keys(ctx, prefix+"*").Result()
		require.NoError(t, err)
		if len(keys) > 0 {
			require.NoError(t, raw.Del(ctx, keys...).Err())
		}
	})
	return c
}

// newSecHarness builds the router; edit may adjust Deps (e.g. limits).
func newSecHarness(t testing.TB, edit func(*Deps)) *secHarness {
	t.Helper()
	return newSecHarnessAt(t, sharedRedis, edit)
}

// newSecHarnessAt builds the router over the Redis at url.
func newSecHarnessAt(t testing.TB, url string, edit func(*Deps)) *secHarness {
	t.Helper()
	// Near real time: the denylist expires entries at absolute (PXAT)
	// times, so a clock in the past would expire them at once.
	clk := testclock.New(time.Now().UTC().Truncate(time.Millisecond))
	store := openStore(t)
	rc := openRedisAt(t, url, clk.Now)
	tokens := auth.NewTokens(testAuth(), store, store, clk.Now, rand.Reader)
	rev := auth.NewRevocation(tokens, store, rc, rc, nil)
	dir := t.TempDir()
	h := newHarness(t, tokens, store, store, func(d *Deps) {
		d.Now = clk.Now
		d.Config.AvatarDir = dir
		d.Config.AvatarMaxBytes = 64 << 10
		d.Security = SecurityDeps{Revocation: rev, Limiter: rc, Profiles: store, Admin: store}
		if edit != nil {
			edit(d)
		}
	})
	return &secHarness{harness: h, store: store, redis: rc, clock: clk, rev: rev, avatarDir: dir}
}

// withRole signs in a new guest and gives it role in the database before
// signing in again, so the token carries the role (as production does).
func (h *secHarness) withRole(t testing.TB, device string, role persistence.Role) tokenResponse {
	t.Helper()
	me := signIn(t, h.harness, device)
	_, err := h.store.AdminUpdate(t.Context(), persistence.SystemActor("test"), me.Player.ID, persistence.AdminUpdate{Role: &role}, testNow)
	require.NoError(t, err)
	return signIn(t, h.harness, device)
}

// refreshWith presents a refresh token and returns the response.
func (h *secHarness) refreshWith(t testing.TB, token string) int {
	t.Helper()
	return h.do(t, request{Method: "POST", Path: "/api/v1/auth/refresh",
		Body: fmt.Sprintf(`{"refreshToken":%q}`, token)}).Code
}
