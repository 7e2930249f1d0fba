package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// crash stops the server process at once (kill -9), as a crash would.
func (s *server) crash() {
	s.t.Helper()
	require.NoError(s.t, s.cmd.Process.Kill())
	err := <-s.done
	s.done <- err // for the cleanup
}

// answerTo reads frames until the answer to request id arrives.
func (c *socket) answerTo(id int64) frame {
	c.t.Helper()
	require.NoError(c.t, c.conn.SetReadDeadline(time.Now().Add(45*time.Second)))
	for {
		var f frame
		require.NoError(c.t, c.read(&f))
		if f.ID == id {
			return f
		}
	}
}

// lobbyState reads a session's state and end reason, and whether its
// waiting timeout (counted from its stored creation) has run out.
func lobbyState(t *testing.T, dbURL, sessionID string, timeout time.Duration) (state, reason string, expired bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dbURL)
	require.NoError(t, err)
	defer func() { _ = conn.Close(ctx) }()
	require.NoError(t, conn.QueryRow(ctx, `SELECT state, coalesce(end_reason, ''), now() >= created_at + $2::interval
		FROM sessions WHERE id = $1`, sessionID, timeout).Scan(&state, &reason, &expired))
	return state, reason, expired
}

// TestServer_OrphanedLobbyExpiresAfterACrash: a lobby whose node is killed
// keeps the deadline it was created with. Once it has passed, a join by its
// code on the restarted node is refused and the lobby is closed in the
// database, instead of a re-activated lobby waiting forever.
func TestServer_OrphanedLobbyExpiresAfterACrash(t *testing.T) {
	t.Parallel()
	const timeout = 3 * time.Second
	first := startServer(t, "GAME_WAITING_TIMEOUT=3s")
	aliceToken, _ := first.guest("e2e-lobby-alice1")
	wa := dial(t, first, aliceToken)
	wa.send("game:create", 1, map[string]any{"mode": "classic", "maxPlayers": 2})
	created := decode[struct{ SessionID, Code string }](t, wa.next("ack").D)
	first.crash()

	second := startServer(t, "DATABASE_URL="+first.dbURL, "GAME_WAITING_TIMEOUT=3s")
	state, _, _ := lobbyState(t, first.dbURL, created.SessionID, timeout)
	require.Equal(t, "waiting", state, "the crash left the lobby open")
	require.Eventually(t, func() bool {
		_, _, expired := lobbyState(t, first.dbURL, created.SessionID, timeout)
		return expired
	}, 20*time.Second, 50*time.Millisecond)

	bobToken, _ := second.guest("e2e-lobby-bob-01")
	wb := dial(t, second, bobToken)
	wb.send("game:join", 1, map[string]string{"code": created.Code})
	refused := wb.answerTo(1)
	require.Equal(t, "error", refused.T, "a lobby past its deadline accepts no join: %s", refused.D)
	require.Equal(t, "session_not_found", decode[map[string]string](t, refused.D)["code"])
	require.Eventually(t, func() bool {
		state, reason, _ := lobbyState(t, first.dbURL, created.SessionID, timeout)
		return state == "aborted" && reason == "lobby_expired"
	}, 10*time.Second, 50*time.Millisecond, "the orphaned lobby is closed in the database")
}
