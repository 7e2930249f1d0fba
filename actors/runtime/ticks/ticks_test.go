package ticks_test

import (
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/runtime/ticks"
)

type tick struct{}

// probe spawns an actor that forwards every tick to the returned channel.
func probe(t *testing.T) (*actor.ActorSystem, *actor.PID, chan struct{}) {
	t.Helper()
	sys := actor.NewActorSystem()
	t.Cleanup(sys.Shutdown)
	got := make(chan struct{}, 1024)
	pid := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if _, ok := c.Message().(*tick); ok {
			got <- struct{}{}
		}
	}))
	return sys, pid, got
}

func TestEvery_SendsUntilCancelled(t *testing.T) {
	t.Parallel()
	sys, pid, got := probe(t)
	cancel := ticks.Every(sys.Root, 0, time.Millisecond, pid, &tick{})
	for range 3 {
		select {
		case <-got:
		case <-time.After(10 * time.Second):
			require.FailNow(t, "no tick")
		}
	}
	cancel()
	cancel() // idempotent
}

// Cancelling while the timer fires, from several goroutines at once, is
// race-free (run with -race: protoactor's SendRepeatedly fails this).
func TestEvery_CancelWhileFiringIsRaceFree(t *testing.T) {
	t.Parallel()
	sys, pid, _ := probe(t)
	for range 200 {
		cancel := ticks.Every(sys.Root, 0, time.Microsecond, pid, &tick{})
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(cancel)
		}
		wg.Wait()
	}
}
