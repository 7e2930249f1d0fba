// Package e2e drives the real proofstell binary over HTTP and WebSocket, the
// way a game client does.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/openapi"
	"github.com/proofstell/proofstell/internal/testbin"

	"github.com/proofstell/proofstell/internal/testports"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

// server is one running node.
type server struct {
	t    *testing.T
	cmd  *exec.Cmd
	base string
	// dbURL is the node's database, for tests that set up what only an
	// operator could (an admin role).
	dbURL string
	logs  *syncBuffer
	done  chan error
	// client checks every REST exchange against docs/openapi.yaml.
	client *http.Client
}

// syncBuffer collects the server's output for failure reports.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// sharedRedisURL is the machine's Redis, which the nodes share under a
// prefix of each test's own.
const sharedRedisURL = "redis://127.0.0.1:6379/0"

// jwtSecret signs the node's tokens; a test that must forge one (an
// expired access token) signs with it too.
const jwtSecret = "e2e-secret-that-is-long-enough-for-hs256-0123456789"

// startServer runs the binary against a fresh database and waits until it
// reports ready.
func startServer(t *testing.T, extraEnv ...string) *server {
	t.Helper()
	return startServerOn(t, pgtest.NewDatabase(t), extraEnv...)
}

// startServerOn is startServer against the database at dbURL.
func startServerOn(t *testing.T, dbURL string, extraEnv ...string) *server {
	t.Helper()
	s := launchServerOn(t, dbURL, extraEnv...)
	require.Eventually(t, func() bool {
		resp, err := http.Get(s.base + "/api/v1/health/ready")
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 30*time.Second, 50*time.Millisecond, "server never became ready:\n%s", s.logs.String())
	return s
}

// launchServer starts the binary against a fresh database without waiting
// for it; it is killed when the test ends.
func launchServer(t *testing.T, extraEnv ...string) *server {
	t.Helper()
	return launchServerOn(t, pgtest.NewDatabase(t), extraEnv...)
}

// launchServerOn is launchServer against the database at dbURL.
func launchServerOn(t *testing.T, dbURL string, extraEnv ...string) *server {
	t.Helper()
	port := testports.Free(t)
	s := &server{t: t, base: fmt.Sprintf("http://127.0.0.1:%d", port), dbURL: dbURL,
		logs: &syncBuffer{}, done: make(chan error, 1), client: openapi.NewClient(t)}
	s.cmd = exec.Command(testbin.Require(t), "serve")
	s.cmd.Env = append(os.Environ(),
		fmt.Sprintf("HTTP_ADDR=127.0.0.1:%d", port),
		"DATABASE_URL="+s.dbURL,
		// The Redis-backed path, as in a cluster; TestServer_RunsWithoutRedis
		// proves the in-process engine.
		"REDIS_URL="+sharedRedisURL,
		"REDIS_PREFIX=e2e:"+uuid.NewString()+":",
		"NODE_ENV=test",
		"JWT_SECRET="+jwtSecret,
		// Shared by every node of a test, as in production.
		"REFERRAL_FINGERPRINT_SECRET="+jwtSecret,
		"LOG_LEVEL=warn",
		// Every test client comes from 127.0.0.1: the per-IP limits are
		// tested on their own (gateway/rest) and in TestServer_RateLimits.
		"RATE_LIMIT_ANONYMOUS=1000000", "RATE_LIMIT_USER=1000000", "RATE_LIMIT_AUTH=1000000",
	)
	s.cmd.Env = append(s.cmd.Env, extraEnv...)
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	require.NoError(t, s.cmd.Start())
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() {
		_ = s.cmd.Process.Kill()
		if err := <-s.done; err != nil {
			t.Logf("server exit: %v", err)
		}
		if t.Failed() {
			t.Logf("server output:\n%s", s.logs.String())
		}
	})
	return s
}

// stop sends SIGTERM and waits for a clean exit.
func (s *server) stop() error {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case err := <-s.done:
		s.done <- err
		return err
	case <-time.After(30 * time.Second):
		return fmt.Errorf("server did not stop after SIGTERM")
	}
}

// call makes a JSON request and decodes the reply into out (when not nil).
func (s *server) call(method, path, token string, body, out any) int {
	s.t.Helper()
	var reader io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(s.t, err)
		reader = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, s.base+path, reader)
	require.NoError(s.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.client.Do(req)
	require.NoError(s.t, err)
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	if out != nil && len(raw) > 0 {
		require.NoError(s.t, json.Unmarshal(raw, out), "body: %s", raw)
	}
	return resp.StatusCode
}

// exec runs one statement on the node's database, for what only an operator
// does there (roles, bans, modes).
func (s *server) exec(sql string, args ...any) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.t.Context(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.dbURL)
	require.NoError(s.t, err)
	defer func() { _ = conn.Close(ctx) }()
	_, err = conn.Exec(ctx, sql, args...)
	require.NoError(s.t, err, "exec %.60s", sql)
}

// guest signs a device in and returns its access token and player id.
func (s *server) guest(device string) (token, playerID string) {
	s.t.Helper()
	var out struct {
		AccessToken string `json:"accessToken"`
		Player      struct {
			ID string `json:"id"`
		} `json:"player"`
	}
	require.Equal(s.t, http.StatusOK, s.call(http.MethodPost, "/api/v1/auth/guest", "", map[string]string{"deviceId": device}, &out))
	return out.AccessToken, out.Player.ID
}

func wsURL(base string) string { return strings.Replace(base, "http://", "ws://", 1) + "/ws" }

// freshDatabaseURL names a database that does not exist yet and drops it at
// cleanup.
func freshDatabaseURL(t *testing.T) string {
	t.Helper()
	name := "e2e_" + strings.ReplaceAll(uuid.NewString(), "-", "")
	t.Cleanup(func() { pgtest.DropDatabase(t, name) })
	return pgtest.URLFor(t, name)
}

// runBinary runs one subcommand with extra environment and returns its
// combined output.
func runBinary(t *testing.T, command string, env ...string) (string, error) {
	t.Helper()
	out, err := binaryCommand(t, []string{command}, env...).CombinedOutput()
	return string(out), err
}

// binaryCommand prepares the binary with args, the test's Redis and extra
// environment, for a caller that wants its output streams apart.
func binaryCommand(t *testing.T, args []string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(testbin.Require(t), args...)
	cmd.Env = append(os.Environ(), "REDIS_URL="+sharedRedisURL, "REDIS_PREFIX=e2e:"+uuid.NewString()+":")
	cmd.Env = append(cmd.Env, env...)
	return cmd
}
