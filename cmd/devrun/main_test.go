package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/pgcluster"
	"github.com/proofstell/proofstell/internal/testports"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

// childEnv makes the test binary act as the node devrun starts: it writes
// what it was given to the file the variable names.
const childEnv = "DEVRUN_TEST_CHILD"

func TestMain(m *testing.M) {
	if out := os.Getenv(childEnv); out != "" {
		os.Exit(childMain(out))
	}
	os.Exit(m.Run())
}

// childMain stands in for a node: it creates its database, counts its runs
// in a table there, and writes "<DATABASE_URL> <runs>" to out.
func childMain(out string) int {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	url := os.Getenv("DATABASE_URL")
	runs, err := countRun(ctx, url)
	if err != nil {
		_, _ = fmt.Fprintln(os.Stderr, "child:", err)
		return 3
	}
	if err := os.WriteFile(out, fmt.Appendf(nil, "%s %d", url, runs), 0o600); err != nil { // #nosec G703 -- the test names the file
		return 4
	}
	return 0
}

func countRun(ctx context.Context, url string) (int, error) {
	if err := postgres.EnsureDatabase(ctx, url); err != nil {
		return 0, err
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return 0, err
	}
	defer func() { _ = conn.Close(ctx) }()
	for _, stmt := range []string{`CREATE TABLE IF NOT EXISTS devrun_runs (at timestamptz)`, `INSERT INTO devrun_runs VALUES (now())`} {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			return 0, err
		}
	}
	var runs int
	err = conn.QueryRow(ctx, `SELECT count(*) FROM devrun_runs`).Scan(&runs)
	return runs, err
}

// runChild runs devrun in-process with the test binary as its node.
func runChild(t *testing.T, dir, databaseURL string, env environment) (code int, report string, stderr string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "child")
	t.Setenv(childEnv, out)
	t.Setenv("DATABASE_URL", databaseURL) // as a developer's shell would hold it
	env.getenv = os.Getenv
	var errs bytes.Buffer
	self, err := os.Executable()
	require.NoError(t, err)
	code = run([]string{"-dir", dir, "--", self}, env, &errs)
	raw, _ := os.ReadFile(out)
	return code, string(raw), errs.String()
}

// A directory the postgres user can reach when the test runs as root.
func clusterDir(t *testing.T) string {
	t.Helper()
	parent, err := os.MkdirTemp("", "devrun-")
	require.NoError(t, err)
	require.NoError(t, os.Chmod(parent, 0o755)) // #nosec G302 -- a test's scratch folder
	t.Cleanup(func() { _ = os.RemoveAll(parent) })
	return filepath.Join(parent, ".dev", "postgres")
}

func installed() environment {
	return environment{lookPath: exec.LookPath, searchDirs: pgcluster.SearchDirs}
}

// Nothing answers: a private cluster is made, used, stopped; the second
// run reuses its data.
func TestRun_BringsUpAPrivateClusterAndReusesIt(t *testing.T) {
	if _, err := pgcluster.FindBinaries(exec.LookPath, pgcluster.SearchDirs); errors.Is(err, pgcluster.ErrNotInstalled) {
		t.Skip(err)
	}
	dir := clusterDir(t)
	nobody := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/devapp?sslmode=disable", testports.Free(t))

	code, report, stderr := runChild(t, dir, nobody, installed())
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stderr, "initializing a private PostgreSQL cluster")
	port, err := readPort(filepath.Join(dir, "port"))
	require.NoError(t, err)
	require.Equal(t, fmt.Sprintf("postgres://postgres@127.0.0.1:%d/devapp?sslmode=disable 1", port), report,
		"the node got the private cluster's URL, with the database it asked for")
	require.True(t, free(port), "the cluster stops when the node exits")

	code, report, stderr = runChild(t, dir, nobody, installed())
	require.Equal(t, 0, code, stderr)
	require.NotContains(t, stderr, "initializing", "the second run reuses the cluster")
	require.Contains(t, report, "/devapp?sslmode=disable 2", "with its data")
}

// Something answers: the node gets DATABASE_URL as it was, no cluster.
func TestRun_UsesTheServerThatAnswers(t *testing.T) {
	dir := clusterDir(t)
	name := fmt.Sprintf("devrun_%d", time.Now().UnixNano())
	shared := pgtest.URLFor(t, name)
	t.Cleanup(func() { pgtest.DropDatabase(t, name) })
	code, report, stderr := runChild(t, dir, shared, installed())
	require.Equal(t, 0, code, stderr)
	require.Equal(t, shared+" 1", report)
	require.NoDirExists(t, dir)
}

// No server and no binaries: the install command, exit 1, no node.
func TestRun_NoBinariesPrintsTheInstallCommand(t *testing.T) {
	dir := clusterDir(t)
	nobody := fmt.Sprintf("postgres://127.0.0.1:%d/x", testports.Free(t))
	none := environment{lookPath: func(string) (string, error) { return "", exec.ErrNotFound }}
	code, report, stderr := runChild(t, dir, nobody, none)
	require.Equal(t, 1, code)
	require.Empty(t, report, "the node never ran")
	require.Contains(t, stderr, "sudo apt-get install -y postgresql")
	require.Contains(t, stderr, "brew install postgresql@16")
}

func TestRun_Usage(t *testing.T) {
	var errs bytes.Buffer
	require.Equal(t, 2, run(nil, installed(), &errs))
	require.Contains(t, errs.String(), "usage: devrun")
}

// The node's exit code is devrun's.
func TestRunNode_PassesTheExitCodeOn(t *testing.T) {
	logf := func(string, ...any) {}
	require.Equal(t, 0, runNode([]string{"true"}, nil, logf))
	require.Equal(t, 7, runNode([]string{"sh", "-c", "exit 7"}, nil, logf))
	require.Equal(t, 1, runNode([]string{filepath.Join(t.TempDir(), "missing")}, nil, logf))
}

func TestHostPortAndDatabaseName(t *testing.T) {
	tests := []struct{ url, address, database string }{
		{"postgres://postgres@127.0.0.1:5432/proofstell?sslmode=disable", "127.0.0.1:5432", "proofstell"},
		{"postgres://db.internal/app", "db.internal:5432", "app"},
		{"postgresql:///", "127.0.0.1:5432", "proofstell"},
	}
	for _, tt := range tests {
		address, err := hostPort(tt.url)
		require.NoError(t, err)
		require.Equal(t, tt.address, address, tt.url)
		require.Equal(t, tt.database, databaseName(tt.url), tt.url)
	}
}
