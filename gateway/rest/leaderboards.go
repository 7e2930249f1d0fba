package rest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/persistence"
)

// Query parameter bounds.
const (
	defaultLimit  = 20
	maxLimit      = 100
	defaultRadius = 5
	maxRadius     = 50
)

// standingJSON is one leaderboard line on the wire.
type standingJSON struct {
	Rank       int      `json:"rank"`
	PlayerID   string   `json:"playerId"`
	Username   string   `json:"username"`
	Score      int64    `json:"score"`
	AchievedAt wireTime `json:"achievedAt"`
}

// wireTime is a time on the wire: RFC 3339 with nanoseconds in UTC, the
// same text as time.Time's JSON, but encoded through MarshalText, whose
// output encoding/json quotes as is; time.Time.MarshalJSON's output is
// re-scanned and compacted for every line of every page (6 % of an
// around-me request's CPU).
type wireTime time.Time

// MarshalText formats the time as RFC 3339 with nanoseconds.
func (t wireTime) MarshalText() ([]byte, error) {
	b, err := time.Time(t).MarshalText()
	if err != nil {
		return nil, fmt.Errorf("encode time: %w", err)
	}
	return b, nil
}

// UnmarshalText parses what MarshalText wrote.
func (t *wireTime) UnmarshalText(b []byte) error {
	if err := (*time.Time)(t).UnmarshalText(b); err != nil {
		return fmt.Errorf("decode time: %w", err)
	}
	return nil
}

// topResponse is the body of GET /leaderboards/{board}.
type topResponse struct {
	LeaderboardID string         `json:"leaderboardId"`
	Mode          string         `json:"mode"`
	Period        string         `json:"period"`
	Entries       []standingJSON `json:"entries"`
	NextCursor    string         `json:"nextCursor"`
	Total         int            `json:"total"`
}

// aroundResponse is the body of GET /leaderboards/{board}/around-me,
// written by appendAround (the same bytes; decoded by tests and clients).
type aroundResponse struct {
	LeaderboardID string         `json:"leaderboardId"`
	Mode          string         `json:"mode"`
	Period        string         `json:"period"`
	Entries       []standingJSON `json:"entries"`
	Total         int            `json:"total"`
}

// rankResponse is the body of GET /leaderboards/{board}/me.
type rankResponse struct {
	Rank  int   `json:"rank"`
	Score int64 `json:"score"`
	Total int   `json:"total"`
}

// leaderboardTop serves a page of a board's period.
func (a *api) leaderboardTop(w http.ResponseWriter, r *http.Request) error {
	q, err := a.parseBoard(r)
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit", defaultLimit, 1, maxLimit)
	if err != nil {
		return err
	}
	after, err := cursorParam(r)
	if err != nil {
		return err
	}
	cacheKey := q.Identity() + "|" + strconv.Itoa(limit) + "|" + r.URL.Query().Get("cursor")
	if body, ok := a.pages.get(cacheKey); ok {
		writeBody(w, http.StatusOK, body)
		return nil
	}
	page, err := a.Leaderboards.Top(r.Context(), q, limit, after)
	if err != nil {
		return fmt.Errorf("leaderboard top %s: %w", q, err)
	}
	body, err := json.Marshal(topResponse{LeaderboardID: string(q.Board), Mode: q.Mode, Period: q.Period,
		Entries: standingsJSON(page.Entries), NextCursor: page.NextCursor, Total: page.Total})
	if err != nil {
		return fmt.Errorf("encode leaderboard page: %w", err)
	}
	body = append(body, '\n')
	a.pages.put(cacheKey, body)
	writeBody(w, http.StatusOK, body)
	return nil
}

// leaderboardMe serves the caller's own standing.
func (a *api) leaderboardMe(w http.ResponseWriter, r *http.Request) error {
	q, err := a.parseBoard(r)
	if err != nil {
		return err
	}
	ranked, total, ok, err := a.Leaderboards.Rank(r.Context(), q, playerID(r))
	if err != nil {
		return fmt.Errorf("leaderboard rank %s: %w", q, err)
	}
	if !ok {
		return notRanked()
	}
	writeJSON(w, http.StatusOK, rankResponse{Rank: ranked.Rank, Score: ranked.Score, Total: total})
	return nil
}

