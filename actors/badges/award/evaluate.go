package award

import (
	"context"
	"fmt"

	"github.com/proofstell/proofstell/persistence"
)

// Awarder is the part of persistence.BadgeStore the evaluator uses.
type Awarder interface {
	Badges(ctx context.Context, activeOnly bool) ([]persistence.Badge, error)
	PlayerBadges(ctx context.Context, playerID string) ([]persistence.PlayerBadge, error)
	BadgeFacts(ctx context.Context, playerID string) (persistence.BadgeFacts, error)
	AwardBadge(ctx context.Context, playerID, badgeID string, source persistence.AwardSource) (bool, error)
}

// Award is a badge newly given to a player; the caller announces it on
// the player's socket (badge:awarded) and, for a mintable badge, queues
// the mint.
type Award struct {
	PlayerID string
	Badge    persistence.Badge
}

// NewlyMet returns the badges of standings that are met and not in held,
// in catalogue order: what an evaluation should try to award.
func NewlyMet(standings []Standing, held map[string]bool) []persistence.Badge {
	var out []persistence.Badge
	for _, s := range standings {
		if s.Met && !held[s.Badge.ID] {
			out = append(out, s.Badge)
		}
	}
	return out
}

// EvaluatePlayers assesses the active catalogue for each player (after a
// committed game, or at a period close with ranks per player id) and
// awards every newly met badge. Only awards the store reports as new are
// returned, so a replayed evaluation (outbox redelivery) announces
// nothing twice. It stops at the first store error; a retry is safe.
func EvaluatePlayers(ctx context.Context, store Awarder, players []string, ranks map[string]map[string]int64) ([]Award, error) {
	catalogue, err := store.Badges(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("evaluate badges: %w", err)
	}
	var out []Award
	for _, p := range players {
		awards, err := evaluatePlayer(ctx, store, catalogue, p, ranks[p])
		out = append(out, awards...)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// evaluatePlayer awards player the catalogue badges its facts now meet.
func evaluatePlayer(ctx context.Context, store Awarder, catalogue []persistence.Badge, player string,
	ranks map[string]int64,
) ([]Award, error) {
	facts, err := store.BadgeFacts(ctx, player)
	if err != nil {
		return nil, fmt.Errorf("evaluate badges of %s: %w", player, err)
	}
	held, err := store.PlayerBadges(ctx, player)
	if err != nil {
		return nil, fmt.Errorf("evaluate badges of %s: %w", player, err)
	}
	heldIDs := make(map[string]bool, len(held))
	for _, h := range held {
		heldIDs[h.Badge.ID] = true
	}
	var out []Award
	for _, b := range NewlyMet(Assess(catalogue, FactsOf(facts, ranks)), heldIDs) {
		awarded, err := store.AwardBadge(ctx, player, b.ID, persistence.SourceAuto)
		if err != nil {
			return out, fmt.Errorf("award %s to %s: %w", b.Slug, player, err)
		}
		if awarded {
			out = append(out, Award{PlayerID: player, Badge: b})
		}
	}
	return out, nil
}
