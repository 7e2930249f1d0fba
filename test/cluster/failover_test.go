package cluster

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// failoverWithin is how soon after its host dies a player on a surviving
// member must see the game paused and started again.
const failoverWithin = 3 * time.Second

// rejoinGames run while the killed member rejoins; each has a 1/3 chance
// that its grain's owner becomes the rejoined member.
const rejoinGames = 6

// TestCluster_KillNineMidGame: the member hosting running games is killed
// with SIGKILL. A player connected elsewhere sees the game pause and start
// again within 3 s and finishes it; a player whose socket was on the dead
// member reconnects elsewhere, resumes and finishes. Each game commits
// exactly one result. The member then restarts on its old ports and
// rejoins; games running while it rejoins (their grains may move to it)
// still end with exactly one result.
func TestCluster_KillNineMidGame(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts members during 6 s games")
	}
	t.Parallel()
	g := startAutomanaged(t, 3)
	a := g.members[0]

	// P1 plays on a, hosted elsewhere: the victim is that host. Games
	// hosted on a itself are bystanders and must not notice anything.
	games := startUntil(t, g, a, "cluster-kill-p1", modeShort, func(games []*hostedGame) bool {
		return hostedBy(games, func(m *member) bool { return m != a }) != nil
	})
	p1 := hostedBy(games, func(m *member) bool { return m != a })
	require.NotNil(t, p1, "%d games all hosted on the player's member", len(games))
	bystanders := games[:len(games)-1]
	victim := p1.host
	// P2's socket is on the victim; its game may be hosted anywhere.
	p2 := startResilient(t, g, victim, "cluster-kill-p2-on-victim", modeShort)
	waitWarm(t, p1)
	waitWarm(t, p2)

	killedAt := time.Now()
	victim.kill()
	t.Logf("killed %s (host of P1's game; P2's game hosted on %s)", victim.name, p2.host.name)
	survivors := g.others(victim)
	g.waitMembers(2, survivors...)
	t.Logf("survivors saw 2 members %s after the kill", time.Since(killedAt))

	require.NoError(t, <-p1.done)
	back := requireFailedOver(t, p1.game, killedAt)
	requireSurvived(t, g, p1, false)
	require.NoError(t, <-p2.done)
	require.NotEmpty(t, p2.game.closes, "P2's socket was on the killed member")
	requireSurvived(t, g, p2, false)
	for _, h := range bystanders {
		requireFullGame(t, g, h)
	}

	// Long games run while the victim restarts and rejoins; grains whose
	// owner becomes the new member move to it mid-game.
	var during []*hostedGame
	for i := range rejoinGames {
		during = append(during, startResilient(t, g, survivors[i%2], fmt.Sprintf("cluster-kill-rejoin-%02d", i), modeLong))
	}
	for _, h := range during {
		waitWarm(t, h)
	}
	victim.launch()
	victim.waitReady()
	g.waitMembers(3, g.members...)
	for _, h := range during {
		require.Empty(t, h.done, "game %s ended before the member rejoined", h.game.sessionID)
	}
	for _, h := range during {
		require.NoError(t, <-h.done)
		requireSurvived(t, g, h, true)
	}
	t.Logf("after the rejoin %s hosts %v session activations (moved grains)", victim.name, victim.gauge(metricSessions))

	require.LessOrEqual(t, back, failoverWithin, "P1's game was back %s after the kill", back)
	requireUnflagged(t, append([]*hostedGame{p1, p2}, during...)...)
}

// requireFailedOver checks what a player connected to a surviving member
// sees when its game's host dies: game:state-change paused, then started,
// then more hits. It returns how long after the kill the game was back.
func requireFailedOver(t testing.TB, gm *game, killedAt time.Time) time.Duration {
	t.Helper()
	pausedAt, paused := gm.firstState("paused", killedAt)
	trail := strings.Join(gm.trail, "\n")
	require.True(t, paused, "no paused after the kill; trail:\n%s", trail)
	startedAt, started := gm.firstState("started", pausedAt)
	require.True(t, started, "no started after paused; trail:\n%s", trail)
	t.Logf("failover of %s: paused %s and started %s after the kill", gm.sessionID,
		pausedAt.Sub(killedAt).Round(time.Millisecond), startedAt.Sub(killedAt).Round(time.Millisecond))
	require.Positive(t, gm.hitsSince(startedAt), "the player keeps whacking after the game is back")
	return startedAt.Sub(killedAt)
}
