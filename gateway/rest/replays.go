package rest

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/proofstell/proofstell/actors/session/game"
	"github.com/proofstell/proofstell/persistence"
)

// errReplayNotFound is the one answer for a session without a replay: a
// missing, unfinished, unranked or legacy one.
var errReplayNotFound = newError(http.StatusNotFound, CodeNotFound, "no replay for that session")

// replayResponse is the body of GET /sessions/{id}/replay (docs/FAIRNESS.md
// §6). Canonical is the base64 of the bytes ReplayHash hashes; the other
// fields are those bytes decoded, plus usernames (not hashed: they change).
type replayResponse struct {
	SessionID       string             `json:"sessionId"`
	Encoding        string             `json:"encoding"`
	ReplayHash      string             `json:"replayHash"`
	Canonical       string             `json:"canonical"`
	SeedCommitment  string             `json:"seedCommitment"`
	Seed            string             `json:"seed"`
	Rules           replayRulesJSON    `json:"rules"`
	Limits          replayLimitsJSON   `json:"limits"`
	Players         []replayPlayerJSON `json:"players"`
	Inputs          []replayInputJSON  `json:"inputs"`
	InputsTruncated bool               `json:"inputsTruncated"`
	Results         []replayResultJSON `json:"results"`
	Flagged         bool               `json:"flagged"`
}

// replayRulesJSON is the rules snapshot; durations in nanoseconds, as the
// canonical encoding holds them.
type replayRulesJSON struct {
	Mode            string  `json:"mode"`
	Rows            int     `json:"rows"`
	Cols            int     `json:"cols"`
	DurationNs      int64   `json:"durationNs"`
	SpawnIntervalNs int64   `json:"spawnIntervalNs"`
	VisibleNs       int64   `json:"visibleNs"`
	CountdownNs     int64   `json:"countdownNs"`
	MolesAtOnce     int     `json:"molesAtOnce"`
	HitPoints       int     `json:"hitPoints"`
	GoldenPoints    int     `json:"goldenPoints"`
	BombPenalty     int     `json:"bombPenalty"`
	GoldenChance    float64 `json:"goldenChance"`
	BombChance      float64 `json:"bombChance"`
}

type replayLimitsJSON struct {
	LagCapNs           int64 `json:"lagCapNs"`
	MinReactionNs      int64 `json:"minReactionNs"`
	MaxWhacksPerSecond int   `json:"maxWhacksPerSecond"`
}

type replayPlayerJSON struct {
	PlayerID string `json:"playerId"`
	Username string `json:"username"`
}

type replayInputJSON struct {
	Player      int    `json:"player"`
	AtNs        int64  `json:"atNs"`
	Hole        int    `json:"hole"`
	MoleID      int64  `json:"moleId"`
	AllowanceNs int64  `json:"allowanceNs"`
	Judgement   string `json:"judgement"`
	Mole        int64  `json:"mole"`
}

type replayResultJSON struct {
	Player    int   `json:"player"`
	Score     int64 `json:"score"`
	Hits      int   `json:"hits"`
	Misses    int   `json:"misses"`
	Bombs     int   `json:"bombs"`
	BestCombo int   `json:"bestCombo"`
	Flags     int   `json:"flags"`
}

// sessionReplay serves a finished ranked game's or challenge attempt's
// replay to anyone: it holds player ids and usernames, nothing more
// personal.
func (a *api) sessionReplay(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "id")
	if _, err := uuid.Parse(id); err != nil {
		return errReplayNotFound
	}
	s, err := a.Sessions.Session(r.Context(), id)
	if err == nil && s.State != persistence.StateFinished {
		return errReplayNotFound
	}
	var packed []byte
	if err == nil {
		packed, err = a.Sessions.SessionReplay(r.Context(), id)
	}
	if errors.Is(err, persistence.ErrNotFound) {
		return errReplayNotFound
	}
	if err != nil {
		return fmt.Errorf("load replay %s: %w", id, err)
	}
	replay, err := game.UnpackReplay(packed)
	if err != nil {
		return fmt.Errorf("replay %s: %w", id, err)
	}
	w.Header().Set("Cache-Control", "public, max-age=3600") // a finished game's replay never changes
	writeJSON(w, http.StatusOK, newReplayResponse(replay, usernames(s)))
	return nil
}

// usernames maps a session's players to the names stored with its result.
func usernames(s persistence.Session) map[string]string {
	out := make(map[string]string, len(s.Results))
	for _, p := range s.Results {
		out[p.PlayerID] = p.Username
	}
	return out
}

func newReplayResponse(r game.Replay, names map[string]string) replayResponse {
	canonical := r.Encode()
	m := r.Mode
	out := replayResponse{
		SessionID: r.SessionID, Encoding: "proofstell/replay/v1", ReplayHash: r.Hash(),
		Canonical:      base64.StdEncoding.EncodeToString(canonical),
		SeedCommitment: game.Commitment(r.SessionID, r.Seed), Seed: r.Seed.Hex(),
		Rules: replayRulesJSON{
			Mode: m.Name, Rows: m.Rows, Cols: m.Cols, DurationNs: int64(m.Duration),
			SpawnIntervalNs: int64(m.SpawnInterval), VisibleNs: int64(m.Visible), CountdownNs: int64(m.Countdown),
			MolesAtOnce: m.MaxMolesUp, HitPoints: m.HitPoints, GoldenPoints: m.GoldenPoints, BombPenalty: m.BombPenalty,
			GoldenChance: m.GoldenChance, BombChance: m.BombChance,
		},
		Limits: replayLimitsJSON{LagCapNs: int64(r.Limits.LagCap), MinReactionNs: int64(r.Limits.MinReaction),
			MaxWhacksPerSecond: r.Limits.MaxWhacksPerSecond},
		Players: make([]replayPlayerJSON, len(r.Players)), Inputs: make([]replayInputJSON, len(r.Inputs)),
		Results: make([]replayResultJSON, len(r.Results)), InputsTruncated: r.InputsTruncated, Flagged: r.Flagged,
	}
	for i, p := range r.Players {
		out.Players[i] = replayPlayerJSON{PlayerID: p, Username: names[p]}
	}
	for i, in := range r.Inputs {
		out.Inputs[i] = replayInputJSON{Player: in.Player, AtNs: int64(in.At), Hole: in.Hole, MoleID: in.MoleID,
			AllowanceNs: int64(in.Allowance), Judgement: in.Judgement, Mole: in.Mole}
	}
	for i, res := range r.Results {
		out.Results[i] = replayResultJSON{Player: res.Player, Score: res.Score, Hits: res.Hits, Misses: res.Misses,
			Bombs: res.Bombs, BestCombo: res.BestCombo, Flags: res.FlagCount}
	}
	return out
}
