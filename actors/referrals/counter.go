package referrals

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/proofstell/proofstell/actors/badges"
	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/fanout"
	"github.com/proofstell/proofstell/persistence"
)

var rewardsTotal = promauto.NewCounter(prometheus.CounterOpts{
	Name: "proofstell_referral_rewards_total",
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
	events fanout.Publisher
	games  int
	logger *slog.Logger
	on     func() bool
}

// NewCounter builds a Counter that rewards a referral at games ranked
// games (at least 1) and announces a newly awarded reward badge as
// badge:awarded on events (nil announces nothing), like the badge worker
// announces its own awards.
func NewCounter(store Store, events fanout.Publisher, games int, logger *slog.Logger) *Counter {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Counter{store: store, events: events, games: max(games, 1), logger: logger}
}

// OnlyWhen makes the counter follow a runtime switch (settings
// features.referrals) and returns it: while on reports false, finished
// games are not counted, so no referral reaches its reward; the games a
// referral counted before are kept, and counting resumes with the next
// game once the switch is back on. The games played while off never count.
func (c *Counter) OnlyWhen(on func() bool) *Counter {
	c.on = on
	return c
}

// FollowGame implements badges.GameFollower.
func (c *Counter) FollowGame(ctx context.Context, g badges.FinishedGame) error {
	if c.on != nil && !c.on() {
		return nil
	}
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
		if e.ReferrerAwarded {
			c.announce(e.ReferrerID, e)
		}
		if e.ReferredAwarded {
			c.announce(e.ReferredID, e)
		}
	}
	return nil
}

// announce publishes badge:awarded for the reward badge to the player's
// sockets on any node. As for the badge worker's awards, it is a live
// update at most once: a crash after the commit skips it, the REST API
// and the referral.rewarded notification have the truth.
func (c *Counter) announce(playerID string, e persistence.ReferralRewardedEvent) {
	if c.events == nil {
		return
	}
	c.events.Publish(player.Topic(playerID), &protos.ClientEvent{
		Type: badges.TypeBadgeAwarded,
		Data: events.Encode(badges.BadgeAwarded{BadgeID: e.BadgeID, Name: e.BadgeName, Rarity: e.BadgeRarity}),
	})
}
