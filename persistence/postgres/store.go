// Package postgres implements the persistence store contracts on PostgreSQL
// with pgx. It is the only package tree that imports pgx; callers see only
// persistence types and sentinel errors.
//
// Lifecycle: cmd calls EnsureDatabase (when configured), Migrate, Open and
// then CheckSchema before serving, and Close last during shutdown.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence"
)

// Conformance of Store to every PostgreSQL-backed contract.
var (
	_ persistence.PlayerStore   = (*Store)(nil)
	_ persistence.TokenStore    = (*Store)(nil)
	_ persistence.ModeStore     = (*Store)(nil)
	_ persistence.SessionStore  = (*Store)(nil)
	_ persistence.ResultStore   = (*Store)(nil)
	_ persistence.StandingStore = (*Store)(nil)
	_ persistence.OutboxStore   = (*Store)(nil)
	_ persistence.Pinger        = (*Store)(nil)
)

// PostgreSQL error codes the store maps to sentinel errors.
const (
	codeUniqueViolation  = "23505"
	codeForeignKey       = "23503"
	codeDuplicateDB      = "42P04"
	codeUndefinedTable   = "42P01"
	codeInvalidTextValue = "22P02"
)

// Store is the PostgreSQL implementation of the persistence contracts. It is
// safe for concurrent use.
type Store struct {
	pool  *pgxpool.Pool
	now   func() time.Time
	modes modeCache
	// translations is the node's language catalogue (translations_cache.go).
	translations translationCache
	// skipGameFacts leaves out the per-game rows only analytics reads
	// (WriteGameFacts).
	skipGameFacts bool
}

// Open connects a pool to cfg.URL and verifies the server answers. now stamps
// rows the store creates (nil means time.Now); tests inject a clock. Open does
// not migrate: call Migrate and CheckSchema.
func Open(ctx context.Context, cfg config.Database, now func() time.Time) (*Store, error) {
	pcfg, err := pgxpool.ParseConfig(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	if cfg.MaxConns > 0 {
		pcfg.MaxConns = cfg.MaxConns
	}
	pcfg.AfterConnect = scanTimesInUTC
	pcfg.ConnConfig.DialFunc = dialMarked(pcfg.ConnConfig.DialFunc)
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("open database pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("ping database: %w", err)
	}
	if now == nil {
		now = time.Now
	}
	pools.add(pool)
	return &Store{pool: pool, now: now}, nil
}

// scanTimesInUTC makes every scanned timestamptz UTC, so records compare
// equal whatever the process's local zone is.
func scanTimesInUTC(_ context.Context, conn *pgx.Conn) error {
	conn.TypeMap().RegisterType(&pgtype.Type{
		Name: "timestamptz", OID: pgtype.TimestamptzOID, Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC},
	})
	return nil
}

// stamp is the store clock's now at PostgreSQL precision (microseconds, UTC),
// so a record returned from a write equals the record read back.
func (s *Store) stamp() time.Time {
	return s.now().UTC().Truncate(time.Microsecond)
}

// Close releases every connection. Safe to call more than once.
func (s *Store) Close() {
	pools.remove(s.pool)
	s.pool.Close()
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	defer observe("ping", time.Now())
	if err := s.pool.Ping(ctx); err != nil {
		return mapErr("ping database", err)
	}
	return nil
}

// mapErr wraps err with op, translating the conditions callers act on into
// persistence sentinels.
func mapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s: %w", op, persistence.ErrNotFound)
	}
	if serverGone(err) {
		return fmt.Errorf("%s: %w: %w", op, persistence.ErrUnavailable, err)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case codeUniqueViolation:
			return fmt.Errorf("%s: %w (%s)", op, persistence.ErrConflict, pgErr.ConstraintName)
		case codeForeignKey:
			return fmt.Errorf("%s: referenced record: %w (%s)", op, persistence.ErrNotFound, pgErr.ConstraintName)
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// isCode reports whether err is a PostgreSQL error with code.
func isCode(err error, code string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == code
}

// validID reports whether id is a UUID; a malformed id can name no record, so
// lookups answer ErrNotFound instead of a server-side cast error.
func validID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil
}

// dbtx is what pools, connections and transactions have in common.
type dbtx interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// inTx runs fn in a transaction, committing when fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return mapErr("begin", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return mapErr("commit", err)
	}
	return nil
}

// nullTime maps the zero time to SQL NULL.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// timeOrZero maps SQL NULL back to the zero time.
func timeOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
