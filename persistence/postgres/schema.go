package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/migrations"
)

// ErrSchemaMismatch means the database schema is not the one this binary was
// built for: migrations are missing, or the database is newer than the binary.
var ErrSchemaMismatch = errors.New("database schema mismatch")

// migrateLockKey serializes Migrate across processes (pg_advisory_lock).
const migrateLockKey int64 = 0x70726f6f66 // "proof"

const createVersionTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer     PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
)`

// EnsureDatabase creates the database named in url when it does not exist,
// connecting to the server's "postgres" maintenance database. Concurrent
// callers are safe: losing the creation race is success.
func EnsureDatabase(ctx context.Context, url string) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("ensure database: parse url: %w", err)
	}
	name := cfg.Database
	if name == "" {
		return errors.New("ensure database: url names no database")
	}
	cfg.Database = "postgres"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("ensure database %s: connect to maintenance database: %w", name, err)
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	var exists bool
	err = conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists)
	if err != nil {
		return fmt.Errorf("ensure database %s: %w", name, err)
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	if err != nil && !isCode(err, codeDuplicateDB) && !isCode(err, codeUniqueViolation) {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

// Migrate applies the embedded migrations the database lacks, in order, each
// in its own transaction, and returns the versions it applied. A process-wide
// advisory lock serializes concurrent migrators. It refuses a database that
// already has a version this binary does not know.
func Migrate(ctx context.Context, url string) (applied []int, err error) {
	all, err := migrations.All()
	if err != nil {
		return nil, err
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("migrate: connect: %w", err)
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLockKey); err != nil {
		return nil, fmt.Errorf("migrate: lock: %w", err)
	}
	defer func() { _, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLockKey) }()
	if _, err := conn.Exec(ctx, createVersionTable); err != nil {
		return nil, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	have, err := appliedVersions(ctx, conn)
	if err != nil {
		return nil, err
	}
	if err := compareVersions(have, all, false); err != nil {
		return nil, err
	}
	for _, m := range all {
		if slices.Contains(have, m.Version) {
			continue
		}
		if err := applyOne(ctx, conn, m); err != nil {
			return applied, err
		}
		applied = append(applied, m.Version)
	}
	return applied, nil
}

func applyOne(ctx context.Context, conn *pgx.Conn, m migrations.Migration) error {
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		// No arguments: pgx sends the file with the simple protocol, so one
		// file may hold many statements.
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return fmt.Errorf("apply migration %s: %w", m.Name, err)
		}
		_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, m.Version)
		if err != nil {
			return fmt.Errorf("record migration %s: %w", m.Name, err)
		}
		return nil
	})
}

func appliedVersions(ctx context.Context, q dbtx) ([]int, error) {
	rows, err := q.Query(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	have, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	return have, nil
}

// compareVersions fails when have holds a version the binary does not know,
// and, when requireAll, when a known version is missing.
func compareVersions(have []int, known []migrations.Migration, requireAll bool) error {
	knownSet := make(map[int]bool, len(known))
	for _, m := range known {
		knownSet[m.Version] = true
	}
	latest := 0
	if len(known) > 0 {
		latest = known[len(known)-1].Version
	}
	for _, v := range have {
		if !knownSet[v] {
			return fmt.Errorf("%w: database has migration %d, this binary knows up to %d: deploy a newer binary", ErrSchemaMismatch, v, latest)
		}
	}
	if !requireAll {
		return nil
	}
	var missing []int
	for _, m := range known {
		if !slices.Contains(have, m.Version) {
			missing = append(missing, m.Version)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: database lacks migrations %v: run `proofstell migrate`", ErrSchemaMismatch, missing)
	}
	return nil
}

// CheckSchema verifies the database holds exactly the migrations this binary
// knows; the server must not run on any other schema. Errors wrap
// ErrSchemaMismatch when the schema differs.
func (s *Store) CheckSchema(ctx context.Context) error {
	defer observe("check_schema", time.Now())
	all, err := migrations.All()
	if err != nil {
		return err
	}
	have, err := appliedVersions(ctx, s.pool)
	if isCode(err, codeUndefinedTable) {
		return fmt.Errorf("%w: database was never migrated: run `proofstell migrate`", ErrSchemaMismatch)
	}
	if err != nil {
		return fmt.Errorf("check schema: %w", err)
	}
	return compareVersions(have, all, true)
}
