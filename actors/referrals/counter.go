package referrals

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/proofstell/proofstell/actors/badges"
	"github.com/proofstell/proofstell/persistence"
)

var rewardsTotal = promauto.NewCounter(prometheus.CounterOpts{
	Name: "referral_rewards_total",
	Help: "Referrals completed and rewarded (each once).",
})

var _ badges.GameFollower = (*Counter)(nil)

// Store is what the Counter needs of persistence.ReferralStore.
type Store interface {
	CountReferralGame(ctx context.Context, sessionID, mode string, players []string, target int) ([]persistence.ReferralRewardedEvent, error)
}

// Counter counts finished games toward referrals.
type Counter struct {
	store  Store
	games  int
	logger *slog.Logger
}

// NewCounter builds a Counter that rewards a referral at games ranked
// games (at least 1).
func NewCounter(store Store, games int, logger *slog.Logger) *Counter {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Counter{store: store, games: max(games, 1), logger: logger}
}

// FollowGame implements badges.GameFollower.
func (c *Counter) FollowGame(ctx context.Context, g badges.FinishedGame) error {
	ids := make([]string, 0, len(g.Players))
	for _, p := range g.Players {
		ids = append(ids, p.PlayerID)
	}
	rewarded, err := c.store.CountReferralGame(ctx, g.SessionID, g.Mode, ids, c.games)
	if err != nil {
		return fmt.Errorf("count referral game %s: %w", g.SessionID, err)
	}
	for _, e := range rewarded {
		rewardsTotal.Inc()
		c.logger.Info("referral rewarded", slog.String("referral", e.ReferralID),
			slog.String("referrer", e.ReferrerID), slog.String("referred", e.ReferredID))
	}
	return nil
}
