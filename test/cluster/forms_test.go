package cluster

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestCluster_FormsAndServesAcrossNodes: three automanaged members form one
// cluster; a player on one member plays games hosted on other members, each
// whack judged across nodes, and a third member serves the result.
func TestCluster_FormsAndServesAcrossNodes(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 3 members and plays several 6 s games")
	}
	t.Parallel()
	g := startAutomanaged(t, 3)
	for _, m := range g.members {
		require.EqualValues(t, 3, m.gauge(metricMembers), m.name)
		require.True(t, m.ready(), m.name)
	}
	a := g.members[0]

	// Each game is hosted on another member with p = 2/3; keep starting
	// games (all played at once) until there is a cross-node one and, for
	// the latency baseline, a same-node one.
	isA := func(m *member) bool { return m == a }
	notA := func(m *member) bool { return m != a }
	games := startUntil(t, g, a, "cluster-forms-player", modeShort, func(games []*hostedGame) bool {
		return hostedBy(games, notA) != nil && hostedBy(games, isA) != nil
	})
	remote := hostedBy(games, notA)
	require.NotNil(t, remote, "%d games all hosted on the player's member: placement is not spread", len(games))
	for _, h := range games {
		requireFullGame(t, g, h)
	}
	third := g.others(a, remote.host)[0]
	requireStanding(t, third, remote.player, remote.game.sessionID, int64(remote.game.hits))

	var cross, same []time.Duration
	local := 0
	for _, h := range games {
		if h.host == a {
			same = append(same, h.game.rtts...)
			local++
		} else {
			cross = append(cross, h.game.rtts...)
		}
	}
	t.Logf("judged whack round trip, %d games (%d cross-node):", len(games), len(games)-local)
	t.Logf("  cross-node: n=%d p50=%s p99=%s", len(cross), percentile(cross, 0.5), percentile(cross, 0.99))
	t.Logf("  same-node:  n=%d p50=%s p99=%s", len(same), percentile(same, 0.5), percentile(same, 0.99))
}
