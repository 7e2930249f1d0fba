package rest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/redistest"
)

// limits sets small budgets: 3 anonymous, 2 auth, 4 per user, per minute.
func limits(d *Deps) {
	d.Config.RateWindow = time.Minute
	d.Config.RateAnonymous, d.Config.RateAuth, d.Config.RateUser = 3, 2, 4
}

func TestRateLimit_AnonymousPerIPWithRetryAfter(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, limits)
	board := request{Method: "GET", Path: "/api/v1/leaderboards/global"}
	for i := range 3 {
		require.NotEqual(t, http.StatusTooManyRequests, h.do(t, board).Code, "request %d", i)
	}
	w := h.do(t, board)
	requireError(t, w, http.StatusTooManyRequests, CodeRateLimited)
	// GCRA: one request per 20 s refills; the header rounds up to seconds.
	require.Equal(t, "20", w.Header().Get("Retry-After"))
	require.Equal(t, "nosniff", w.Header().Get("X-Content-Type-Options"), "429 carries security headers")

	h.clock.Advance(19 * time.Second)
	requireError(t, h.do(t, board), http.StatusTooManyRequests, CodeRateLimited)
	h.clock.Advance(time.Second)
	require.NotEqual(t, http.StatusTooManyRequests, h.do(t, board).Code, "admitted after Retry-After")

	other := board
	other.Header = map[string]string{}
	r := httptestRequest(t.Context(), "GET", "/api/v1/leaderboards/global")
	r.RemoteAddr = "198.51.100.7:4000"
	require.NotEqual(t, http.StatusTooManyRequests, serve(h.harness, r).Code, "another IP has its own budget")
	for range 5 {
		require.Equal(t, http.StatusOK, h.get(t, "/api/v1/health/live", "").Code, "health is exempt")
	}
}

func TestRateLimit_AuthRoutesAreStricter(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, limits)
	guest := request{Method: "POST", Path: "/api/v1/auth/guest", Body: `{"deviceId":"device-rate-auth"}`}
	require.Equal(t, http.StatusOK, h.do(t, guest).Code)
	require.Equal(t, http.StatusOK, h.do(t, guest).Code)
	w := h.do(t, guest)
	requireError(t, w, http.StatusTooManyRequests, CodeRateLimited)
	require.Equal(t, "30", w.Header().Get("Retry-After"))
}

func TestRateLimit_SignedInPerPlayer(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, limits)
	me := signIn(t, h.harness, "device-rate-user")
	for i := range 4 {
		require.Equal(t, http.StatusOK, h.get(t, "/api/v1/players/me", me.AccessToken).Code, "request %d", i)
	}
	requireError(t, h.get(t, "/api/v1/players/me", me.AccessToken), http.StatusTooManyRequests, CodeRateLimited)
	// The player's budget is not the IP's: anonymous traffic still passes.
	require.NotEqual(t, http.StatusTooManyRequests, h.get(t, "/api/v1/leaderboards/global", "").Code)
}

// brokenLimiter is a limiter whose Redis is down.
type brokenLimiter struct{}

func (brokenLimiter) Allow(_ context.Context, _ string, _ int, _ time.Duration) (bool, time.Duration, error) {
	return false, 0, errors.New("redis down")
}

func TestRateLimit_FailsOpen(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, func(d *Deps) { limits(d); d.Security.Limiter = brokenLimiter{} })
	for range 5 {
		require.Equal(t, http.StatusOK, h.get(t, "/api/v1/health/ready", "").Code)
		require.NotEqual(t, http.StatusTooManyRequests, h.get(t, "/api/v1/leaderboards/global", "").Code)
	}
}

func TestRouter_SecurityHeadersOnEveryStatus(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, func(d *Deps) {
		d.Metrics = http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })
	})
	me := signIn(t, h.harness, "device-headers")
	for _, tc := range []struct {
		req    request
		status int
	}{
		{request{Method: "GET", Path: "/api/v1/players/me", Token: me.AccessToken}, 200},
		{request{Method: "GET", Path: "/api/v1/players/me"}, 401},
		{request{Method: "GET", Path: "/api/v1/admin/players", Token: me.AccessToken}, 403},
		{request{Method: "GET", Path: "/metrics"}, 500},
	} {
		w := h.do(t, tc.req)
		require.Equal(t, tc.status, w.Code)
		for _, k := range []string{"Content-Security-Policy", "Strict-Transport-Security", "X-Frame-Options",
			"X-Content-Type-Options", "Referrer-Policy"} {
			require.NotEmpty(t, w.Header().Get(k), "%s on %d", k, tc.status)
		}
	}
}

