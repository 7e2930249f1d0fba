package rest

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/redistest"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence/redis"
)

// redisCalls is how many data commands srv has run.
func redisCalls(t *testing.T, srv *redistest.Server) int64 {
	t.Helper()
	n, err := srv.DataCalls()
	require.NoError(t, err)
	return n
}

// TestReadPath_HotReadsSkipRedis: once warm, anonymous top-100 reads and
// signed-in around-me reads run no Redis command per request — the rate
// limit is spent from local leases and the revocation verdict from memory —
// while the same reads with both off cost Redis trips each.
func TestReadPath_HotReadsSkipRedis(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	h := newSecHarnessAt(t, srv.URL(), func(d *Deps) {
		d.Config.RateAnonymous, d.Config.RateUser, d.Config.RateAuth = 1_000_000, 1_000_000, 1_000_000
	})
	require.NoError(t, h.rev.Listen(t.Context(), h.redis, time.Minute))
	me := signIn(t, h.harness, "device-hot-reads")
	read := func(n int) {
		for range n {
			require.Equal(t, http.StatusOK, h.get(t, "/api/v1/leaderboards/global?limit=100", "").Code)
			w := h.get(t, "/api/v1/leaderboards/global/around-me", me.AccessToken)
			require.Equal(t, http.StatusNotFound, w.Code, "authenticated, admitted, not ranked: %s", w.Body.String())
		}
	}
	read(1000) // slow start grows the leases; the first checks rebuild Redis
	before := redisCalls(t, srv)
	read(1000)
	require.LessOrEqual(t, redisCalls(t, srv)-before, int64(10), "2,000 hot reads: a few lease top-ups (two subjects, leases still doubling), nothing per request")

	cold := newSecHarnessAt(t, srv.URL(), func(d *Deps) {
		d.Config.RateAnonymous, d.Config.RateUser, d.Config.RateAuth = 1_000_000, 1_000_000, 1_000_000
		d.Config.RateSyncInterval = 0
	})
	other := signIn(t, cold.harness, "device-cold-reads")
	before = redisCalls(t, srv)
	for range 10 {
		require.Equal(t, http.StatusNotFound, cold.get(t, "/api/v1/leaderboards/global/around-me", other.AccessToken).Code)
	}
	require.GreaterOrEqual(t, redisCalls(t, srv)-before, int64(20), "without leases nor memory: a limiter and a revocation trip each")
}

// twoNodes are two routers sharing one Redis budget, as two nodes of a
// cluster do, on one clock.
func twoNodes(t *testing.T, edit func(*Deps)) (a, b *harness, clk *testclock.Clock) {
	t.Helper()
	srv := redistest.Start(t)
	clk = testclock.New(time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC))
	node := func() *harness {
		rc, err := redis.Open(t.Context(), config.Redis{URL: srv.URL(), Prefix: "two-nodes:"}, redis.WithClock(clk.Now))
		require.NoError(t, err)
		t.Cleanup(func() { _ = rc.Close() })
		return newHarness(t, nil, nil, nil, func(d *Deps) {
			d.Now = clk.Now
			d.Security = SecurityDeps{Limiter: rc}
			edit(d)
		})
	}
	return node(), node(), clk
}

// TestRateLimit_TwoNodesShareTheBudget: with local leases, a small budget
// is exact across nodes (a lease is one request) and keeps its Retry-After.
func TestRateLimit_TwoNodesShareTheBudget(t *testing.T) {
	t.Parallel()
	a, b, clk := twoNodes(t, func(d *Deps) { d.Config.RateWindow, d.Config.RateAnonymous = time.Minute, 4 })
	board := request{Method: "GET", Path: "/api/v1/leaderboards/global"}
	for i, n := range []*harness{a, b, a, b} {
		require.Equal(t, http.StatusOK, n.do(t, board).Code, "request %d", i)
	}
	for _, n := range []*harness{a, b} {
		w := n.do(t, board)
		requireError(t, w, http.StatusTooManyRequests, CodeRateLimited)
		require.Equal(t, "15", w.Header().Get("Retry-After"))
	}
	clk.Advance(15 * time.Second)
	require.Equal(t, http.StatusOK, b.do(t, board).Code, "one request refilled")
	requireError(t, a.do(t, board), http.StatusTooManyRequests, CodeRateLimited)
}

// TestRateLimit_TwoNodesWithinTolerance: two nodes hammering one subject
// whose leases hold several requests admit together the budget within the
// tolerance of docs/SECURITY.md: at most 2 × limit × sync / window more, and
// at most one unspent lease per node less.
func TestRateLimit_TwoNodesWithinTolerance(t *testing.T) {
	t.Parallel()
	const limit = 600
	a, b, _ := twoNodes(t, func(d *Deps) {
		d.Config.RateWindow, d.Config.RateAnonymous, d.Config.RateSyncInterval = time.Minute, limit, time.Second
	})
	board := request{Method: "GET", Path: "/api/v1/leaderboards/global"}
	admitted := 0
	for range 3 * limit {
		for _, n := range []*harness{a, b} {
			if n.do(t, board).Code == http.StatusOK {
				admitted++
			}
		}
	}
	lease := limit / 60 // limit × sync / window
	require.LessOrEqual(t, admitted, limit+2*lease)
	require.GreaterOrEqual(t, admitted, limit-2*lease)
}
