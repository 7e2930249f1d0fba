package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

// runAdmin runs `proofstell admin ...` against databaseURL.
func runAdmin(t *testing.T, databaseURL string, args ...string) (int, string, string) {
	t.Helper()
	env := map[string]string{"DATABASE_URL": databaseURL, "USER": "ops"}
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"admin"}, args...), func(k string) string { return env[k] }, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestAdminGrant_FreshInstall: on a database that does not exist yet, the
// command creates and migrates it; it then makes the first admin by email
// (and a moderator by id), prints the change, and the audit log holds it
// with the command as actor.
func TestAdminGrant_FreshInstall(t *testing.T) {
	t.Parallel()
	name := "proofstell_admin_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:16]
	url := pgtest.URLFor(t, name)
	t.Cleanup(func() { pgtest.DropDatabase(t, name) })

	code, _, stderr := runAdmin(t, url, "grant", "--email", "first@example.com", "--role", "admin")
	require.Equal(t, 3, code, stderr)
	require.Contains(t, stderr, `no account has the email "first@example.com"`)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	store, err := postgres.Open(ctx, config.Database{URL: url, MaxConns: 2}, nil)
	require.NoError(t, err, "the command created the database")
	defer store.Close()
	require.NoError(t, store.CheckSchema(ctx), "and migrated it")
	acct, err := store.CreateAccount(ctx, persistence.NewAccount{Username: "first", Email: "first@example.com",
		PasswordHash: []byte("$2a$12$not.a.real.hash.but.never.checked.here.................")})
	require.NoError(t, err)
	guest, _, err := store.GuestByDevice(ctx, "device-admin-grant")
	require.NoError(t, err)

	code, stdout, stderr := runAdmin(t, url, "grant", "--email", "First@Example.com", "--role", "admin")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "player "+acct.Player.ID+" (first@example.com): role player -> admin\n", stdout)
	code, stdout, stderr = runAdmin(t, url, "grant", "--email", "first@example.com", "--role", "admin")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "player "+acct.Player.ID+" (first@example.com): role admin unchanged\n", stdout)
	code, stdout, stderr = runAdmin(t, url, "grant", "--player", guest.ID, "--role", "moderator")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "player "+guest.ID+" (guest "+guest.Username+"): role player -> moderator\n", stdout)

	p, err := store.Player(ctx, acct.Player.ID)
	require.NoError(t, err)
	require.Equal(t, persistence.RoleAdmin, p.Role)
	page, err := store.ListAudit(ctx, persistence.AuditQuery{Action: persistence.ActionPlayerRole})
	require.NoError(t, err)
	require.Len(t, page.Entries, 2, "the unchanged grant wrote nothing")
	e := page.Entries[1]
	require.Equal(t, acct.Player.ID, e.TargetID)
	require.Equal(t, persistence.ActorCLI, e.Actor.Kind)
	require.Empty(t, e.Actor.PlayerID)
	require.NotEmpty(t, e.Actor.Name, "the OS user")
	require.JSONEq(t, `{"role":"player"}`, string(e.Before))
	require.JSONEq(t, `{"role":"admin"}`, string(e.After))
	v, err := store.Revocation(ctx, persistence.RevocationQuery{PlayerID: acct.Player.ID})
	require.NoError(t, err)
	require.False(t, v.NotBefore.IsZero(), "tokens minted with the old role are revoked")

	code, _, stderr = runAdmin(t, url, "grant", "--player", uuid.NewString(), "--role", "admin")
	require.Equal(t, 3, code, stderr)
	require.Contains(t, stderr, "no player has the id")
}

// TestAdminGrant_Errors: bad arguments are exit 2 with the usage, a
// database that cannot be reached is exit 1, before anything is written.
func TestAdminGrant_Errors(t *testing.T) {
	t.Parallel()
	id := uuid.NewString()
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no subcommand", nil, 2, "usage: proofstell admin grant"},
		{"unknown subcommand", []string{"revoke"}, 2, "usage: proofstell admin grant"},
		{"bad role", []string{"grant", "--player", id, "--role", "root"}, 2, `--role must be admin, moderator or player, not "root"`},
		{"no role", []string{"grant", "--player", id}, 2, "--role must be"},
		{"both targets", []string{"grant", "--player", id, "--email", "a@b.c", "--role", "admin"}, 2,
			"exactly one of --email and --player"},
		{"no target", []string{"grant", "--role", "admin"}, 2, "exactly one of --email and --player"},
		{"unknown flag", []string{"grant", "--player", id, "--role", "admin", "--force"}, 2, "flag provided but not defined"},
		{"stray argument", []string{"grant", "--player", id, "--role", "admin", "now"}, 2, `unexpected argument "now"`},
		{"no database", []string{"grant", "--player", id, "--role", "admin"}, 1, "proofstell:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Port 1 on loopback: nothing listens, the connection is refused at once.
			code, stdout, stderr := runAdmin(t, "postgres://proofstell@127.0.0.1:1/proofstell?connect_timeout=2", tt.args...)
			require.Equal(t, tt.code, code, stderr)
			require.Empty(t, stdout)
			require.Contains(t, stderr, tt.want)
		})
	}
}
