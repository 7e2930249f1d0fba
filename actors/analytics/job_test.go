package analytics_test

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/require"

	worker "github.com/proofstell/proofstell/actors/analytics"
)

// The singleton job runs its provider's worker between Started and
// Stopping, and its stop waits for the drain (goleak checks nothing is
// left running).
func TestJob_RunsTheWorkerWhileAlive(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	const n = 10
	queue(t, s, 0, n)
	p := newProvider(t, "ga4")
	system := actor.NewActorSystem()
	t.Cleanup(system.Shutdown)
	pid := system.Root.Spawn(worker.JobProps(worker.JobDeps{
		Interval: 5 * time.Millisecond, Base: t.Context(),
		Worker: worker.Deps{Store: s, Sender: p.sender, Mapper: newWorkerMapper()},
	}))
	require.Eventually(t, func() bool { return len(p.fake.Events()) == n }, 20*time.Second, 5*time.Millisecond)
	p.fake.Hold()
	queue(t, s, n, 1)
	<-p.fake.Held()
	require.NoError(t, system.Root.StopFuture(pid).Wait(), "stopping cancels the held request and waits for the drain")
	require.Eventually(t, func() bool { return p.fake.Stats().Cut == 1 }, 5*time.Second, time.Millisecond)
	p.fake.Release()
	requireExactlyOnce(t, p.fake, n)
}
