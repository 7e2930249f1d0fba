package scheduler_test

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/runtime/singleton"
	"github.com/proofstell/proofstell/actors/scheduler"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
)

// TestScheduler_RunsAsTheSingletonJob wires the scheduler as the runner's
// job, the way cmd does, with its own timer: the leader closes the last
// ended periods under its lease, with no tick sent by the test.
func TestScheduler_RunsAsTheSingletonJob(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	metrics, err := scheduler.NewMetrics(nil)
	require.NoError(t, err)
	pub := &recorder{}
	jobClock := testclock.New(ts("2026-11-25T00:00:01Z"))
	deps := scheduler.Deps{
		Closer: w.store, Publisher: pub, Now: jobClock.Now, Base: w.ctx, TickInterval: time.Millisecond, Metrics: metrics,
	}
	runner, err := singleton.NewRunner(w.store, w.system.Root, singleton.Options{
		Name: persistence.SchedulerLease, Holder: "node-a", TTL: ttl, Ticks: make(chan time.Time),
		Job: func(l persistence.Lease) *actor.Props { return scheduler.Props(deps, l) },
	})
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- runner.Run(w.ctx) }()
	t.Cleanup(func() {
		require.NoError(t, runner.Stop(w.ctx))
		require.NoError(t, <-done)
	})

	j := &job{w: w, metrics: metrics}
	require.Eventually(t, func() bool { return j.settled() == 3 }, wait, time.Millisecond)
	require.Equal(t, []closeRow{
		{"daily", "2026-11-24", "node-a", 1}, {"monthly", "2026-10", "node-a", 1}, {"weekly", "2026-W47", "node-a", 1},
	}, readCloses(t, w))
	require.Len(t, pub.take(), 3)
}
