package cluster

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// metricLeader is 1 on the member that holds a singleton's lease.
const metricLeader = "proofstell_singleton_leader"

// takeoverWithin bounds a singleton takeover after its holder is killed:
// the lease TTL (3 s) plus a renewal period (1 s) plus slack for a loaded
// machine.
const takeoverWithin = 8 * time.Second

// leaders returns the members that report holding the scheduler lease.
func leaders(members []*member) []*member {
	var out []*member
	for _, m := range members {
		if m.gauge(metricLeader) == 1 {
			out = append(out, m)
		}
	}
	return out
}

// waitSingleLeader waits until exactly one of members leads, and returns it.
func waitSingleLeader(t testing.TB, within time.Duration, members []*member) *member {
	t.Helper()
	var leader *member
	eventually(t, within, "exactly one scheduler leader", func() (bool, error) {
		l := leaders(members)
		if len(l) > 1 {
			return false, fmt.Errorf("%d leaders at once", len(l))
		}
		if len(l) == 1 {
			leader = l[0]
		}
		return len(l) == 1, nil
	})
	return leader
}

// TestCluster_SchedulerSingletonTakesOver: exactly one member runs the
// period scheduler; when it is killed another takes over within seconds
// (the lease expires), and when the new leader is stopped gracefully it
// hands the lease over at once.
func TestCluster_SchedulerSingletonTakesOver(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and stops cluster members")
	}
	t.Parallel()
	g := startAutomanaged(t, 3)
	first := waitSingleLeader(t, topologyWithin, g.members)
	for _, m := range g.members {
		require.Equal(t, m == first, m.gauge(metricLeader) == 1, "%s", m.name)
	}

	killedAt := time.Now()
	first.kill()
	second := waitSingleLeader(t, takeoverWithin, g.others(first))
	t.Logf("%s killed; %s took over %s later", first.name, second.name, time.Since(killedAt))

	stoppedAt := time.Now()
	require.NoError(t, second.stop())
	rest := g.others(first, second)
	third := waitSingleLeader(t, takeoverWithin, rest)
	handover := time.Since(stoppedAt)
	t.Logf("%s stopped; %s took over %s later", second.name, third.name, handover)
	require.Less(t, handover, 3*time.Second, "a graceful stop releases the lease instead of letting it expire")
}
