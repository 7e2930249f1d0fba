package e2e

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestServer_ShedsNewGamesAtTheDoor: with room for one game
// (MAX_ACTIVE_GAMES=1), a second player's game:start is answered busy with
// a retry hint and nothing else, while the running game's whack is still
// judged; /health/ready stays 200 and reports the pressure.
func TestServer_ShedsNewGamesAtTheDoor(t *testing.T) {
	t.Parallel()
	s := startServer(t, "MAX_ACTIVE_GAMES=1")
	aliceToken, _ := s.guest("e2e-overload-alice")
	bobToken, _ := s.guest("e2e-overload-bob01")
	alice, bob := dial(t, s, aliceToken), dial(t, s, bobToken)

	alice.send("game:start", 1, map[string]string{"mode": "classic"})
	started := decode[struct{ SessionID string }](t, alice.answerTo(1).D)
	bob.send("game:start", 1, map[string]string{"mode": "classic"})
	refused := bob.anyFrame()
	require.Equal(t, "error", refused.T, "the first frame after the request is its error: %s %s", refused.T, refused.D)
	require.Equal(t, int64(1), refused.ID)
	busy := decode[struct {
		Code         string `json:"code"`
		RetryAfterMs int64  `json:"retry_after_ms"`
	}](t, refused.D)
	require.Equal(t, "busy", busy.Code)
	require.Positive(t, busy.RetryAfterMs, "a busy answer says when to come back")
	bob.send("ping", 2, map[string]any{})
	require.Equal(t, "pong", bob.anyFrame().T, "nothing but the error was sent")

	mole := decode[struct {
		MoleID int64 `json:"moleId"`
		Hole   int   `json:"hole"`
	}](t, alice.next("game:mole").D)
	alice.send("game:whack", 2, map[string]any{"sessionId": started.SessionID, "hole": mole.Hole, "moleId": mole.MoleID})
	judged := alice.answerTo(2)
	require.Contains(t, []string{"game:hit", "game:miss"}, judged.T, "the running game's whack is judged: %s %s", judged.T, judged.D)

	resp, err := s.client.Get(s.base + "/api/v1/health/ready") //nolint:noctx // a test's own server
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	require.Equal(t, http.StatusOK, resp.StatusCode, "a shedding node stays in rotation")
	var ready struct {
		Pressure struct {
			Active  int64              `json:"active"`
			Signals map[string]float64 `json:"signals"`
		} `json:"pressure"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&ready))
	require.Equal(t, int64(1), ready.Pressure.Active)
	require.Contains(t, ready.Pressure.Signals, "active")
}
