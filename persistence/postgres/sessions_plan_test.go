package postgres_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

// TestCreateSessionSQL_BanCheckNeverScansPlayers: every new game reads its
// players' bans; on a players table the planner has no statistics for (a
// PostgreSQL without autovacuum, or a table that grew since its last
// ANALYZE) that read must still be a primary-key probe per player, not a
// scan of every account once per game.
func TestCreateSessionSQL_BanCheckNeverScansPlayers(t *testing.T) {
	url := pgtest.NewDatabase(t)
	exec(t, url, `INSERT INTO players (id, username)
		SELECT gen_random_uuid(), 'plan-' || n FROM generate_series(1, 20000) AS n`)
	conn, err := pgx.Connect(ctxT(t), url)
	require.NoError(t, err)
	defer func() { _ = conn.Close(ctxT(t)) }()

	creator := uuid.NewString()
	rows, err := conn.Query(ctxT(t), "EXPLAIN "+postgres.CreateSessionSQL,
		uuid.NewString(), "classic", "solo", "", 1, creator, []string{creator},
		"running", int64(1), []byte(nil), time.Now(), time.Now(), int64(1), "", make([]byte, 32), []byte(`{}`))
	require.NoError(t, err)
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	plan := strings.Join(lines, "\n")
	require.NotContains(t, plan, "Seq Scan on players", plan)
	require.Contains(t, plan, "players_pkey", plan)
}
