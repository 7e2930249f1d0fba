package main

import (
	"context"
	"fmt"

	"github.com/proofstell/proofstell/actors/matchmaker"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// storeSkill adapts the ratings store to the matchmaker's skill source: a
// ticket is matched by its players' rating ordinal (mu − 3σ), and a player
// never rated has the default rating, ordinal 0.
type storeSkill struct{ store *postgres.Store }

var _ matchmaker.RatingSource = storeSkill{}

// Skill reads the players' ratings in mode and returns their ordinals.
func (s storeSkill) Skill(ctx context.Context, mode string, playerIDs []string) (map[string]float64, error) {
	ratings, err := s.store.Ratings(ctx, mode, playerIDs)
	if err != nil {
		return nil, fmt.Errorf("skill for matchmaking in %s: %w", mode, err)
	}
	skill := make(map[string]float64, len(ratings))
	for id, r := range ratings {
		skill[id] = r.Ordinal()
	}
	return skill, nil
}
