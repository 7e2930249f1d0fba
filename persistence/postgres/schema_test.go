package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/migrations"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

func exec(t *testing.T, url, sql string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(ctxT(t), url)
	require.NoError(t, err)
	defer func() { _ = conn.Close(context.Background()) }()
	_, err = conn.Exec(ctxT(t), sql, args...)
	require.NoError(t, err)
}

func TestMigrate_Idempotent(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	applied, err := postgres.Migrate(ctxT(t), url)
	require.NoError(t, err)
	require.Empty(t, applied, "a migrated database has nothing pending")
}

func TestMigrate_ConcurrentOnEmptyDatabase(t *testing.T) {
	t.Parallel()
	name := "proofstell_migrate_" + uuid.NewString()[:8]
	url := pgtest.URLFor(t, name)
	t.Cleanup(func() { pgtest.DropDatabase(t, name) })
	require.NoError(t, postgres.EnsureDatabase(ctxT(t), url))

	const workers = 4
	var mu sync.Mutex
	var all []int
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			applied, err := postgres.Migrate(ctxT(t), url)
			mu.Lock()
			defer mu.Unlock()
			require.NoError(t, err)
			all = append(all, applied...)
		})
	}
	wg.Wait()
	want, err := migrations.Versions()
	require.NoError(t, err)
	require.ElementsMatch(t, want, all, "every migration applied exactly once")
}

func TestStore_CheckSchema(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		mutate  string
		wantErr string
	}{
		{name: "current"},
		{name: "future version", mutate: `INSERT INTO schema_migrations (version) VALUES (9999)`, wantErr: "newer binary"},
		{name: "missing version", mutate: `DELETE FROM schema_migrations WHERE version = 2`, wantErr: "lacks migrations [2]"},
		{name: "never migrated", mutate: `DROP TABLE schema_migrations`, wantErr: "never migrated"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, _, url := newStore(t)
			if tc.mutate != "" {
				exec(t, url, tc.mutate)
			}
			err := s.CheckSchema(ctxT(t))
			if tc.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, postgres.ErrSchemaMismatch)
			require.ErrorContains(t, err, tc.wantErr)
		})
	}
}

func TestMigrate_RefusesFutureSchema(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	exec(t, url, `INSERT INTO schema_migrations (version) VALUES (9999)`)
	_, err := postgres.Migrate(ctxT(t), url)
	require.ErrorIs(t, err, postgres.ErrSchemaMismatch)
}

func TestEnsureDatabase(t *testing.T) {
	t.Parallel()
	name := "proofstell_ensure_" + uuid.NewString()[:8]
	url := pgtest.URLFor(t, name)
	t.Cleanup(func() { pgtest.DropDatabase(t, name) })

	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = postgres.EnsureDatabase(ctxT(t), url) })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err, "racing creators all succeed")
	}
	require.NoError(t, postgres.EnsureDatabase(ctxT(t), url), "existing database is fine")
	conn, err := pgx.Connect(ctxT(t), url)
	require.NoError(t, err)
	require.NoError(t, conn.Close(context.Background()))
}
