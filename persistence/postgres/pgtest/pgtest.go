// Package pgtest gives each test its own PostgreSQL database, cloned in
// milliseconds from a template migrated once per schema version.
//
// The template is named after a hash of the embedded migrations, so a changed
// schema builds a new template; building is serialized across concurrently
// running test binaries with an advisory lock and published by renaming, so
// no test ever clones a half-migrated template.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/proofstell/proofstell/migrations"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// DefaultURL is the server tests use when TEST_DATABASE_URL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// templateLockKey serializes template builds across test processes.
const templateLockKey int64 = 0x7067746573 // "pgtes"

// codeObjectInUse is PostgreSQL's object_in_use error code.
const codeObjectInUse = "55006"

// cloneAttempts bounds retries of a clone whose template is momentarily busy.
const cloneAttempts = 50

// setupTimeout bounds template builds and clones.
const setupTimeout = 2 * time.Minute

var template struct {
	once sync.Once
	name string
	err  error
}

// ServerURL returns the base server URL (TEST_DATABASE_URL or DefaultURL).
func ServerURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// NewDatabase creates a fresh, fully migrated database for t and returns its
// URL. The database is dropped (connections forced closed) in t.Cleanup.
func NewDatabase(t testing.TB) string {
	t.Helper()
	ctx, cancel := setupContext(t)
	defer cancel()
	tpl, err := templateName(ctx)
	if err != nil {
		t.Fatalf("pgtest: template: %v", err)
	}
	name := "proofstell_test_" + randomHex(t)
	if err := clone(ctx, tpl, name); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := setupContext(t)
		defer cancel()
		if err := admin(ctx, "DROP DATABASE IF EXISTS "+ident(name)+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop %s: %v", name, err)
		}
	})
	u, err := withDatabase(ServerURL(), name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return u
}

// setupContext bounds one setup or cleanup step. It keeps t's values but not
// its cancellation: t.Context() is already cancelled when cleanups run, and
// the database must still be dropped then.
func setupContext(t testing.TB) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(t.Context()), setupTimeout)
}

// URLFor returns the server URL pointing at database name (for tests that
// need a database that does not exist yet, e.g. EnsureDatabase).
func URLFor(t testing.TB, name string) string {
	t.Helper()
	u, err := withDatabase(ServerURL(), name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return u
}

// DropDatabase drops name if it exists; for tests that created one themselves.
func DropDatabase(t testing.TB, name string) {
	t.Helper()
	ctx, cancel := setupContext(t)
	defer cancel()
	if err := admin(ctx, "DROP DATABASE IF EXISTS "+ident(name)+" WITH (FORCE)"); err != nil {
		t.Errorf("pgtest: drop %s: %v", name, err)
	}
}

// templateName builds the template once per process.
func templateName(ctx context.Context) (string, error) {
	template.once.Do(func() {
		template.name, template.err = buildTemplate(ctx)
	})
	return template.name, template.err
}

func buildTemplate(ctx context.Context) (string, error) {
	hash, err := migrations.Hash()
	if err != nil {
		return "", err
	}
	final := "proofstell_tpl_" + hash[:16]
	conn, err := pgx.Connect(ctx, ServerURL())
	if err != nil {
		return "", fmt.Errorf("connect: %w", err)
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, templateLockKey); err != nil {
		return "", fmt.Errorf("lock: %w", err)
	}
	defer func() { _, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, templateLockKey) }()
	var exists bool
	err = conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, final).Scan(&exists)
	if err != nil || exists {
		return final, err
	}
	return final, build(ctx, conn, final)
}

// build migrates a scratch database and publishes it under final by renaming;
// a crash mid-build leaves only the scratch database, rebuilt next time.
func build(ctx context.Context, conn *pgx.Conn, final string) error {
	scratch := final + "_build"
	for _, sql := range []string{
		"DROP DATABASE IF EXISTS " + ident(scratch) + " WITH (FORCE)",
		"CREATE DATABASE " + ident(scratch),
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return fmt.Errorf("prepare %s: %w", scratch, err)
		}
	}
	u, err := withDatabase(ServerURL(), scratch)
	if err != nil {
		return err
	}
	if _, err := postgres.Migrate(ctx, u); err != nil {
		return fmt.Errorf("migrate %s: %w", scratch, err)
	}
	// A template that accepts no connections is never entered by
	// autovacuum, which would otherwise make clones fail as "in use".
	for _, sql := range []string{
		"ALTER DATABASE " + ident(scratch) + " RENAME TO " + ident(final),
		"ALTER DATABASE " + ident(final) + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false",
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return fmt.Errorf("publish %s: %w", final, err)
		}
	}
	return nil
}

// clone copies the template, retrying while the server reports it busy (a
// transient "being accessed by other users" while another clone starts).
func clone(ctx context.Context, tpl, name string) error {
	var err error
	for attempt := 0; attempt < cloneAttempts; attempt++ {
		err = admin(ctx, "CREATE DATABASE "+ident(name)+" TEMPLATE "+ident(tpl))
		var pgErr *pgconn.PgError
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code != codeObjectInUse {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("clone %s: %w", tpl, ctx.Err())
		case <-time.After(time.Duration(attempt+1) * 10 * time.Millisecond):
		}
	}
	return fmt.Errorf("clone %s: %w", tpl, err)
}

// admin runs one statement on the maintenance database over a short-lived
// connection (no pool: pools keep goroutines that goleak would report).
func admin(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, ServerURL())
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

func withDatabase(server, name string) (string, error) {
	u, err := url.Parse(server)
	if err != nil {
		return "", fmt.Errorf("parse server url: %w", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

func ident(name string) string { return pgx.Identifier{name}.Sanitize() }

func randomHex(t testing.TB) string {
	t.Helper()
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("pgtest: random name: %v", err)
	}
	return hex.EncodeToString(b[:])
}
