package rest

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/proofstell/proofstell/actors/session/game"
	"github.com/proofstell/proofstell/persistence"
)

// resultJSON is one player's line of a finished session.
type resultJSON struct {
	PlayerID string `json:"playerId"`
	Score    int64  `json:"score"`
	Hits     int    `json:"hits"`
	Misses   int    `json:"misses"`
	// Flagged: this result is held for review (anti-cheat); it counts once
	// a moderator clears it.
	Flagged bool `json:"flagged"`
}

// sessionResponse is the body of GET /sessions/{id}.
type sessionResponse struct {
	ID        string       `json:"id"`
	Mode      string       `json:"mode"`
	Kind      string       `json:"kind"`
	State     string       `json:"state"`
	Players   []string     `json:"players"`
	CreatedAt time.Time    `json:"createdAt"`
	StartedAt *time.Time   `json:"startedAt"`
	EndedAt   *time.Time   `json:"endedAt"`
	Flagged   bool         `json:"flagged"`
	Results   []resultJSON `json:"results"`
	// SeedCommitment and Seed: see seedFields.
	SeedCommitment string `json:"seedCommitment,omitempty"`
	Seed           string `json:"seed,omitempty"`
}

// errSessionNotFound is the one answer for a missing session, a malformed
// id and someone else's session alike, so ids cannot be probed.
var errSessionNotFound = newError(http.StatusNotFound, CodeNotFound, "session not found")

// session serves a session to its participants.
func (a *api) session(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "id")
	if _, err := uuid.Parse(id); err != nil {
		return errSessionNotFound
	}
	s, err := a.Sessions.Session(r.Context(), id)
	if errors.Is(err, persistence.ErrNotFound) {
		return errSessionNotFound
	}
	if err != nil {
		return fmt.Errorf("load session %s: %w", id, err)
	}
	if !participant(s, playerID(r)) {
		return errSessionNotFound
	}
	body := newSessionResponse(s)
	seedFields(s, &body)
	writeJSON(w, http.StatusOK, body)
	return nil
}

// participant reports whether player took part in s.
func participant(s persistence.Session, player string) bool {
	if player == "" {
		return false
	}
	if slices.Contains(s.PlayerIDs, player) {
		return true
	}
	return slices.ContainsFunc(s.Results, func(p persistence.PlayerResult) bool { return p.PlayerID == player })
}

// newSessionResponse renders s; slices are never null.
func newSessionResponse(s persistence.Session) sessionResponse {
	results := make([]resultJSON, 0, len(s.Results))
	for _, p := range s.Results {
		results = append(results, resultJSON{PlayerID: p.PlayerID, Score: p.Score, Hits: p.Hits, Misses: p.Misses,
			Flagged: p.Flagged})
	}
	players := s.PlayerIDs
	if players == nil {
		players = []string{}
	}
	return sessionResponse{
		ID: s.ID, Mode: s.Mode, Kind: string(s.Kind), State: string(s.State), Players: players,
		CreatedAt: s.CreatedAt.UTC(), StartedAt: optionalTime(s.StartedAt), EndedAt: optionalTime(s.EndedAt),
		Flagged: s.Flagged, Results: results,
	}
}

// seedFields fills the provably fair fields (docs/FAIRNESS.md): the seed's
// commitment always, the seed itself only once the game finished, never
// before (it would foresee every mole). An aborted game keeps its seed: it
// has no result to verify. A session stored before 32-byte seeds has
// neither.
func seedFields(s persistence.Session, out *sessionResponse) {
	seed, err := game.SeedFromBytes(s.GameSeed)
	if err != nil {
		return
	}
	out.SeedCommitment = game.Commitment(s.ID, seed)
	if s.State == persistence.StateFinished {
		out.Seed = seed.Hex()
	}
}
