package cluster

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// rollingGames is how many games run through the rolling restart.
const rollingGames = 12

// TestCluster_RollingRestartUnderLoad: while a dozen 20 s games run, each
// member in turn is stopped with SIGTERM and started again (the next one
// only once the cluster is whole). Clients whose socket closes with 1001
// reconnect to another member and resume; every game still ends with
// game:over and exactly one stored result.
func TestCluster_RollingRestartUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("restarts every member during 20 s games")
	}
	t.Parallel()
	g := startAutomanaged(t, 3)
	games := make([]*hostedGame, rollingGames)
	for i := range games {
		games[i] = startResilient(t, g, g.members[i%len(g.members)], fmt.Sprintf("cluster-rolling-%02d", i), modeLong)
	}
	for _, h := range games {
		waitWarm(t, h)
	}

	began := time.Now()
	for _, m := range g.members {
		for _, h := range games {
			require.Empty(t, h.done, "game %s ended before %s restarted: the restart is slower than a game", h.game.sessionID, m.name)
		}
		stopAt := time.Now()
		require.NoError(t, m.stop(), "%s must shut down cleanly on SIGTERM", m.name)
		stopped := time.Since(stopAt)
		m.launch()
		m.waitReady()
		g.waitMembers(3, g.members...)
		t.Logf("%s: stopped in %s, back and whole %s after SIGTERM", m.name,
			stopped.Round(time.Millisecond), time.Since(stopAt).Round(time.Millisecond))
	}
	t.Logf("rolling restart took %s", time.Since(began).Round(time.Millisecond))

	for _, h := range games {
		require.NoError(t, <-h.done, "game %s (player on %s, hosted on %s)", h.game.sessionID, h.from.name, h.host.name)
		require.NotEmpty(t, h.game.closes, "game %s: its player's member restarted, the socket must have closed", h.game.sessionID)
		for _, code := range h.game.closes {
			require.Equal(t, 1001, code, "game %s: a member shutting down closes sockets with 1001", h.game.sessionID)
		}
		requireSurvived(t, g, h, false)
		if lost := h.game.hits - int(h.game.score(t, h.player.id).Score); lost > 0 {
			t.Logf("game %s: %d hits the player saw are not in the result", h.game.sessionID, lost)
		}
	}
	requireUnflagged(t, games...)
}
