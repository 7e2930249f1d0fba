package e2e

import (
	"testing"

	"github.com/proofstell/proofstell/internal/asyncapi"
	"github.com/proofstell/proofstell/internal/nodetest"
)

// nodeMode is a short mode for the Node scripts: a 4 s game after a 0.5 s
// countdown, a mole every 300 ms that stays up 800 ms, so a client reacting
// in 150 ms wins every one.
const nodeMode = "node-short"

// addMode inserts a mode the way an operator would (modes are data); the
// node's mode cache hears of it through the table's change notification.
func addMode(t *testing.T, s *server, name string) {
	t.Helper()
	s.exec(`INSERT INTO game_modes (name, level, rows, cols, duration_ms, spawn_interval_ms, visible_ms,
		max_moles_up, hit_points, golden_chance, golden_points, bomb_chance, bomb_penalty, countdown_ms, max_players, active)
		VALUES ($1, 'normal', 3, 3, 4000, 300, 800, 3, 1, 0, 0, 0, 0, 500, 8, true)`, name)
}

// TestServer_SocketIOClients drives the Socket.IO gateway with the official
// socket.io-client (test/node/socketio.test.mjs): both transport settings,
// CONNECT_ERROR, acks, a solo game to the board and leaderboard:update, a
// match across both gateways, and disconnects on logout and ban. Every frame
// the clients received is then checked against docs/asyncapi.yaml.
func TestServer_SocketIOClients(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the server binary and Node.js")
	}
	s := startServer(t)
	addMode(t, s, nodeMode)
	frames := nodetest.Run(t, "socketio.test.mjs", map[string]string{
		"PROOFSTELL_URL":         s.base,
		"PROOFSTELL_MODE":        nodeMode,
		"PROOFSTELL_ADMIN_TOKEN": adminToken(t, s, "node-socketio-admin"),
	})
	asyncapi.CheckRecording(t, frames)
}
