package postgres_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// schemaBefore029SQL takes a database back to the schema of migration 028.
const schemaBefore029SQL = `ALTER TABLE session_replays DROP COLUMN replay_hash;
ALTER TABLE period_roots DROP COLUMN leaf_version;
ALTER TABLE period_standings DROP COLUMN session_id, DROP COLUMN replay_hash;
DELETE FROM schema_migrations WHERE version = 29`

// TestMigrate_LeafVersions: a period frozen before migration 029 stays a
// v1 period (its standings without session ids or hashes, so its proofs
// keep verifying as v1).
func TestMigrate_LeafVersions(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	p := newGuest(t, s)
	key := persistence.BoardKey{Mode: "classic", Board: "daily", Period: "2026-11-23"}
	s.Close()
	exec(t, url, schemaBefore029SQL)
	// What the old freeze and commit wrote.
	exec(t, url, `INSERT INTO period_roots (mode, board, period, root, leaf_count, status, created_at)
		VALUES ('classic', 'daily', '2026-11-23', '0xabc', 1, 'accepted', $1)`, clk.Now())
	exec(t, url, `INSERT INTO period_standings (mode, board, period, rank, player_id, score, achieved_at)
		VALUES ('classic', 'daily', '2026-11-23', 1, $1, 9, $2)`, p.ID, clk.Now())

	applied, err := postgres.Migrate(ctxT(t), url)
	require.NoError(t, err)
	require.Equal(t, []int{29}, applied)
	migrated, err := postgres.Open(ctxT(t), config.Database{URL: url, MaxConns: 4}, testclock.New(clk.Now()).Now)
	require.NoError(t, err)
	t.Cleanup(migrated.Close)
	require.NoError(t, migrated.CheckSchema(ctxT(t)))

	root, err := migrated.PeriodRoot(ctxT(t), key)
	require.NoError(t, err)
	require.Equal(t, 1, root.LeafVersion)
	st, err := migrated.PeriodStandings(ctxT(t), key)
	require.NoError(t, err)
	require.Len(t, st, 1)
	require.Empty(t, st[0].SessionID)
	require.Nil(t, st[0].ReplayHash)
}
