package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// auditEntry is one entry of GET /api/v1/admin/audit.
type auditEntry struct {
	Action     string `json:"action"`
	TargetKind string `json:"targetKind"`
	TargetID   string `json:"targetId"`
	Actor      struct {
		Kind     string  `json:"kind"`
		PlayerID *string `json:"playerId"`
		Role     string  `json:"role"`
		Name     string  `json:"name"`
	} `json:"actor"`
	Before    json.RawMessage `json:"before"`
	After     json.RawMessage `json:"after"`
	ClientIP  string          `json:"clientIp"`
	RequestID string          `json:"requestId"`
}

// TestServer_OperatorsDay is issue #18's day of an operator, on the real
// binary and a database that does not exist yet: `proofstell admin grant`
// refuses an unknown e-mail (exit 3, creating and migrating the database on
// the way), then makes the registered account admin (exit 0, its old
// refresh token revoked, a new sign-in carries the role); the admin turns
// maintenance on while a game runs, the game finishes and is recorded, a
// new game:start is refused with maintenance, maintenance ends; the audit
// log lists the grant as the command's and each settings change with the
// admin, the client address and the request id, and refuses UPDATE, DELETE
// and TRUNCATE even from the operator's own SQL session.
func TestServer_OperatorsDay(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server and plays a 3 s game")
	}
	t.Parallel()
	dbURL := freshDatabaseURL(t)
	code, stdout, stderr := adminGrant(t, dbURL, "--email", "ops@example.com", "--role", "admin")
	require.Equal(t, 3, code, "no account yet: %s", stderr)
	require.Empty(t, stdout)
	require.Contains(t, stderr, `no account has the email "ops@example.com"`)

	s := startServerOn(t, dbURL)
	var reg tokenPair
	require.Equal(t, http.StatusCreated, s.call(http.MethodPost, "/api/v1/auth/register", "",
		map[string]string{"email": "ops@example.com", "username": "ops", "password": "ops4secret"}, &reg))
	require.Equal(t, http.StatusForbidden, s.call(http.MethodGet, "/api/v1/admin/settings", reg.AccessToken, nil, nil),
		"a new account is a player")

	code, stdout, stderr = adminGrant(t, dbURL, "--email", "OPS@example.com", "--role", "admin")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "player "+reg.Player.ID+" (ops@example.com): role player -> admin\n", stdout)
	require.Equal(t, http.StatusUnauthorized, s.call(http.MethodPost, "/api/v1/auth/refresh", "",
		map[string]string{"refreshToken": reg.RefreshToken}, nil), "the grant revoked the player-role session")
	var login tokenPair
	require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/auth/login", "",
		map[string]string{"email": "ops@example.com", "password": "ops4secret"}, &login))
	admin := login.AccessToken
	quick := map[string]any{"durationMs": 3000, "spawnIntervalMs": 500, "visibleMs": 800, "molesAtOnce": 1,
		"goldenChance": 0, "bombChance": 0, "countdownMs": 0}
	require.Equal(t, http.StatusOK, s.call(http.MethodPatch, "/api/v1/admin/modes/frenzy", admin, quick, nil),
		"the new sign-in carries the admin role")

	playerToken, _ := s.guest("e2e-ops-player")
	lateToken, _ := s.guest("e2e-ops-late")
	alice, late := dial(t, s, playerToken), dial(t, s, lateToken)
	game, _ := startGame(t, alice, 1, "frenzy")
	patchSettings(t, s, admin, "ops-maintenance-on",
		map[string]any{"maintenance": map[string]any{"enabled": true, "message": "Upgrading"}})
	require.True(t, decode[maintenanceFrame](t, late.next("system:maintenance").D).Enabled)
	late.send("game:start", 2, map[string]string{"mode": "classic"})
	require.Equal(t, "Upgrading", decode[map[string]string](t, late.requireOnly(2, "maintenance"))["message"])
	_, over := playLikeAPerson(t, alice, game)
	require.Len(t, over.Results, 1, "the running game finished")
	requireInHistory(t, s, playerToken, game)
	patchSettings(t, s, admin, "ops-maintenance-off", map[string]any{"maintenance": map[string]any{"enabled": false}})
	require.False(t, decode[maintenanceFrame](t, late.next("system:maintenance").D).Enabled)

	requireOperatorsAudit(t, s, admin, reg.Player.ID)
	for _, statement := range []string{`UPDATE audit_log SET action = 'forged'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`} {
		require.ErrorContains(t, execOn(t, dbURL, statement), "audit_log is append-only", statement)
	}
}

