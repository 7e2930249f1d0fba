package pgtest

import (
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

func TestStartServer_StopAndStart(t *testing.T) {
	t.Parallel()
	s := StartServer(t)
	ctx := t.Context()
	count := func() error {
		conn, err := pgx.Connect(ctx, s.URL())
		if err != nil {
			return err
		}
		defer func() { _ = conn.Close(ctx) }()
		var n int
		return conn.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n)
	}
	require.NoError(t, count(), "migrated")
	s.Stop()
	s.Stop()
	require.Error(t, count(), "stopped")
	s.Start()
	require.NoError(t, count(), "back with its data")
}
