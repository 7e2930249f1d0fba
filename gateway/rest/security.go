package rest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/persistence"
)

// RateLimiter is the node's limiter (persistence.RateLimiter: cluster-wide
// in Redis, or in process on a node alone).
type RateLimiter interface {
	// Allow takes one request for key from a budget of limit per window and
	// says how long to wait when refused.
	Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error)
}

// SecurityDeps is what revocation, rate limiting, profile and administration
// need. cmd sets every field in production; a nil Revocation or Limiter
// disables that control (only tests of other slices leave them nil).
type SecurityDeps struct {
	// Revocation checks every authenticated request against the denylist
	// and watermark, and applies logout, logout-all and bans.
	Revocation *auth.Revocation
	// Limiter enforces config.HTTP's Rate* budgets.
	Limiter RateLimiter
	// Profiles edits a player's own profile and avatar.
	Profiles persistence.ProfileStore
	// Admin lists players and changes roles and bans.
	Admin persistence.AdminPlayers
}

// errNotConfigured answers a route whose dependency cmd did not wire.
var errNotConfigured = errors.New("security dependency not configured")

// securityRoutes registers the signed-in revocation, profile and admin routes.
func (a *api) securityRoutes(r chi.Router) {
	r.Post("/auth/logout", a.handle(a.logout))
	r.Post("/auth/logout-all", a.handle(a.logoutAll))
	r.Patch("/players/me", a.handle(a.patchProfile))
	r.Post("/players/me/avatar", a.handle(a.uploadAvatar))
	r.Get("/players/{id}", a.handle(a.publicProfile))
	r.With(a.requireRole(persistence.RoleModerator, persistence.RoleAdmin)).
		Get("/admin/players", a.handle(a.adminListPlayers))
	r.With(a.requireRole(persistence.RoleAdmin)).
		Patch("/admin/players/{id}", a.handle(a.adminUpdatePlayer))
}

// logout revokes the caller's access token, its refresh family and the
// sockets opened with it. The body, if any, is ignored.
func (a *api) logout(w http.ResponseWriter, r *http.Request) error {
	if a.Security.Revocation == nil {
		return fmt.Errorf("logout: %w", errNotConfigured)
	}
	c, _ := claimsFrom(r.Context())
	if err := a.Security.Revocation.Logout(r.Context(), c); err != nil {
		return fmt.Errorf("logout: %w", err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// logoutAll revokes every token and socket of the caller.
func (a *api) logoutAll(w http.ResponseWriter, r *http.Request) error {
	if a.Security.Revocation == nil {
		return fmt.Errorf("logout everywhere: %w", errNotConfigured)
	}
	if err := a.Security.Revocation.LogoutAll(r.Context(), playerID(r), auth.ReasonLogoutAll); err != nil {
		return fmt.Errorf("logout everywhere: %w", err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
