package rest

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/proofstell/proofstell/persistence"
)

// Profile field rules.
const maxDisplayName = 50

// validUsername is the username rule of the whole API: 3–30 ASCII letters,
// digits or underscores, so names are unambiguous in every font and URL.
var validUsername = regexp.MustCompile(`^[A-Za-z0-9_]{3,30}$`)

// profilePatch is the body of PATCH /players/me. There is deliberately no
// role (or any other) field: unknown fields are refused, so a client cannot
// even attempt to set its role here.
type profilePatch struct {
	Username    *string `json:"username"`
	DisplayName *string `json:"displayName"`
}

// publicProfileResponse is the body of GET /players/{id}: what any signed-in
// player may see of another. Never an email, token, hash, role or ban.
type publicProfileResponse struct {
	ID          string       `json:"id"`
	Username    string       `json:"username"`
	DisplayName string       `json:"displayName"`
	AvatarURL   string       `json:"avatarUrl"`
	Stats       statsJSON    `json:"stats"`
	Ratings     []ratingJSON `json:"ratings"`
}

// decodeProfilePatch reads and validates a profile edit.
func decodeProfilePatch(body io.Reader) (persistence.ProfileUpdate, error) {
	var req profilePatch
	if err := decodeBody(body, &req); err != nil {
		return persistence.ProfileUpdate{}, err
	}
	return validateProfilePatch(req)
}

// validateProfilePatch applies the field rules; at least one field is needed.
func validateProfilePatch(req profilePatch) (persistence.ProfileUpdate, error) {
	if req.Username == nil && req.DisplayName == nil {
		return persistence.ProfileUpdate{}, invalid("body", "nothing to change")
	}
	if req.Username != nil && !validUsername.MatchString(*req.Username) {
		return persistence.ProfileUpdate{}, invalid("username",
			"username must be 3 to 30 letters, digits or underscores")
	}
	if d := req.DisplayName; d != nil && (utf8.RuneCountInString(*d) > maxDisplayName || !printable(*d)) {
		return persistence.ProfileUpdate{}, invalid("displayName",
			fmt.Sprintf("displayName must be at most %d printable characters", maxDisplayName))
	}
	return persistence.ProfileUpdate{Username: req.Username, DisplayName: req.DisplayName}, nil
}

// patchProfile edits the caller's own profile; the id comes from the token,
// never from the request, so no one edits another player's profile.
func (a *api) patchProfile(w http.ResponseWriter, r *http.Request) error {
	if a.Security.Profiles == nil {
		return fmt.Errorf("edit profile: %w", errNotConfigured)
	}
	u, err := readBody(a, w, r, decodeProfilePatch)
	if err != nil {
		return err
	}
	id := playerID(r)
	p, err := a.Security.Profiles.UpdateProfile(r.Context(), id, u)
	if err != nil {
		return profileError(id, err)
	}
	if u.Username != nil && a.Leaderboards != nil {
		// The stored standings were renamed with the profile; live boards
		// learn it now. A failure only delays the new name to their rebuild.
		if err := a.Leaderboards.Rename(r.Context(), a.rankedModes(r.Context()), id, p.Username, a.now()); err != nil {
			a.logger.WarnContext(r.Context(), "rename on live leaderboards", slog.String("player_id", id),
				slog.Any("error", err))
		}
	}
	return a.playerMe(w, r)
}

// profileError names the field behind a conflict: the only unique field a
// profile edit can break is the username.
func profileError(id string, err error) error {
	if classify(err).Code == CodeConflict {
		return &apiError{Status: http.StatusConflict, Code: CodeConflict, Message: "username is taken",
			Details: map[string]any{"field": "username"}}
	}
	return fmt.Errorf("edit profile of %s: %w", id, err)
}

// publicProfile serves another player's public profile.
func (a *api) publicProfile(w http.ResponseWriter, r *http.Request) error {
	p, stats, err := a.playerWithStats(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, publicProfileResponse{
		ID: p.ID, Username: p.Username, DisplayName: p.DisplayName, AvatarURL: avatarURL(p.Avatar),
		Stats:   statsJSON{GamesPlayed: stats.GamesPlayed, BestScore: stats.BestScore, TotalScore: stats.TotalScore},
		Ratings: ratingsJSON(stats.Ratings),
	})
	return nil
}

// avatarURL is where clients fetch a stored avatar; "" when there is none.
func avatarURL(file string) string {
	if file == "" {
		return ""
	}
	return apiPrefix + "/avatars/" + file
}
