package cluster

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/asyncapi"
	"github.com/proofstell/proofstell/internal/nodetest"
)

// TestCluster_SocketIOResumeAfterSIGTERM: a player on the official
// socket.io-client (test/node/socketio-cluster.test.mjs) plays on one member
// of two; the script stops that member with SIGTERM mid-game, sees
// connection:close 1001 and the disconnect, reconnects to the other member
// and resumes the game to game:over. The stopped member must exit cleanly,
// and every frame the client received matches docs/asyncapi.yaml.
func TestCluster_SocketIOResumeAfterSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("stops a member during a 20 s game")
	}
	t.Parallel()
	g := startAutomanaged(t, 2)
	victim, other := g.members[0], g.members[1]
	proc := victim.current()
	frames := nodetest.Run(t, "socketio-cluster.test.mjs", map[string]string{
		"PROOFSTELL_URL":        victim.base,
		"PROOFSTELL_OTHER_URL":  other.base,
		"PROOFSTELL_VICTIM_PID": strconv.Itoa(proc.cmd.Process.Pid),
		"PROOFSTELL_MODE":       modeLong,
	})
	asyncapi.CheckRecording(t, frames)
	select {
	case <-proc.done:
		require.NoError(t, proc.err, "%s must shut down cleanly on SIGTERM", victim.name)
	case <-time.After(stopWithin):
		t.Fatalf("%s did not exit %s after the script's SIGTERM", victim.name, stopWithin)
	}
}
