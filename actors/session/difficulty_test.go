package session

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/persistence"
)

// storeSoloGames commits n finished solo games of player with the given
// hits, misses and median reaction, the history dynamic difficulty reads.
func storeSoloGames(t *testing.T, h *harness, player persistence.Player, n, hits, misses int, reaction time.Duration) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		at := h.clock.Now().Add(time.Duration(i-n) * time.Minute)
		ss := persistence.Session{ID: uuid.NewString(), Mode: "classic", Kind: persistence.KindSolo, MaxPlayers: 1,
			CreatorID: player.ID, PlayerIDs: []string{player.ID}, State: persistence.StateRunning, Seed: 1, CreatedAt: at}
		require.NoError(t, h.store.CreateSession(ctx, ss))
		out, err := h.store.CommitResults(ctx, []persistence.GameResult{{SessionID: ss.ID, Epoch: 1,
			State: persistence.StateFinished, StartedAt: at, EndedAt: at.Add(30 * time.Second),
			Players: []persistence.PlayerResult{{PlayerID: player.ID, Username: player.Username, Score: int64(hits),
				Hits: hits, Misses: misses, ReachedAt: at, MedianReaction: reaction}}}})
		require.NoError(t, err)
		require.Equal(t, []persistence.CommitOutcome{persistence.Committed}, out)
	}
}

// TestSession_SoloWithoutModeFollowsForm: a solo game created without a
// mode plays the level the player's recent solo form earns
// (difficulty.Default), and the ack names it.
func TestSession_SoloWithoutModeFollowsForm(t *testing.T) {
	cases := []struct {
		name                string
		games, hits, misses int
		reaction            time.Duration
		want                string
	}{
		{"newcomer", 0, 0, 0, 0, "classic"},
		{"sharp and fast", 4, 28, 2, 350 * time.Millisecond, "classic-hard"},
		{"sharp but slow: the stored reactions count", 4, 28, 2, 600 * time.Millisecond, "classic"},
		{"struggling", 3, 10, 20, 800 * time.Millisecond, "classic-easy"},
	}
	h := newHarness(t)
	for i, tc := range cases {
		pl := h.createPlayer("device-difficulty-" + tc.name)
		storeSoloGames(t, h, pl, tc.games, tc.hits, tc.misses, tc.reaction)
		p := h.newProbe(pl.ID, pl.Username)
		h.send(uuid.NewString(), &protos.CreateSession{From: p.ref, RequestId: int64(i + 1), MaxPlayers: 1})
		ack := decode[events.SessionAck](t, p.next(events.TypeAck))
		require.Equal(t, tc.want, ack.Mode, tc.name)
	}
}
