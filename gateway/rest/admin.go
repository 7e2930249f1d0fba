package rest

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/persistence"
)

// maxAdminQuery bounds the search text of the admin listing.
const maxAdminQuery = 64

// adminPlayerJSON is one account as staff see it. Still no secrets: no
// email, hash or token is ever part of it.
type adminPlayerJSON struct {
	ID          string     `json:"id"`
	Username    string     `json:"username"`
	DisplayName string     `json:"displayName"`
	AvatarURL   string     `json:"avatarUrl"`
	Role        string     `json:"role"`
	Banned      bool       `json:"banned"`
	BannedAt    *time.Time `json:"bannedAt"`
	CreatedAt   time.Time  `json:"createdAt"`
}

// adminPlayersResponse is the body of GET /admin/players.
type adminPlayersResponse struct {
	Players    []adminPlayerJSON `json:"players"`
	NextCursor string            `json:"nextCursor"`
}

// adminPatch is the body of PATCH /admin/players/{id}.
type adminPatch struct {
	Role   *string `json:"role"`
	Banned *bool   `json:"banned"`
}

// newAdminPlayer renders p for staff.
func newAdminPlayer(p persistence.Player) adminPlayerJSON {
	out := adminPlayerJSON{ID: p.ID, Username: p.Username, DisplayName: p.DisplayName,
		AvatarURL: avatarURL(p.Avatar), Role: string(p.Role), Banned: p.Banned(), CreatedAt: p.CreatedAt.UTC()}
	if p.BannedAt != nil {
		t := p.BannedAt.UTC()
		out.BannedAt = &t
	}
	return out
}

// adminListPlayers searches accounts (moderators and admins).
func (a *api) adminListPlayers(w http.ResponseWriter, r *http.Request) error {
	if a.Security.Admin == nil {
		return fmt.Errorf("list players: %w", errNotConfigured)
	}
	limit, err := intParam(r, "limit", defaultLimit, 1, maxLimit)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	text, cursor := q.Get("query"), q.Get("cursor")
	if len(text) > maxAdminQuery || !printable(text) {
		return badRequest("query is not valid", "query")
	}
	if len(cursor) > maxCursorLen || !printable(cursor) {
		return badRequest("cursor is not valid", "cursor")
	}
	page, next, err := a.Security.Admin.ListPlayers(r.Context(),
		persistence.PlayerQuery{Text: text, Limit: limit, Cursor: cursor})
	if err != nil {
		return fmt.Errorf("list players: %w", err)
	}
	out := make([]adminPlayerJSON, 0, len(page))
	for _, p := range page {
		out = append(out, newAdminPlayer(p))
	}
	writeJSON(w, http.StatusOK, adminPlayersResponse{Players: out, NextCursor: next})
	return nil
}

// decodeAdminPatch reads and validates an administrative edit.
func decodeAdminPatch(body io.Reader) (persistence.AdminUpdate, error) {
	var req adminPatch
	if err := decodeBody(body, &req); err != nil {
		return persistence.AdminUpdate{}, err
	}
	if req.Role == nil && req.Banned == nil {
		return persistence.AdminUpdate{}, invalid("body", "nothing to change")
	}
	u := persistence.AdminUpdate{Banned: req.Banned}
	if req.Role != nil {
		role := persistence.Role(*req.Role)
		if !role.Valid() {
			return persistence.AdminUpdate{}, invalid("role", "role must be player, moderator or admin")
		}
		u.Role = &role
	}
	return u, nil
}

// adminUpdatePlayer changes a role or ban (admins only). A ban or role
// change revokes every token and socket of the player at once, cluster-wide:
// a demoted or banned player keeps nothing its old token allowed.
func (a *api) adminUpdatePlayer(w http.ResponseWriter, r *http.Request) error {
	if a.Security.Admin == nil || a.Security.Revocation == nil {
		return fmt.Errorf("update player: %w", errNotConfigured)
	}
	u, err := readBody(a, w, r, decodeAdminPatch)
	if err != nil {
		return err
	}
	target := chi.URLParam(r, "id")
	if target == playerID(r) && ((u.Role != nil && *u.Role != persistence.RoleAdmin) || (u.Banned != nil && *u.Banned)) {
		return newError(http.StatusForbidden, CodeForbidden, "admins cannot demote or ban themselves")
	}
	p, err := a.Security.Admin.AdminUpdate(r.Context(), a.auditActor(r), target, u, a.now())
	if err != nil {
		return fmt.Errorf("update player %s: %w", target, err)
	}
	if err := a.revokeAfterAdminUpdate(r, p, u); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newAdminPlayer(p))
	return nil
}

// revokeAfterAdminUpdate ends the sessions an update invalidates. The ban
// is already stored (sign-in and refresh refuse it); if the revocation
// fails the admin gets an error and retries, which is idempotent.
func (a *api) revokeAfterAdminUpdate(r *http.Request, p persistence.Player, u persistence.AdminUpdate) error {
	reason := ""
	switch {
	case u.Banned != nil && *u.Banned:
		reason = auth.ReasonBanned
	case u.Role != nil:
		reason = auth.ReasonLogoutAll
	default:
		return nil
	}
	a.logger.WarnContext(r.Context(), "player updated by admin", slog.String("event", "security.admin_update"),
		slog.String("admin_id", playerID(r)), slog.String("player_id", p.ID),
		slog.String("role", string(p.Role)), slog.Bool("banned", p.Banned()))
	if err := a.Security.Revocation.LogoutAll(r.Context(), p.ID, reason); err != nil {
		return fmt.Errorf("revoke after admin update of %s: %w", p.ID, err)
	}
	return nil
}
