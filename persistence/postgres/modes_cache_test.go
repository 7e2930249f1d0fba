package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// listening starts s's mode listener and returns a channel that receives
// once per cache drop; the first drop (the listener is live) is consumed.
func listening(t *testing.T, s *postgres.Store) <-chan struct{} {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	drops := make(chan struct{}, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.ListenModes(ctx, func() { drops <- struct{}{} }, nil)
	}()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-drops:
	case <-time.After(10 * time.Second):
		t.Fatal("mode listener did not start")
	}
	return drops
}

// A mode read once is served from memory; a change to game_modes made by
// anyone (plain SQL here) drops the cache of every node listening, so the
// next game on either node sees the new mode.
func TestStore_ModeCacheInvalidatedOnChange(t *testing.T) {
	t.Parallel()
	a, clk, url := newStore(t)
	b, err := postgres.Open(context.Background(), config.Database{URL: url, MaxConns: 2}, clk.Now)
	require.NoError(t, err)
	t.Cleanup(b.Close)
	dropsA, dropsB := listening(t, a), listening(t, b)
	conn, err := pgx.Connect(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })

	for _, s := range []*postgres.Store{a, b} {
		m, err := s.Mode(ctxT(t), "classic")
		require.NoError(t, err)
		require.Equal(t, 30*time.Second, m.Duration)
	}
	_, err = conn.Exec(ctxT(t), `UPDATE game_modes SET duration_ms = 2000 WHERE name = 'classic'`)
	require.NoError(t, err)
	m, err := a.Mode(ctxT(t), "classic")
	require.NoError(t, err)
	if m.Duration == 30*time.Second {
		// The read won the race with the notification: it was served
		// from memory, which is what the cache is for; wait for the drop.
		<-dropsA
	}
	<-dropsB
	for _, s := range []*postgres.Store{a, b} {
		m, err := s.Mode(ctxT(t), "classic")
		require.NoError(t, err)
		require.Equal(t, 2*time.Second, m.Duration, "the change is seen after the drop")
	}
}

// Without any notification, a cached mode is re-read after the safety TTL.
func TestStore_ModeCacheExpires(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	conn, err := pgx.Connect(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	_, err = s.Mode(ctxT(t), "frenzy")
	require.NoError(t, err)
	_, err = conn.Exec(ctxT(t), `UPDATE game_modes SET rows = 5 WHERE name = 'frenzy'`)
	require.NoError(t, err)
	m, err := s.Mode(ctxT(t), "frenzy")
	require.NoError(t, err)
	require.Equal(t, 4, m.Rows, "served from memory: nobody listens in this test")
	clk.Advance(time.Minute)
	m, err = s.Mode(ctxT(t), "frenzy")
	require.NoError(t, err)
	require.Equal(t, 5, m.Rows)

	_, err = conn.Exec(ctxT(t), `UPDATE game_modes SET active = false WHERE name = 'frenzy'`)
	require.NoError(t, err)
	s.InvalidateModes()
	_, err = s.Mode(ctxT(t), "frenzy")
	require.Error(t, err, "an inactive mode is not served")
}