func TestRouter_CORSDisabled(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil, nil, nil, func(d *Deps) { d.Config.CORSEnabled = false })
	w := h.do(t, request{Method: "GET", Path: "/api/v1/health/live", Header: map[string]string{"Origin": "http://localhost:5173"}})
	require.Equal(t, http.StatusOK, w.Code)
	require.Empty(t, w.Header().Get("Access-Control-Allow-Origin"))
	w = h.do(t, request{Method: http.MethodOptions, Path: "/api/v1/auth/guest", Header: map[string]string{
		"Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST"}})
	requireError(t, w, http.StatusForbidden, CodeForbidden)
}

func TestRateExempt(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]bool{
		"/metrics": true, "/api/v1/health/ready": true, "/api/v1/avatars/0123abcd.png": true,
		"/api/v1/leaderboards/daily": false, "/api/v1/auth/guest": false, "/api/v1/players/me": false,
		"/api/v1/avatarsX": false,
		"/socket.io/?EIO=4&transport=polling&sid=abc": true, "/socket.io/?EIO=4&transport=polling": false,
		"/other/?sid=abc": false,
	} {
		require.Equal(t, want, rateExempt(httptest.NewRequest(http.MethodGet, path, nil)), path)
	}
}

// A client cannot buy a fresh budget with a forged X-Forwarded-For: only the
// TCP peer counts.
func TestRateLimit_IgnoresForwardedFor(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, limits)
	for i := range 4 {
		w := h.do(t, request{Method: "GET", Path: "/api/v1/leaderboards/global",
			Header: map[string]string{"X-Forwarded-For": fmt.Sprintf("203.0.113.%d", i), "X-Real-IP": "203.0.113.99"}})
		if i < 3 {
			require.NotEqual(t, http.StatusTooManyRequests, w.Code, "request %d", i)
			continue
		}
		requireError(t, w, http.StatusTooManyRequests, CodeRateLimited)
	}
}

// Refreshing and logging out are not sign-in attempts: they stay out of the
// strict auth budget, so a client can always end or renew its session.
func TestRateLimit_RefreshAndLogoutOutsideAuthBudget(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, limits)
	me := signIn(t, h.harness, "device-rate-refresh") // 1 of 2 auth requests
	pair := me
	for i := range 3 {
		w := h.do(t, request{Method: "POST", Path: "/api/v1/auth/refresh", Body: fmt.Sprintf(`{"refreshToken":%q}`, pair.RefreshToken)})
		require.Equal(t, http.StatusOK, w.Code, "refresh %d: %s", i, w.Body.String())
		pair = decode[tokenResponse](t, w)
	}
	require.Equal(t, http.StatusNoContent, h.do(t, request{Method: "POST", Path: "/api/v1/auth/logout", Token: pair.AccessToken}).Code)
	signIn(t, h.harness, "device-rate-refresh-2") // the 2nd auth request still fits
	requireError(t, h.do(t, request{Method: "POST", Path: "/api/v1/auth/guest", Body: `{"deviceId":"device-rate-3"}`}),
		http.StatusTooManyRequests, CodeRateLimited)
}

// countingLimiter counts the decisions that reach the real limiter.
type countingLimiter struct {
	RateLimiter
	calls atomic.Int32
}

func (c *countingLimiter) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	c.calls.Add(1)
	return c.RateLimiter.Allow(ctx, key, limit, window)
}

// A dead Redis costs the client's dial retries per call: after one failure
// requests pass without asking it, one probe per interval finds it back,
// and the budgets hold again from then on.
func TestRateLimit_DeadRedisIsProbedOncePerInterval(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	var limiter *countingLimiter
	h := newSecHarnessAt(t, srv.URL(), func(d *Deps) {
		limits(d)
		limiter = &countingLimiter{RateLimiter: d.Security.Limiter}
		d.Security.Limiter = limiter
	})
	board := request{Method: "GET", Path: "/api/v1/leaderboards/global"}

	srv.Stop()
	for i := range 5 {
		require.NotEqual(t, http.StatusTooManyRequests, h.do(t, board).Code, "fails open, request %d", i)
	}
	require.Equal(t, int32(1), limiter.calls.Load(), "only the first request pays the dead Redis")

	srv.Restart()
	h.clock.Advance(limiterProbeInterval - time.Millisecond)
	require.NotEqual(t, http.StatusTooManyRequests, h.do(t, board).Code)
	require.Equal(t, int32(1), limiter.calls.Load(), "no probe before the interval")

	h.clock.Advance(time.Millisecond)
	for i := range 3 {
		require.NotEqual(t, http.StatusTooManyRequests, h.do(t, board).Code, "request %d after recovery", i)
	}
	requireError(t, h.do(t, board), http.StatusTooManyRequests, CodeRateLimited)
	require.Equal(t, int32(5), limiter.calls.Load(), "every request asks the limiter again once it answers")
}
