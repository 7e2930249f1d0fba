package rest

import (
	"context"
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/proofstell/proofstell/actors/matchmaker"
	"github.com/proofstell/proofstell/persistence"
)

// MatchmakingStats reads every mode's matchmaking queue (implemented by
// matchmaker.Stats). Errors wrap grains.ErrUnavailable or the store's.
type MatchmakingStats interface {
	Queues(ctx context.Context) ([]matchmaker.ModeStats, error)
}

// queueJSON is one mode's queue in GET /matchmaking/stats.
type queueJSON struct {
	Mode              string `json:"mode"`
	TicketsWaiting    int    `json:"ticketsWaiting"`
	PlayersWaiting    int    `json:"playersWaiting"`
	MedianWaitMs      int64  `json:"medianWaitMs"`
	P95WaitMs         int64  `json:"p95WaitMs"`
	MatchesLastMinute int    `json:"matchesLastMinute"`
}

// matchmakingRoutes registers GET /matchmaking/stats for operators (admins).
func (a *api) matchmakingRoutes(authed chi.Router, stats MatchmakingStats) {
	authed.With(a.requireRole(persistence.RoleAdmin)).Get("/matchmaking/stats", a.handle(
		func(w http.ResponseWriter, r *http.Request) error {
			if stats == nil {
				return fmt.Errorf("matchmaking stats: %w", errNotConfigured)
			}
			queues, err := stats.Queues(r.Context())
			if err != nil {
				return fmt.Errorf("matchmaking stats: %w", err)
			}
			out := make([]queueJSON, 0, len(queues))
			for _, q := range queues {
				out = append(out, queueJSON{Mode: q.Mode, TicketsWaiting: q.TicketsWaiting, PlayersWaiting: q.PlayersWaiting,
					MedianWaitMs: q.MedianWait.Milliseconds(), P95WaitMs: q.P95Wait.Milliseconds(), MatchesLastMinute: q.MatchesLastMinute})
			}
			writeJSON(w, http.StatusOK, struct {
				Modes []queueJSON `json:"modes"`
			}{out})
			return nil
		}))
}
