// Package rest is the HTTP API of ProofStell under /api/v1, plus the root
// endpoints /metrics and /ws. It is the only package that imports chi.
//
// Middleware order, outermost first: request id → language negotiation
// (locale.go) → access log and metrics →
// recovery → security headers → CORS (only when config.HTTP.CORSEnabled) →
// rate limit → under /api/v1: request timeout, maintenance mode's refusal
// of writes (maintenance.go) → (per route group) authentication with the
// revocation check, and role check → handler. Routes are authenticated and
// need a known role unless registered in the public group; admin routes
// need their role on top. Every error leaves through writeError in the one shape
// {"error":{"code","message","details","requestId"}}.
package rest

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/proofstell/proofstell/actors/leaderboard"
	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/gateway/i18n"
	"github.com/proofstell/proofstell/internal/admission"
	"github.com/proofstell/proofstell/internal/breaker"
	"github.com/proofstell/proofstell/persistence"
)

// Leaderboards answers leaderboard reads. It is implemented by
// *leaderboard.Client (asserted in the tests). Every method may fail with an error wrapping
// grains.ErrUnavailable or the context's error.
type Leaderboards interface {
	// Top returns up to limit entries of the board's period, after the
	// cursor entry when after is non-nil, with the board's size.
	Top(ctx context.Context, key standings.Key, limit int, after *standings.Entry) (leaderboard.Page, error)
	// Rank returns the player's standing and the board's size; ok is false
	// when the player has no entry.
	Rank(ctx context.Context, key standings.Key, playerID string) (standings.Ranked, int, bool, error)
	// Around returns the standings within radius of the player and the
	// board's size; ok is false when the player has no entry.
	Around(ctx context.Context, key standings.Key, playerID string, radius int) ([]standings.Ranked, int, bool, error)
	// Rename shows the player under username on the live boards of the
	// modes' current periods (at now); best effort, boards rebuild from
	// storage.
	Rename(ctx context.Context, modes []string, playerID, username string, now time.Time) error
}

// HealthCheck is one dependency probed by /health/ready. An optional check
// is reported but does not make the node unready (e.g. chain RPC).
type HealthCheck struct {
	Name     string
	Check    func(ctx context.Context) error
	Optional bool
}

// Deps is everything the router needs, wired by cmd.
type Deps struct {
	Config       config.HTTP
	Env          config.Environment
	Logger       *slog.Logger
	Now          func() time.Time
	Tokens       *auth.Tokens
	Players      persistence.PlayerStore
	Sessions     persistence.SessionStore
	Leaderboards Leaderboards
	// Modes is the mode catalogue: GET /modes, the admin mode routes, and
	// the ?mode= of every leaderboard route (served from memory).
	Modes  persistence.ModeCatalogue
	Health []HealthCheck
	// Pressure reports the node's admission pressure in /health/ready; nil
	// leaves it out (see health.go).
	Pressure func() admission.State
	// Metrics serves /metrics; nil leaves the route unmounted.
	Metrics http.Handler
	// Registerer receives the HTTP metrics; nil keeps them unregistered.
	Registerer prometheus.Registerer
	// WebSocket serves /ws and authenticates by itself; nil leaves it unmounted.
	WebSocket http.Handler
	// SocketIO serves /socket.io/ (Engine.IO and Socket.IO; it checks the
	// token in the CONNECT packet); nil leaves it unmounted.
	SocketIO http.Handler
	// Play serves the play page at /play and its assets under /play/ (gateway/playpage;
	// it sets the page's own CSP); nil leaves it unmounted.
	Play http.Handler
	// PageCacheTTL keeps encoded public leaderboard pages this long (cmd
	// passes the leaderboard publish interval); 0 disables the cache.
	PageCacheTTL time.Duration
	// Accounts serves email and password accounts (accounts.go).
	Accounts AccountDeps
	// Wallets serves wallet sign-in and linking (wallets.go).
	Wallets WalletDeps
	// Security serves revocation, profiles and administration (security.go).
	Security SecurityDeps
	// Periods serves Merkle proofs of closed leaderboard periods (periods.go).
	Periods PeriodDeps
	// Mints serves the caller's mint requests (mints.go).
	Mints MintDeps
	// Badges serves the badge catalogue and awards (badges.go).
	Badges BadgeDeps
	// Matchmaking serves the operators' view of the queues
	// (matchmaking.go); nil answers 503.
	Matchmaking MatchmakingStats
	// Challenges serves the challenges and their admin edits
	// (challenges.go).
	Challenges ChallengeDeps
	// Referrals serves referral codes and progress (referrals.go).
	Referrals ReferralDeps
	// Translations serves the languages and translations and localizes
	// responses (translations.go, locale.go).
	Translations TranslationDeps
	// Notifications serves the caller's inbox and admin broadcasts
	// (notifications.go).
	Notifications NotificationDeps
	// Flags serves the review of flagged results (flags.go).
	Flags FlagDeps
	// Analytics queues players' client events (analytics.go).
	Analytics AnalyticsDeps
	// Audit serves the audit log of staff actions (audit.go).
	Audit AuditDeps
	// Stats serves the admin dashboard and CSV exports (admin_stats.go,
	// admin_exports.go).
	Stats StatsDeps
	// Settings serves the runtime settings and maintenance mode
	// (settings.go, maintenance.go).
	Settings SettingsDeps
}

