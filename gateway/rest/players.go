package rest

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// statsJSON are a player's lifetime numbers.
type statsJSON struct {
	GamesPlayed int64 `json:"gamesPlayed"`
	BestScore   int64 `json:"bestScore"`
	TotalScore  int64 `json:"totalScore"`
}

// ratingJSON is a player's skill rating in one mode (internal/rating):
// ordinal = mu − 3·sigma is the conservative value to show and sort by.
type ratingJSON struct {
	Mode    string  `json:"mode"`
	Mu      float64 `json:"mu"`
	Sigma   float64 `json:"sigma"`
	Ordinal float64 `json:"ordinal"`
	Matches int     `json:"matches"`
}

// ratingsJSON lists the ratings of a profile, never null.
func ratingsJSON(rs []persistence.ModeRating) []ratingJSON {
	out := make([]ratingJSON, 0, len(rs))
	for _, r := range rs {
		out = append(out, ratingJSON{Mode: r.Mode, Mu: r.Mu, Sigma: r.Sigma, Ordinal: r.Ordinal(), Matches: r.Matches})
	}
	return out
}

// profileResponse is the body of GET /players/me.
type profileResponse struct {
	ID          string       `json:"id"`
	Username    string       `json:"username"`
	DisplayName string       `json:"displayName"`
	AvatarURL   string       `json:"avatarUrl"`
	Role        string       `json:"role"`
	CreatedAt   time.Time    `json:"createdAt"`
	Stats       statsJSON    `json:"stats"`
	Ratings     []ratingJSON `json:"ratings"`
}

// sessionSummaryJSON is one line of the game history.
type sessionSummaryJSON struct {
	ID        string     `json:"id"`
	Mode      string     `json:"mode"`
	Kind      string     `json:"kind"`
	State     string     `json:"state"`
	Score     int64      `json:"score"`
	Flagged   bool       `json:"flagged"`
	CreatedAt time.Time  `json:"createdAt"`
	EndedAt   *time.Time `json:"endedAt"`
}

// historyResponse is the body of GET /players/me/sessions.
type historyResponse struct {
	Sessions   []sessionSummaryJSON `json:"sessions"`
	NextCursor string               `json:"nextCursor"`
}

// maxCursorLen bounds opaque store cursors before they reach the store.
const maxCursorLen = 256

// playerWithStats loads a player and their stats.
func (a *api) playerWithStats(ctx context.Context, id string) (persistence.Player, persistence.PlayerStats, error) {
	p, err := a.Players.Player(ctx, id)
	if err != nil {
		return persistence.Player{}, persistence.PlayerStats{}, fmt.Errorf("load player %s: %w", id, err)
	}
	stats, err := a.Players.Stats(ctx, id)
	if err != nil {
		return persistence.Player{}, persistence.PlayerStats{}, fmt.Errorf("load stats of %s: %w", id, err)
	}
	return p, stats, nil
}

// playerMe serves the caller's profile and stats.
func (a *api) playerMe(w http.ResponseWriter, r *http.Request) error {
	p, stats, err := a.playerWithStats(r.Context(), playerID(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, profileResponse{
		ID: p.ID, Username: p.Username, DisplayName: p.DisplayName, AvatarURL: avatarURL(p.Avatar),
		Role: string(p.Role), CreatedAt: p.CreatedAt.UTC(),
		Stats:   statsJSON{GamesPlayed: stats.GamesPlayed, BestScore: stats.BestScore, TotalScore: stats.TotalScore},
		Ratings: ratingsJSON(stats.Ratings),
	})
	return nil
}

// playerSessions serves the caller's game history, newest first.
func (a *api) playerSessions(w http.ResponseWriter, r *http.Request) error {
	limit, err := intParam(r, "limit", defaultLimit, 1, maxLimit)
	if err != nil {
		return err
	}
	cursor := r.URL.Query().Get("cursor")
	if len(cursor) > maxCursorLen || !printable(cursor) {
		return badRequest("cursor is not valid", "cursor")
	}
	id := playerID(r)
	page, next, err := a.Sessions.PlayerSessions(r.Context(), id, limit, cursor)
	if err != nil {
		return fmt.Errorf("list sessions of %s: %w", id, err)
	}
	out := make([]sessionSummaryJSON, 0, len(page))
	for _, s := range page {
		out = append(out, sessionSummaryJSON{ID: s.ID, Mode: s.Mode, Kind: string(s.Kind), State: string(s.State),
			Score: s.Score, Flagged: s.Flagged, CreatedAt: s.CreatedAt.UTC(), EndedAt: optionalTime(s.EndedAt)})
	}
	writeJSON(w, http.StatusOK, historyResponse{Sessions: out, NextCursor: next})
	return nil
}
