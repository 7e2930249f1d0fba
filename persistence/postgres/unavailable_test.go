package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

// TestStore_UnavailableWhenServerStopped stops a real PostgreSQL under an
// open pool: pooled connections the shutdown terminated and new dials that
// are refused must both surface as persistence.ErrUnavailable, and the
// store recovers when the server is back.
func TestStore_UnavailableWhenServerStopped(t *testing.T) {
	t.Parallel()
	srv := pgtest.StartServer(t)
	ctx := t.Context()
	s, err := postgres.Open(ctx, config.Database{URL: srv.URL(), MaxConns: 4}, nil)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	p := newGuest(t, s)
	warmPool(t, s, p.ID)

	ops := []struct {
		name string
		run  func(context.Context) error
	}{
		{"player", func(ctx context.Context) error { _, err := s.Player(ctx, p.ID); return err }},
		{"guest sign-in", func(ctx context.Context) error { _, _, err := s.GuestByDevice(ctx, "device-x-123"); return err }},
		{"history", func(ctx context.Context) error { _, _, err := s.PlayerSessions(ctx, p.ID, 10, ""); return err }},
		{"ping", s.Ping},
	}
	srv.Stop()
	for round := range 3 { // first pooled (terminated) connections, then refused dials
		for _, op := range ops {
			err := op.run(ctx)
			require.ErrorIs(t, err, persistence.ErrUnavailable, "round %d %s: %v", round, op.name, err)
		}
	}
	srv.Start()
	require.Eventually(t, func() bool { _, err := s.Player(ctx, p.ID); return err == nil },
		10*time.Second, 10*time.Millisecond, "the pool reconnects")
}

// warmPool fills the pool with idle connections, so the stop terminates
// connections the pool still holds.
func warmPool(t *testing.T, s *postgres.Store, playerID string) {
	t.Helper()
	done := make(chan error, 4)
	for range 4 {
		go func() { _, err := s.Player(t.Context(), playerID); done <- err }()
	}
	for range 4 {
		require.NoError(t, <-done)
	}
}