// api carries the dependencies every handler shares.
type api struct {
	Deps
	logger    *slog.Logger
	now       func() time.Time
	tokens    *auth.Tokens
	metrics   httpMetrics
	pages     *pageCache
	clientIPs clientIPs
	// limiterUp keeps requests away from a rate limiter that just failed.
	limiterUp *breaker.Breaker
	// limiter is Security.Limiter, spent through local leases when it can
	// reserve (newLimiter).
	limiter RateLimiter
	// catalogues is the i18n catalogue built from the store's (locale.go).
	catalogues i18n.Cache
	// stats caches the admin dashboard (admin_stats.go).
	stats *statsCache
	// exports holds a slot per running export (admin_exports.go).
	exports chan struct{}
}

// NewRouter builds the HTTP handler of a node.
func NewRouter(deps Deps) http.Handler {
	a := &api{Deps: deps, logger: deps.Logger, now: deps.Now, tokens: deps.Tokens,
		metrics: newHTTPMetrics(deps.Registerer)}
	if a.logger == nil {
		a.logger = slog.Default()
	}
	if a.now == nil {
		a.now = time.Now
	}
	a.pages = newPageCache(deps.PageCacheTTL, a.now)
	a.stats = newStatsCache(a.now)
	a.exports = make(chan struct{}, maxConcurrentExports)
	a.limiterUp = breaker.New(limiterProbeInterval, a.now)
	a.limiter = newLimiter(deps.Security.Limiter, deps.Config.RateSyncInterval, a.now)
	a.clientIPs = newClientIPs(deps.Config.TrustedProxies)
	r := chi.NewRouter()
	origins := deps.Config.AllowedOrigins
	if !deps.Config.CORSEnabled {
		origins = nil // no origin allowed: no CORS headers, preflights refused
	}
	r.Use(withRequestID, a.localize, a.observe, a.recoverPanics, securityHeaders,
		newCORS(origins, a.logger).handler, a.rateLimit)
	r.NotFound(a.handle(notFound))
	r.MethodNotAllowed(a.handle(methodNotAllowed))
	r.Route("/api/v1", a.routes)
	a.mountAPIDocs(r)
	if deps.Metrics != nil {
		r.Method(http.MethodGet, "/metrics", deps.Metrics)
	}
	if deps.WebSocket != nil {
		r.Handle("/ws", deps.WebSocket)
	}
	if deps.SocketIO != nil {
		r.Handle("/socket.io/", deps.SocketIO)
	}
	if deps.Play != nil {
		r.Handle("/play", deps.Play)
		r.Handle("/play/*", deps.Play)
	}
	return r
}

// routes registers /api/v1. Public routes are listed explicitly; everything
// else is behind authenticate.
func (a *api) routes(r chi.Router) {
	r.Use(requestBudget(a.Config.RequestTimeout), a.refuseInMaintenance)
	r.Group(func(r chi.Router) { // public
		r.Post("/auth/guest", a.handle(a.guest))
		r.Post("/auth/refresh", a.handle(a.refresh))
		r.Get("/leaderboards/{board}", a.handle(a.leaderboardTop))
		r.Get("/modes", a.handle(a.listModes))
		r.Get("/health/live", a.handle(a.live))
		r.Get("/health/ready", a.handle(a.ready))
		r.Get("/avatars/{file}", a.handle(a.avatarFile))
		a.accountPublicRoutes(r)
		a.walletPublicRoutes(r)
		a.badgeRoutes(r, nil)
		a.periodRoutes(r, a.Periods)
		r.Get("/sessions/{id}/replay", a.handle(a.sessionReplay))
		a.challengeRoutes(r, nil)
		a.translationRoutes(r, nil)
		a.unsubscribeRoutes(r, a.Notifications)
	})
	r.Group(func(r chi.Router) { // authenticated
		r.Use(a.authenticate, a.requireRole(allRoles...))
		r.Get("/leaderboards/{board}/me", a.handle(a.leaderboardMe))
		r.Get("/leaderboards/{board}/around-me", a.handle(a.leaderboardAround))
		r.Get("/players/me", a.handle(a.playerMe))
		r.Get("/players/me/sessions", a.handle(a.playerSessions))
		r.Get("/sessions/{id}", a.handle(a.session))
		a.accountRoutes(r)
		a.walletRoutes(r)
		a.securityRoutes(r)
		a.badgeRoutes(nil, r)
		a.mintRoutes(r, a.Mints)
		a.mintReadRoutes(r, a.Mints)
		a.modeAdminRoutes(r)
		a.matchmakingRoutes(r, a.Matchmaking)
		a.challengeRoutes(nil, r)
		a.referralRoutes(r)
		a.translationRoutes(nil, r)
		a.notificationRoutes(r, a.Notifications)
		a.flagRoutes(r)
		a.analyticsRoutes(r)
		a.auditRoutes(r)
		a.statsRoutes(r)
		a.settingsRoutes(r)
	})
}

// notFound answers unknown paths in the error shape.
func notFound(http.ResponseWriter, *http.Request) error {
	return newError(http.StatusNotFound, CodeNotFound, "route not found")
}

// methodNotAllowed answers a known path with the wrong method.
func methodNotAllowed(http.ResponseWriter, *http.Request) error {
	return newError(http.StatusMethodNotAllowed, CodeMethodNotAllowed, "method not allowed")
}
