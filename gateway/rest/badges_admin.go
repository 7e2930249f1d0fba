package rest

import (
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"
)

// badgeAwardResponse is the body of POST /admin/badges/{id}/award.
type badgeAwardResponse struct {
	Awarded bool `json:"awarded"`
}

// adminCreateBadge adds a badge to the catalogue (201; 409 on a taken slug).
func (a *api) adminCreateBadge(w http.ResponseWriter, r *http.Request) error {
	store, err := a.badgeStore("create badge")
	if err != nil {
		return err
	}
	b, err := readBody(a, w, r, decodeBadgeCreate)
	if err != nil {
		return err
	}
	created, err := store.CreateBadge(r.Context(), a.auditActor(r), b)
	if err != nil {
		return fmt.Errorf("create badge: %w", err)
	}
	writeJSON(w, http.StatusCreated, newBadgeJSON(created))
	return nil
}

// adminUpdateBadge edits a badge; retiring one is "active": false, which
// keeps every award of it.
func (a *api) adminUpdateBadge(w http.ResponseWriter, r *http.Request) error {
	store, err := a.badgeStore("update badge")
	if err != nil {
		return err
	}
	u, err := readBody(a, w, r, decodeBadgePatch)
	if err != nil {
		return err
	}
	b, err := store.UpdateBadge(r.Context(), a.auditActor(r), chi.URLParam(r, "id"), u)
	if err != nil {
		return fmt.Errorf("update badge: %w", err)
	}
	writeJSON(w, http.StatusOK, newBadgeJSON(b))
	return nil
}

// adminDeleteBadge removes a badge and every award of it (204).
func (a *api) adminDeleteBadge(w http.ResponseWriter, r *http.Request) error {
	store, err := a.badgeStore("delete badge")
	if err != nil {
		return err
	}
	if err := store.DeleteBadge(r.Context(), a.auditActor(r), chi.URLParam(r, "id")); err != nil {
		return fmt.Errorf("delete badge: %w", err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// adminAwardBadge gives a badge by hand: 201 when newly awarded, 200 when
// the player already held it (idempotent), 404 for an unknown badge or player.
func (a *api) adminAwardBadge(w http.ResponseWriter, r *http.Request) error {
	store, err := a.badgeStore("award badge")
	if err != nil {
		return err
	}
	req, err := readBody(a, w, r, decodeBadgeAward)
	if err != nil {
		return err
	}
	awarded, err := store.AdminAwardBadge(r.Context(), a.auditActor(r), req.PlayerID, chi.URLParam(r, "id"))
	if err != nil {
		return fmt.Errorf("award badge: %w", err)
	}
	status := http.StatusOK
	if awarded {
		status = http.StatusCreated
	}
	writeJSON(w, status, badgeAwardResponse{Awarded: awarded})
	return nil
}

// adminRevokeBadge takes a badge back (204; 404 when not held).
func (a *api) adminRevokeBadge(w http.ResponseWriter, r *http.Request) error {
	store, err := a.badgeStore("revoke badge")
	if err != nil {
		return err
	}
	if err := store.RevokeBadge(r.Context(), a.auditActor(r), chi.URLParam(r, "playerId"), chi.URLParam(r, "id")); err != nil {
		return fmt.Errorf("revoke badge: %w", err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