// leaderboardAround serves the standings around the caller.
func (a *api) leaderboardAround(w http.ResponseWriter, r *http.Request) error {
	q, err := a.parseBoard(r)
	if err != nil {
		return err
	}
	radius, err := intParam(r, "radius", defaultRadius, 1, maxRadius)
	if err != nil {
		return err
	}
	entries, total, ok, err := a.Leaderboards.Around(r.Context(), q, playerID(r), radius)
	if err != nil {
		return fmt.Errorf("leaderboard around %s: %w", q, err)
	}
	if !ok {
		return notRanked()
	}
	writeAround(w, q, entries, total)
	return nil
}

// parseBoard reads {board} (404 when unknown: boards are resources),
// ?mode (classic when absent; 404 unknown_mode for a mode that does not
// exist, 404 board_not_found for a practice mode, which has no boards) and
// ?period (400 when malformed; the current period when absent, except for
// the challenge board, whose period is a challenge id and must be named).
func (a *api) parseBoard(r *http.Request) (standings.Key, error) {
	board, err := standings.ParseBoard(chi.URLParam(r, "board"))
	if err != nil {
		return standings.Key{}, newError(http.StatusNotFound, CodeNotFound, "unknown leaderboard")
	}
	q := r.URL.Query()
	mode, err := a.rankedMode(r, q.Get("mode"))
	if err != nil {
		return standings.Key{}, err
	}
	period := q.Get("period")
	if period == "" && board == standings.Challenge {
		return standings.Key{}, badRequest("period (the challenge id) is required for the challenge leaderboard", "period")
	}
	if period == "" {
		return standings.CurrentKey(mode, board, a.now()), nil
	}
	if !board.ValidPeriod(period) {
		return standings.Key{}, badRequest("period is not valid for this leaderboard", "period")
	}
	return standings.Key{Mode: mode, Board: board, Period: period}, nil
}

// rankedMode resolves ?mode against the mode catalogue the node keeps in
// memory (no query per request): the default mode when empty, a known
// ranked mode (active or retired: a retired mode's boards stay readable).
func (a *api) rankedMode(r *http.Request, name string) (string, error) {
	if name == "" {
		name = standings.DefaultMode
	}
	if a.Modes == nil {
		if name == standings.DefaultMode {
			return name, nil
		}
		return "", newError(http.StatusNotFound, CodeUnknownMode, "unknown game mode")
	}
	if !persistence.ModeNamePattern.MatchString(name) {
		return "", newError(http.StatusNotFound, CodeUnknownMode, "unknown game mode")
	}
	m, err := findMode(r.Context(), a.Modes, name)
	if err != nil {
		return "", err
	}
	if !m.Ranked {
		return "", newError(http.StatusNotFound, CodeBoardNotFound, "a practice mode has no leaderboards")
	}
	return name, nil
}

// cursorParam decodes ?cursor; nil when absent.
func cursorParam(r *http.Request) (*standings.Entry, error) {
	raw := r.URL.Query().Get("cursor")
	if raw == "" {
		return nil, nil
	}
	e, err := standings.DecodeCursor(raw)
	if err != nil {
		return nil, badRequest("cursor is not valid", "cursor")
	}
	return &e, nil
}

// intParam reads an integer query parameter within [lo, hi].
func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		return 0, badRequest(fmt.Sprintf("%s must be an integer from %d to %d", name, lo, hi), name)
	}
	return n, nil
}

// notRanked is the 404 of a player without an entry on the board.
func notRanked() error {
	return newError(http.StatusNotFound, CodeNotRanked, "you have no standing on this leaderboard")
}

// standingsJSON renders entries; never null, so clients can iterate blindly.
func standingsJSON(entries []standings.Ranked) []standingJSON {
	out := make([]standingJSON, 0, len(entries))
	for _, e := range entries {
		out = append(out, standingJSON{Rank: e.Rank, PlayerID: e.PlayerID, Username: e.Username,
			Score: e.Score, AchievedAt: wireTime(e.AchievedAt.UTC())})
	}
	return out
}