// requireOperatorsAudit checks the log of TestServer_OperatorsDay: the
// grant by the command, then each settings change by the admin with its
// request's address and id, maintenance's start and end included.
func requireOperatorsAudit(t *testing.T, s *server, admin, adminID string) {
	t.Helper()
	var page struct{ Entries []auditEntry }
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/admin/audit?limit=100", admin, nil, &page))
	var ops []auditEntry // oldest first, without the mode change
	for i := len(page.Entries) - 1; i >= 0; i-- {
		if e := page.Entries[i]; e.Action != "mode.update" {
			ops = append(ops, e)
		}
	}
	require.Len(t, ops, 5, "%+v", ops)

	grant := ops[0]
	require.Equal(t, "player.role", grant.Action)
	require.Equal(t, "player", grant.TargetKind)
	require.Equal(t, adminID, grant.TargetID)
	require.JSONEq(t, `{"role":"player"}`, string(grant.Before))
	require.JSONEq(t, `{"role":"admin"}`, string(grant.After))
	require.Equal(t, "cli", grant.Actor.Kind)
	require.Equal(t, osUserName(), grant.Actor.Name, "the OS user who ran the command")
	require.Nil(t, grant.Actor.PlayerID)
	require.Empty(t, grant.ClientIP+grant.RequestID, "no request behind the command")

	want := []struct{ action, requestID string }{
		{"settings.update", "ops-maintenance-on"}, {"maintenance.start", "ops-maintenance-on"},
		{"settings.update", "ops-maintenance-off"}, {"maintenance.end", "ops-maintenance-off"},
	}
	for i, w := range want {
		e := ops[i+1]
		require.Equal(t, w.action, e.Action)
		require.Equal(t, w.requestID, e.RequestID, "%s leads to its request", e.Action)
		require.Equal(t, "127.0.0.1", e.ClientIP)
		require.Equal(t, "player", e.Actor.Kind)
		require.NotNil(t, e.Actor.PlayerID)
		require.Equal(t, adminID, *e.Actor.PlayerID)
		require.Equal(t, "admin", e.Actor.Role)
		require.Equal(t, "settings", e.TargetKind)
	}
	require.JSONEq(t, `{}`, string(ops[1].Before))
	require.JSONEq(t, `{"maintenance":{"enabled":true,"message":"Upgrading"}}`, string(ops[1].After))
	require.JSONEq(t, `null`, string(ops[4].After), "maintenance.end records what ended")
	require.Contains(t, string(ops[4].Before), `"enabled":true`)
}

// adminGrant runs `proofstell admin grant args...` against dbURL and
// returns its exit code and output streams.
func adminGrant(t *testing.T, dbURL string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := binaryCommand(t, append([]string{"admin", "grant"}, args...), "DATABASE_URL="+dbURL, "SUDO_USER=")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), out.String(), errOut.String()
	}
	require.NoError(t, err)
	return 0, out.String(), errOut.String()
}

// patchSettings PATCHes the runtime settings as admin under requestID,
// which the response echoes and the audit log records.
func patchSettings(t *testing.T, s *server, admin, requestID string, patch any) {
	t.Helper()
	body, err := json.Marshal(patch)
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPatch, s.base+"/api/v1/admin/settings", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+admin)
	req.Header.Set("X-Request-ID", requestID)
	resp, err := s.client.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, requestID, resp.Header.Get("X-Request-ID"))
}

// requireInHistory checks that the player's history lists the session.
// No wait: a session sends game:over only once its result is committed.
func requireInHistory(t *testing.T, s *server, token, sessionID string) {
	t.Helper()
	var history struct {
		Sessions []struct {
			ID string `json:"id"`
		} `json:"sessions"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/players/me/sessions", token, nil, &history))
	require.Len(t, history.Sessions, 1, "session %s in the player's history", sessionID)
	require.Equal(t, sessionID, history.Sessions[0].ID)
}

// execOn runs one statement on the database at dbURL and returns its error.
func execOn(t *testing.T, dbURL, statement string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dbURL)
	require.NoError(t, err)
	defer func() { _ = conn.Close(ctx) }()
	_, err = conn.Exec(ctx, statement)
	return err
}

// osUserName is how the command names the user running the tests (its
// environment has no SUDO_USER: adminGrant clears it).
func osUserName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if name := os.Getenv("USER"); name != "" {
		return name
	}
	return "unknown"
}
