package singleton_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/runtime/singleton"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

// mainConns is the main pool's size in the saturation test.
const mainConns = 2

// TestRunner_LeaseSurvivesASaturatedPool holds every connection of the main
// pool (queries parked behind a table lock, as game writes queue behind a
// busy database) and renews the same lease through the main pool and
// through the dedicated lease pool: the first loses its leadership, the
// second keeps it without a single late renewal.
func TestRunner_LeaseSurvivesASaturatedPool(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		dedicate bool
		leading  []bool // after each of three renewals, a second apart
		late     float64
		lost     float64
	}{
		{name: "main pool", leading: []bool{true, false, false}, late: 1, lost: 1},
		{name: "lease pool", dedicate: true, leading: []bool{true, true, true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			url := pgtest.NewDatabase(t)
			clk := testclock.New(time.Date(2026, 12, 6, 4, 0, 0, 0, time.UTC))
			main, err := postgres.Open(context.Background(), config.Database{URL: url, MaxConns: mainConns}, clk.Now)
			require.NoError(t, err)
			t.Cleanup(main.Close)
			var store persistence.LeaseStore = main
			if tc.dedicate {
				leases, err := postgres.OpenLeasePool(context.Background(), config.Database{URL: url}, clk.Now)
				require.NoError(t, err)
				t.Cleanup(leases.Close)
				store = leases
			}
			m := newMember(t, store, clk, "node-a", func(o *singleton.Options) { o.CallTimeout = 200 * time.Millisecond })
			first := m.start()
			require.True(t, first.Leading)
			require.True(t, m.nextJob().started)

			saturate(t, url, main)
			for i, want := range tc.leading {
				clk.Advance(time.Second)
				require.Equal(t, want, m.tick().Leading, "renewal %d", i+1)
			}
			require.Equal(t, []float64{tc.late, tc.lost}, []float64{m.late(), m.lost()})
		})
	}
}

// saturate parks mainConns queries of main behind an exclusive lock on the
// sessions table until the test ends, so every connection of main's pool
// is held.
func saturate(t *testing.T, url string, main *postgres.Store) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	locker, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	tx, err := locker.Begin(ctx)
	require.NoError(t, err)
	_, err = tx.Exec(ctx, "LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE")
	require.NoError(t, err)
	parked := make(chan struct{}, mainConns)
	for range mainConns {
		go func() {
			defer func() { parked <- struct{}{} }()
			_, _ = main.SessionIDByCode(ctx, "ABC234")
		}()
	}
	t.Cleanup(func() {
		cancel()
		for range mainConns {
			<-parked
		}
		_ = locker.Close(context.Background())
	})
	// Wait until the database sees every parked query waiting on the lock.
	// The statistics snapshot is per transaction (locker's is open): clear
	// it before each look.
	var waiting int
	for deadline := time.Now().Add(wait); waiting < mainConns; {
		require.True(t, time.Now().Before(deadline), "the parked queries never waited on the lock")
		_, err := tx.Exec(ctx, "SELECT pg_stat_clear_snapshot()")
		require.NoError(t, err)
		require.NoError(t, tx.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting))
	}
}
