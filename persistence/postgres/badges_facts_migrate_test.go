package postgres_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// schemaBefore017SQL takes a database back to the schema of migration 016:
// what migration 017 adds is dropped and its version forgotten, the data the
// commits wrote into the older tables stays.
const schemaBefore017SQL = `ALTER TABLE player_stats DROP COLUMN badge_games, DROP COLUMN badge_total,
	DROP COLUMN badge_best, DROP COLUMN perfect_games, DROP COLUMN longest_combo, DROP COLUMN matches_won,
	DROP COLUMN streak_first_day, DROP COLUMN streak_head_run, DROP COLUMN streak_day, DROP COLUMN streak_run,
	DROP COLUMN longest_streak;
DROP TABLE player_mode_bests;
DELETE FROM schema_migrations WHERE version = 17`

// TestMigrate_BadgeFactsBackfill: histories written before migration 017
// give, once it has run, the facts the oracle aggregates, and commits after
// it keep them equal.
func TestMigrate_BadgeFactsBackfill(t *testing.T) {
	t.Parallel()
	s, _, url := newStore(t)
	h := newHistory(t, s, url, 7, 6)
	for range 25 {
		h.batch(t)
	}
	idle := newGuest(t, s)
	// A stats row without a counted game (say, written by an older release).
	exec(t, url, `INSERT INTO player_stats (player_id, games_played) VALUES ($1, 3)`, idle.ID)
	s.Close()
	exec(t, url, schemaBefore017SQL)

	applied, err := postgres.Migrate(ctxT(t), url)
	require.NoError(t, err)
	require.Equal(t, []int{17}, applied)
	clk := testclock.New(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	migrated, err := postgres.Open(ctxT(t), config.Database{URL: url, MaxConns: 4}, clk.Now)
	require.NoError(t, err)
	t.Cleanup(migrated.Close)
	require.NoError(t, migrated.CheckSchema(ctxT(t)))
	o := newOracle(t, url)
	everyone := append(h.players, idle)
	requireFactsMatch(t, migrated, o, everyone, "after migration")

	h.s = migrated
	for range 10 {
		h.batch(t)
	}
	requireFactsMatch(t, migrated, o, everyone, "commits after migration")
}
