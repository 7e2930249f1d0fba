package main

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

// TestStoreSkill_QueuesByRatingOrdinal: the matchmaker's skill of a player
// is their stored rating's ordinal in the mode (mu − 3σ): after one rated
// match the winner ranks above a newcomer (0), the loser below.
func TestStoreSkill_QueuesByRatingOrdinal(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	store, err := postgres.Open(ctx, config.Database{URL: pgtest.NewDatabase(t), MaxConns: 4}, func() time.Time { return now })
	require.NoError(t, err)
	t.Cleanup(store.Close)
	var players []persistence.Player
	for range 3 {
		p, _, err := store.GuestByDevice(ctx, "device-"+uuid.NewString())
		require.NoError(t, err)
		players = append(players, p)
	}
	winner, loser, newcomer := players[0], players[1], players[2]
	match := persistence.Session{ID: uuid.NewString(), Mode: "classic", Kind: persistence.KindMatch, MaxPlayers: 2,
		JoinCode: "SKILL1", CreatorID: winner.ID, PlayerIDs: []string{winner.ID, loser.ID},
		State: persistence.StateRunning, Seed: 1, CreatedAt: now}
	require.NoError(t, store.CreateSession(ctx, match))
	_, err = store.CommitResults(ctx, []persistence.GameResult{{SessionID: match.ID, Epoch: 1,
		State: persistence.StateFinished, StartedAt: now.Add(-time.Minute), EndedAt: now, Ranked: true,
		Players: []persistence.PlayerResult{
			{PlayerID: winner.ID, Username: winner.Username, Score: 9, Hits: 9, ReachedAt: now},
			{PlayerID: loser.ID, Username: loser.Username, Score: 2, Hits: 2, ReachedAt: now},
		}}})
	require.NoError(t, err)

	skill, err := storeSkill{store: store}.Skill(ctx, "classic", []string{winner.ID, loser.ID, newcomer.ID})
	require.NoError(t, err)
	require.Greater(t, skill[winner.ID], 0.0)
	require.Less(t, skill[loser.ID], 0.0)
	require.InDelta(t, 0, skill[newcomer.ID], 1e-9, "never rated: the prior's ordinal, 0")
}
