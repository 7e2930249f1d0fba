package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

// clock is a manual clock tests move forward explicitly.

// newStore opens a Store on a fresh database.
func newStore(t testing.TB) (*postgres.Store, *testclock.Clock, string) {
	t.Helper()
	url := pgtest.NewDatabase(t)
	clk := testclock.New(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	s, err := postgres.Open(context.Background(), config.Database{URL: url, MaxConns: 8}, clk.Now)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s, clk, url
}

// newGuest creates a guest player.
func newGuest(t testing.TB, s *postgres.Store) persistence.Player {
	t.Helper()
	p, created, err := s.GuestByDevice(context.Background(), "device-"+uuid.NewString())
	require.NoError(t, err)
	require.True(t, created)
	return p
}

// newSession creates a running classic session created at the given time.
func newSession(t testing.TB, s *postgres.Store, creator string, at time.Time) persistence.Session {
	t.Helper()
	ss := persistence.Session{
		ID: uuid.NewString(), Mode: "classic", Kind: persistence.KindSolo, MaxPlayers: 1,
		CreatorID: creator, PlayerIDs: []string{creator}, State: persistence.StateRunning,
		Seed: 42, CreatedAt: at,
	}
	require.NoError(t, s.CreateSession(context.Background(), ss))
	ss.Epoch = 1
	return ss
}

// soloResult is a finished solo game of player with score.
func soloResult(ss persistence.Session, p persistence.Player, score int64, end time.Time) persistence.GameResult {
	return persistence.GameResult{
		SessionID: ss.ID, Epoch: ss.Epoch, State: persistence.StateFinished,
		StartedAt: end.Add(-30 * time.Second), EndedAt: end,
		Players: []persistence.PlayerResult{{
			PlayerID: p.ID, Username: p.Username, Score: score, Hits: int(score), Misses: 1, BestCombo: 3, ReachedAt: end,
		}},
		Standings: []persistence.StandingRecord{
			{Mode: "classic", Board: "global", Period: "all", PlayerID: p.ID, Username: p.Username, Score: score, AchievedAt: end},
			{Mode: "classic", Board: "daily", Period: end.Format(time.DateOnly), PlayerID: p.ID, Username: p.Username, Score: score, AchievedAt: end},
		},
		Outbox: []persistence.OutboxMessage{{Topic: "badges", Key: ss.ID + ":" + p.ID, Payload: []byte(`{"score":1}`)}},
	}
}

func ctxT(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}
