package rest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/proofstell/proofstell/actors/badges/award"
	"github.com/proofstell/proofstell/actors/badges/criteria"
	"github.com/proofstell/proofstell/persistence"
)

// BadgeDeps is what the badge routes need. A nil Store answers every badge
// route with 500 (not configured), like the other optional slices.
type BadgeDeps struct {
	// Store keeps the catalogue and the awards.
	Store persistence.BadgeStore
}

// badgeJSON is one catalogue entry as clients see it.
type badgeJSON struct {
	ID          string          `json:"id"`
	Slug        string          `json:"slug"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Icon        string          `json:"icon"`
	Rarity      string          `json:"rarity"`
	Points      int             `json:"points"`
	Category    string          `json:"category"`
	Active      bool            `json:"active"`
	Mintable    bool            `json:"mintable"`
	Criteria    json.RawMessage `json:"criteria"`
}

// earnedBadgeJSON is a badge a player holds.
type earnedBadgeJSON struct {
	badgeJSON
	AwardedAt time.Time `json:"awardedAt"`
	Source    string    `json:"source"`
}

// progressJSON is an active badge the player does not hold yet.
type progressJSON struct {
	badgeJSON
	Progress criteria.Progress `json:"progress"`
}

// badgesResponse is the body of GET /badges.
type badgesResponse struct {
	Badges []badgeJSON `json:"badges"`
}

// playerBadgesResponse is the body of GET /players/{id}/badges; Progress
// is only present for the caller's own badges (/players/me/badges).
type playerBadgesResponse struct {
	Earned   []earnedBadgeJSON `json:"earned"`
	Progress []progressJSON    `json:"progress,omitempty"`
}

// badgeRoutes registers the badge routes: catalogue and other players'
// badges are public; the caller's own badges need a token; edits and
// manual awards need the admin role. routes calls it once from each group
// with the other router nil, so a nil router is skipped.
func (a *api) badgeRoutes(public, authed chi.Router) {
	if public != nil {
		a.badgePublicRoutes(public)
	}
	if authed != nil {
		a.badgeAuthedRoutes(authed)
	}
}

// badgePublicRoutes registers the routes anyone may read.
func (a *api) badgePublicRoutes(public chi.Router) {
	public.Get("/badges", a.handle(a.listBadges))
	public.Get("/badges/{id}", a.handle(a.getBadge))
	public.Get("/players/{id}/badges", a.handle(a.playerBadges))
}

// badgeAuthedRoutes registers the caller's own badges and the admin routes.
func (a *api) badgeAuthedRoutes(authed chi.Router) {
	authed.Get("/players/me/badges", a.handle(a.myBadges))
	authed.Group(func(r chi.Router) {
		r.Use(a.requireRole(persistence.RoleAdmin))
		r.Post("/admin/badges", a.handle(a.adminCreateBadge))
		r.Patch("/admin/badges/{id}", a.handle(a.adminUpdateBadge))
		r.Delete("/admin/badges/{id}", a.handle(a.adminDeleteBadge))
		r.Post("/admin/badges/{id}/award", a.handle(a.adminAwardBadge))
		r.Delete("/admin/badges/{id}/award/{playerId}", a.handle(a.adminRevokeBadge))
	})
}

// badgeStore returns the store or the not-configured error.
func (a *api) badgeStore(op string) (persistence.BadgeStore, error) {
	if a.Badges.Store == nil {
		return nil, fmt.Errorf("%s: %w", op, errNotConfigured)
	}
	return a.Badges.Store, nil
}

// listBadges answers the active catalogue.
func (a *api) listBadges(w http.ResponseWriter, r *http.Request) error {
	store, err := a.badgeStore("list badges")
	if err != nil {
		return err
	}
	all, err := store.Badges(r.Context(), true)
	if err != nil {
		return fmt.Errorf("list badges: %w", err)
	}
	out := make([]badgeJSON, 0, len(all))
	for _, b := range all {
		out = append(out, localBadgeJSON(r, b))
	}
	writeJSON(w, http.StatusOK, badgesResponse{Badges: out})
	return nil
}

// getBadge answers one badge; a retired badge is still shown, since
// players who hold it link to it.
func (a *api) getBadge(w http.ResponseWriter, r *http.Request) error {
	store, err := a.badgeStore("get badge")
	if err != nil {
		return err
	}
	b, err := store.Badge(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		return fmt.Errorf("get badge: %w", err)
	}
	writeJSON(w, http.StatusOK, localBadgeJSON(r, b))
	return nil
}

// playerBadges answers the badges another player holds.
func (a *api) playerBadges(w http.ResponseWriter, r *http.Request) error {
	earned, err := a.earnedBadges(r, chi.URLParam(r, "id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, playerBadgesResponse{Earned: earned})
	return nil
}

// myBadges answers the caller's badges and progress toward every active
// badge not yet held.
func (a *api) myBadges(w http.ResponseWriter, r *http.Request) error {
	me := playerID(r)
	earned, err := a.earnedBadges(r, me)
	if err != nil {
		return err
	}
	facts, err := a.Badges.Store.BadgeFacts(r.Context(), me)
	if err != nil {
		return fmt.Errorf("my badges: %w", err)
	}
	catalogue, err := a.Badges.Store.Badges(r.Context(), true)
	if err != nil {
		return fmt.Errorf("my badges: %w", err)
	}
	writeJSON(w, http.StatusOK, playerBadgesResponse{Earned: earned,
		Progress: unearnedProgress(r, earned, award.Assess(catalogue, award.FactsOf(facts, nil)))})
	return nil
}

// earnedBadges reads and renders the badges player holds.
func (a *api) earnedBadges(r *http.Request, player string) ([]earnedBadgeJSON, error) {
	store, err := a.badgeStore("player badges")
	if err != nil {
		return nil, err
	}
	held, err := store.PlayerBadges(r.Context(), player)
	if err != nil {
		return nil, fmt.Errorf("player badges: %w", err)
	}
	out := make([]earnedBadgeJSON, 0, len(held))
	for _, h := range held {
		out = append(out, earnedBadgeJSON{badgeJSON: localBadgeJSON(r, h.Badge), AwardedAt: h.AwardedAt.UTC(),
			Source: string(h.Source)})
	}
	return out, nil
}

// unearnedProgress keeps the standings of badges not in earned. Progress
// is always a (possibly empty) list for the caller's own view.
func unearnedProgress(r *http.Request, earned []earnedBadgeJSON, standings []award.Standing) []progressJSON {
	held := make(map[string]bool, len(earned))
	for _, e := range earned {
		held[e.ID] = true
	}
	out := []progressJSON{}
	for _, s := range standings {
		if !held[s.Badge.ID] {
			out = append(out, progressJSON{badgeJSON: localBadgeJSON(r, s.Badge), Progress: s.Progress})
		}
	}
	return out
}

// localBadgeJSON renders b in the request's language: name and
// description are translations keyed slug.name and slug.description in the
// badges namespace.
func localBadgeJSON(r *http.Request, b persistence.Badge) badgeJSON {
	out := newBadgeJSON(b)
	l := localeOf(r.Context())
	out.Name = l.text("badges", b.Slug+".name", b.Name)
	out.Description = l.text("badges", b.Slug+".description", b.Description)
	return out
}

// newBadgeJSON renders b.
func newBadgeJSON(b persistence.Badge) badgeJSON {
	return badgeJSON{ID: b.ID, Slug: b.Slug, Name: b.Name, Description: b.Description, Icon: b.Icon,
		Rarity: string(b.Rarity), Points: b.Points, Category: b.Category, Active: b.Active, Mintable: b.Mintable,
		Criteria: b.Criteria}
}
