package rest

import (
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/proofstell/proofstell/internal/budget"
	"github.com/proofstell/proofstell/internal/settings"
)

// Route classes of the rate limiter.
const (
	apiPrefix  = "/api/v1"
	authPrefix = apiPrefix + "/auth/"
)

// authUnlimited are the /auth/ routes that neither sign in, register nor
// recover an account: they get the ordinary (user or anonymous) budget.
var authUnlimited = map[string]bool{
	authPrefix + "refresh":    true,
	authPrefix + "logout":     true,
	authPrefix + "logout-all": true,
}

// rateLimit spends one request of the caller's cluster-wide budget:
// sign-in, registration and recovery routes per IP (RateAuth, the strictest),
// requests with a valid access token per player (RateUser), everything else
// per IP (RateAnonymous). Health and metrics are exempt so probes and
// scrapes never fail. The client IP is the TCP peer, or, behind a proxy
// listed in TRUSTED_PROXIES, the address it forwarded (clientIPs); with no
// trusted proxy every client behind one shares its budget. When Redis fails
// the request is let through (fail open): limits protect capacity, and an
// outage of Redis must not become an outage of the API.
func (a *api) rateLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.limiter == nil || rateExempt(r) {
			next.ServeHTTP(w, r)
			return
		}
		key, limit := a.rateSubject(r)
		if ok, retry := a.allow(r, key, limit); !ok {
			writeRateLimited(w, r, a.logger, retry)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// newLimiter spends limiter's budgets through local leases
// (internal/budget) when it can reserve several requests at once and sync
// is positive, so a hot subject costs no Redis round trip per request; the
// tolerance this buys is in docs/SECURITY.md. Otherwise every request asks
// limiter.
func newLimiter(limiter RateLimiter, sync time.Duration, now func() time.Time) RateLimiter {
	if store, ok := limiter.(budget.Reserver); ok && sync > 0 {
		return budget.NewLocal(store, sync, now)
	}
	return limiter
}

// limiterProbeInterval is how long requests skip a limiter that failed
// before one of them tries it again: a dead Redis costs go-redis's dial
// retries (over a second), which no request should pay each time.
const limiterProbeInterval = time.Second

// allow spends one request from key's budget. While the limiter is down,
// requests pass without asking it, except one probe per
// limiterProbeInterval; the outage and the recovery are logged once each.
func (a *api) allow(r *http.Request, key string, limit int) (ok bool, retry time.Duration) {
	if !a.limiterUp.Allow() {
		return true, 0
	}
	ok, retry, err := a.limiter.Allow(r.Context(), key, limit, a.Config.RateWindow)
	if a.limiterUp.Record(err) {
		if err != nil {
			a.logger.WarnContext(r.Context(), "rate limiter unavailable; requests pass unlimited until it answers",
				slog.String("request_id", requestID(r.Context())), slog.Any("error", err))
		} else {
			a.logger.InfoContext(r.Context(), "rate limiter answers again")
		}
	}
	if err != nil {
		a.metrics.limiterFailures.Inc()
		return true, 0
	}
	return ok, retry
}

// rateExempt reports the routes that are never limited: probes, scrapes and
// avatar images (immutable files under random names that a leaderboard page
// loads by the dozen; the anonymous budget would refuse most of them).
func rateExempt(r *http.Request) bool {
	path := r.URL.Path
	return path == "/metrics" || strings.HasPrefix(path, apiPrefix+"/health/") ||
		strings.HasPrefix(path, apiPrefix+"/avatars/") || socketIOSession(r)
}

// socketIOSession reports a request of an open Socket.IO session (it names
// its sid): long-polling makes a request per ping and per batch of emits,
// which the gateway bounds with its per-connection message rate; only the
// handshake that opens a session spends the IP's budget.
func socketIOSession(r *http.Request) bool {
	return r.URL.Path == "/socket.io/" && r.URL.Query().Get("sid") != ""
}

// rateSubject picks the budget a request spends from.
func (a *api) rateSubject(r *http.Request) (key string, limit int) {
	ip := a.clientIPs.of(r)
	limits := a.rateLimits()
	if strings.HasPrefix(r.URL.Path, authPrefix) && !authUnlimited[r.URL.Path] {
		return "auth:" + ip, limits.Auth
	}
	if token, ok := requestToken(r); ok {
		if c, err := a.tokens.Verify(token); err == nil {
			return "user:" + c.PlayerID, limits.User
		}
	}
	return "ip:" + ip, limits.Anonymous
}

// rateLimits are the runtime settings' limits, the static ones without a
// settings holder.
func (a *api) rateLimits() settings.RateLimits {
	if s, ok := a.current(); ok {
		return s.RateLimits
	}
	return settings.RateLimits{Anonymous: a.Config.RateAnonymous, User: a.Config.RateUser, Auth: a.Config.RateAuth}
}

// requestToken is the bearer token, or the ?token= of a WebSocket upgrade.
func requestToken(r *http.Request) (string, bool) {
	if t, ok := bearer(r.Header.Get("Authorization")); ok {
		return t, true
	}
	if r.URL.Path == "/ws" {
		t := r.URL.Query().Get("token")
		return t, t != ""
	}
	return "", false
}

// writeRateLimited answers 429 with Retry-After in whole seconds, rounded
// up so a client that waits exactly that long is admitted.
func writeRateLimited(w http.ResponseWriter, r *http.Request, logger *slog.Logger, retry time.Duration) {
	secs := max(1, int64(math.Ceil(retry.Seconds())))
	w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
	writeError(w, r, logger, &apiError{Status: http.StatusTooManyRequests, Code: CodeRateLimited,
		Message: "too many requests", Details: map[string]any{"retryAfterSeconds": secs}})
}
