package pgtest_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

func TestNewDatabase(t *testing.T) {
	t.Parallel()
	var name string
	t.Run("clone", func(t *testing.T) {
		url := pgtest.NewDatabase(t)
		other := pgtest.NewDatabase(t)
		require.NotEqual(t, url, other, "every call gets its own database")
		conn, err := pgx.Connect(context.Background(), url)
		require.NoError(t, err)
		defer func() { _ = conn.Close(context.Background()) }()
		var modes int
		require.NoError(t, conn.QueryRow(context.Background(), `SELECT count(*) FROM game_modes`).Scan(&modes))
		require.Positive(t, modes, "the clone is migrated and seeded")
		name = conn.Config().Database
	})
	conn, err := pgx.Connect(context.Background(), pgtest.ServerURL())
	require.NoError(t, err)
	defer func() { _ = conn.Close(context.Background()) }()
	var exists bool
	require.NoError(t, conn.QueryRow(context.Background(),
		`SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists))
	require.False(t, exists, "cleanup dropped the database")
}
