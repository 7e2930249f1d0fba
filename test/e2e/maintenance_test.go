package e2e

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// maintenanceFrame is the payload of system:maintenance.
type maintenanceFrame struct {
	Enabled bool       `json:"enabled"`
	Message string     `json:"message"`
	Until   *time.Time `json:"until"`
}

// TestServer_MaintenanceMode drives the binary as operators and players
// would: an admin turns maintenance on over REST while a game runs; every
// socket (native and Socket.IO) is told; a new game and a matchmaking join
// are refused with code maintenance while the running game finishes and is
// committed; a REST write is 503 with Retry-After while a read works;
// turning it off is announced and games start again.
func TestServer_MaintenanceMode(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server and plays a 3 s game")
	}
	t.Parallel()
	s := startServer(t)
	admin := adminToken(t, s, "e2e-maint-admin")
	quick := map[string]any{"durationMs": 3000, "spawnIntervalMs": 500, "visibleMs": 800, "molesAtOnce": 1,
		"goldenChance": 0, "bombChance": 0, "countdownMs": 0}
	require.Equal(t, http.StatusOK, s.call(http.MethodPatch, "/api/v1/admin/modes/frenzy", admin, quick, nil))
	aliceToken, _ := s.guest("e2e-maint-alice")
	bobToken, _ := s.guest("e2e-maint-bob")
	carolToken, _ := s.guest("e2e-maint-carol")
	alice, bob := dial(t, s, aliceToken), dial(t, s, bobToken)
	carol := dialSocketIO(t, s, carolToken)
	game, _ := startGame(t, alice, 1, "frenzy")

	until := time.Now().Add(10 * time.Minute).UTC().Truncate(time.Second)
	on := map[string]any{"maintenance": map[string]any{"enabled": true, "message": "Back soon", "until": until.Format(time.RFC3339)}}
	require.Equal(t, http.StatusOK, s.call(http.MethodPatch, "/api/v1/admin/settings", admin, on, nil))

	got := decode[maintenanceFrame](t, bob.next("system:maintenance").D)
	require.True(t, got.Enabled)
	require.Equal(t, "Back soon", got.Message)
	require.True(t, until.Equal(*got.Until))
	require.Contains(t, carol.nextEvent("system:maintenance"), `{"enabled":true,"message":"Back soon"`)

	bob.send("game:start", 2, map[string]string{"mode": "classic"})
	refused := decode[map[string]string](t, bob.requireOnly(2, "maintenance"))
	require.Equal(t, "Back soon", refused["message"])
	bob.send("game:start", 4, map[string]string{"challengeId": "daily-2026-12-06"})
	bob.requireOnly(4, "maintenance")
	bob.send("matchmaking:join", 6, map[string]any{"mode": "classic", "players": 2})
	bob.requireOnly(6, "maintenance")

	_, over := playLikeAPerson(t, alice, game)
	require.Len(t, over.Results, 1, "the running game finished")
	require.True(t, containsFrame(over.before, "system:maintenance"), "alice was told too, mid-game")
	require.Eventually(t, func() bool { return sessionState(t, s, game) == "finished" }, 10*time.Second, 50*time.Millisecond,
		"and its result was committed")

	req, err := http.NewRequestWithContext(t.Context(), http.MethodPatch, s.base+"/api/v1/players/me",
		strings.NewReader(`{"displayName":"Bob"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+bobToken)
	resp, err := s.client.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	retry, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	require.NoError(t, err)
	require.InDelta(t, 600, retry, 30, "Retry-After counts down to the announced end")
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/players/me", bobToken, nil, nil), "reads work")
	var ready struct{ Maintenance *maintenanceFrame }
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/health/ready", "", nil, &ready))
	require.NotNil(t, ready.Maintenance)

	off := map[string]any{"maintenance": map[string]any{"enabled": false}}
	require.Equal(t, http.StatusOK, s.call(http.MethodPatch, "/api/v1/admin/settings", admin, off, nil))
	require.False(t, decode[maintenanceFrame](t, bob.next("system:maintenance").D).Enabled)
	require.Contains(t, carol.nextEvent("system:maintenance"), `{"enabled":false`)
	startGame(t, bob, 8, "frenzy")
}

// nextEvent returns the next Socket.IO event packet named name, skipping
// others (the scheduler's challenge announcements).
func (c *sioSocket) nextEvent(name string) string {
	c.t.Helper()
	for {
		if p := c.next(); strings.HasPrefix(p, `42/realtime,["`+name+`"`) {
			return p
		}
	}
}

func containsFrame(frames []string, typ string) bool {
	for _, f := range frames {
		if strings.Contains(f, `"t":"`+typ+`"`) {
			return true
		}
	}
	return false
}

// sessionState reads a session's stored state.
func sessionState(t *testing.T, s *server, id string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.dbURL)
	require.NoError(t, err)
	defer func() { _ = conn.Close(ctx) }()
	var state string
	require.NoError(t, conn.QueryRow(ctx, `SELECT state FROM sessions WHERE id = $1`, id).Scan(&state))
	return state
}
