package e2e

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// anyFrame reads the next frame, whatever its type.
func (c *socket) anyFrame() frame {
	c.t.Helper()
	require.NoError(c.t, c.conn.SetReadDeadline(time.Now().Add(45*time.Second)))
	var f frame
	require.NoError(c.t, c.read(&f))
	return f
}

// requireOnly reads the answer to request id and requires it to be the
// error code and nothing else: a ping sent after it is answered next.
func (c *socket) requireOnly(id int64, code string) json.RawMessage {
	c.t.Helper()
	f := c.anyFrame()
	require.Equal(c.t, "error", f.T, "the first frame after the request is its error: %s %s", f.T, f.D)
	require.Equal(c.t, id, f.ID)
	require.Equal(c.t, code, decode[map[string]string](c.t, f.D)["code"])
	c.send("ping", id+1000, map[string]any{})
	pong := c.anyFrame()
	require.Equal(c.t, "pong", pong.T, "nothing else was sent: %s %s", pong.T, pong.D)
	require.Equal(c.t, id+1000, pong.ID)
	return f.D
}

// TestServer_RefusedGameRequestsGetOnlyTheError: a game:start or
// game:create of an unknown mode and a game:resume of an unknown session
// get their error and nothing else (no game:state-change for a game the
// client is not in); a game:resume of someone else's game gets exactly what
// an unknown session gets.
func TestServer_RefusedGameRequestsGetOnlyTheError(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	aliceToken, _ := s.guest("e2e-refused-alice")
	bobToken, _ := s.guest("e2e-refused-bob01")
	alice, bob := dial(t, s, aliceToken), dial(t, s, bobToken)

	alice.send("game:start", 1, map[string]string{"mode": "no-such-mode"})
	alice.requireOnly(1, "unknown_mode")
	alice.send("game:create", 2, map[string]any{"mode": "no-such-mode", "maxPlayers": 2})
	alice.requireOnly(2, "unknown_mode")
	alice.send("game:resume", 3, map[string]string{"sessionId": uuid.NewString()})
	unknown := alice.requireOnly(3, "session_not_found")

	alice.send("game:start", 4, map[string]string{"mode": "classic"})
	started := decode[struct{ SessionID string }](t, alice.next("ack").D)
	bob.send("game:resume", 3, map[string]string{"sessionId": started.SessionID})
	require.JSONEq(t, string(unknown), string(bob.requireOnly(3, "session_not_found")),
		"someone else's game is answered as an unknown session")
}
