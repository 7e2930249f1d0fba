package postgres

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// flagRows are the reviews the committed results open: one per flagged
// player who counts (not voided), with the evidence and the standing
// candidates the result holds back until it is cleared.
type flagRows struct {
	sessionIDs, playerIDs, modes, challengeIDs []string
	scores                                     []int64
	evidence, standings                        [][]byte
}

// heldStanding is one held candidate as flags.standings stores it.
type heldStanding struct {
	Mode       string    `json:"mode"`
	Board      string    `json:"board"`
	Period     string    `json:"period"`
	Score      int64     `json:"score"`
	AchievedAt time.Time `json:"achievedAt"`
}

func (f *flagRows) addResult(r persistence.GameResult, cs committedSession) {
	if r.State != persistence.StateFinished || !r.Flagged {
		return
	}
	seen := map[string]bool{}
	for _, p := range r.Players {
		id := strings.ToLower(p.PlayerID)
		if !p.Flagged || p.Voided != "" || seen[id] {
			continue
		}
		seen[id] = true
		f.sessionIDs, f.playerIDs = append(f.sessionIDs, r.SessionID), append(f.playerIDs, p.PlayerID)
		f.modes, f.challengeIDs = append(f.modes, cs.mode), append(f.challengeIDs, r.ChallengeID)
		f.scores = append(f.scores, max(p.Score, 0))
		f.evidence = append(f.evidence, evidenceJSON(p))
		f.standings = append(f.standings, heldJSON(r, p.PlayerID))
	}
}

// evidenceJSON is the stored evidence; a caller that sent none gets the
// counts the result carries.
func evidenceJSON(p persistence.PlayerResult) []byte {
	ev := persistence.FlagEvidence{Flags: p.Flags, Hits: p.Hits, Misses: p.Misses,
		MedianReactionMs: p.MedianReaction.Milliseconds()}
	if p.Evidence != nil {
		ev = *p.Evidence
	}
	if ev.Reasons == nil {
		ev.Reasons = map[string]int{}
	}
	if ev.Reactions == nil {
		ev.Reactions = []persistence.ReactionBucket{}
	}
	b, _ := json.Marshal(ev) // maps, slices and numbers always marshal
	return b
}

// heldJSON is the player's standing candidates, as the result sent them.
func heldJSON(r persistence.GameResult, playerID string) []byte {
	held := []heldStanding{}
	for _, st := range r.Standings {
		if strings.EqualFold(st.PlayerID, playerID) && st.Score > 0 {
			held = append(held, heldStanding{Mode: st.Mode, Board: st.Board, Period: st.Period, Score: st.Score,
				AchievedAt: orTime(st.AchievedAt, r.EndedAt).UTC()})
		}
	}
	b, _ := json.Marshal(held) // plain fields always marshal
	return b
}
