package rest

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/proofstell/proofstell/persistence"
)

// Admin listing bounds of GET /admin/mints.
const (
	defaultMintPage = 50
	maxMintPage     = 500
)

// mintReadRoutes registers GET /mints/{id} (the owner or an admin; anyone
// else gets 404, so ids cannot be probed) and the admin routes: list by
// status, and retry a failed mint.
func (a *api) mintReadRoutes(authed chi.Router, deps MintDeps) {
	authed.Get("/mints/{id}", a.handle(func(w http.ResponseWriter, r *http.Request) error {
		return a.mint(w, r, deps.Store)
	}))
	authed.Group(func(r chi.Router) {
		r.Use(a.requireRole(persistence.RoleAdmin))
		r.Get("/admin/mints", a.handle(func(w http.ResponseWriter, r *http.Request) error {
			return adminMints(w, r, deps.Store)
		}))
		r.Post("/admin/mints/{id}/retry", a.handle(func(w http.ResponseWriter, r *http.Request) error {
			return a.retryMint(w, r, deps.Store)
		}))
	})
}

func (a *api) mint(w http.ResponseWriter, r *http.Request, store persistence.MintStore) error {
	if store == nil {
		return fmt.Errorf("mint: %w", errNotConfigured)
	}
	m, err := store.Mint(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		return fmt.Errorf("mint: %w", err)
	}
	if c, _ := claimsFrom(r.Context()); m.PlayerID != c.PlayerID && c.Role != string(persistence.RoleAdmin) {
		return newError(http.StatusNotFound, CodeNotFound, "not found")
	}
	writeJSON(w, http.StatusOK, newMintJSON(m))
	return nil
}

func adminMints(w http.ResponseWriter, r *http.Request, store persistence.MintStore) error {
	if store == nil {
		return fmt.Errorf("admin mints: %w", errNotConfigured)
	}
	status := persistence.MintStatus(r.URL.Query().Get("status"))
	switch status {
	case persistence.MintPending, persistence.MintSubmitted, persistence.MintAccepted, persistence.MintFailed:
	default:
		return newError(http.StatusBadRequest, CodeBadRequest, "status must be pending, submitted, accepted or failed")
	}
	limit := defaultMintPage
	if raw := r.URL.Query().Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxMintPage {
			return newError(http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("limit must be 1..%d", maxMintPage))
		}
		limit = n
	}
	mints, err := store.MintsByStatus(r.Context(), status, limit)
	if err != nil {
		return fmt.Errorf("admin mints: %w", err)
	}
	out := make([]mintJSON, 0, len(mints))
	for _, m := range mints {
		out = append(out, newMintJSON(m))
	}
	writeJSON(w, http.StatusOK, mintsResponse{Mints: out})
	return nil
}

func (a *api) retryMint(w http.ResponseWriter, r *http.Request, store persistence.MintStore) error {
	if store == nil {
		return fmt.Errorf("retry mint: %w", errNotConfigured)
	}
	m, err := store.RetryMint(r.Context(), a.auditActor(r), chi.URLParam(r, "id"), a.now())
	if err != nil {
		return fmt.Errorf("retry mint: %w", err)
	}
	writeJSON(w, http.StatusOK, newMintJSON(m))
	return nil
}
