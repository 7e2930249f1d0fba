package rest

import (
	"net/http"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// frozenResponse is the body of GET /leaderboards/{board}/periods/{period}
// (?mode=, ?limit=): a closed board period's root, where it stands on
// chain, and the head of its final standings (a challenge's final ranks
// when board is challenge).
type frozenResponse struct {
	Mode       string `json:"mode"`
	Board      string `json:"board"`
	Period     string `json:"period"`
	ChainBoard string `json:"chainBoard"`
	Root       string `json:"root"`
	LeafCount  int    `json:"leafCount"`
	// LeafVersion is the root's leaf encoding (PeriodProof.LeafVersion).
	LeafVersion int              `json:"leafVersion"`
	Status      string           `json:"status"`
	TxHash      *string          `json:"txHash"`
	Reason      string           `json:"reason,omitempty"`
	Standings   []frozenStanding `json:"standings"`
}

// frozenStanding is one final standing as its Merkle leaf commits to it.
type frozenStanding struct {
	Rank       int       `json:"rank"`
	PlayerID   string    `json:"playerId"`
	Score      int64     `json:"score"`
	AchievedAt time.Time `json:"achievedAt"`
}

// frozen serves a closed board period's root and the top ?limit of its
// frozen standings.
func (p *periodAPI) frozen(w http.ResponseWriter, r *http.Request) error {
	if p.deps.Store == nil {
		return newError(http.StatusInternalServerError, CodeInternal, "period roots are not configured")
	}
	key, err := p.parsePeriodKey(r)
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit", defaultLimit, 1, maxLimit)
	if err != nil {
		return err
	}
	root, err := p.frozenRoot(r, key)
	if err != nil {
		return err
	}
	top, err := p.deps.Store.PeriodTop(r.Context(), key, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, frozenResponse{Mode: key.Mode, Board: key.Board, Period: key.Period,
		ChainBoard: chainBoard(key), Root: root.Root, LeafCount: root.LeafCount, LeafVersion: root.LeafVersion, Status: string(root.Status),
		TxHash: optionalString(root.TxHash), Reason: root.Reason, Standings: frozenStandings(top)})
	return nil
}

func frozenStandings(top []persistence.PeriodStanding) []frozenStanding {
	out := make([]frozenStanding, len(top))
	for i, st := range top {
		out[i] = frozenStanding{Rank: st.Rank, PlayerID: st.PlayerID, Score: st.Score, AchievedAt: st.AchievedAt.UTC()}
	}
	return out
}
