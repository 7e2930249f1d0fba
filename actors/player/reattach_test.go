package player

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/grains"
)

// fastRetry makes re-resolution retries wait 1 ms each within budget.
func fastRetry(budget time.Duration) func(*Deps) {
	return func(d *Deps) {
		d.RetryBackoff = func(int) time.Duration { return time.Millisecond }
		d.ReattachBudget = budget
	}
}

// started plays a game on activation 1 of the fake session and returns
// that activation's PID.
func (f *fixture) started() *actor.PID {
	f.t.Helper()
	f.command(1, StartGame{Mode: "classic"})
	require.Equal(f.t, 1, f.servedNext().activation)
	require.Equal(f.t, int64(1), f.conn.next(f.t).ID)
	pid, err := f.dir.PID(context.Background(), grains.KindSession, f.nextID)
	require.NoError(f.t, err)
	return pid
}

func (f *fixture) servedNext() served {
	f.t.Helper()
	select {
	case s := <-f.served:
		return s
	case <-time.After(5 * time.Second):
		f.t.Fatal("no activation served a message")
		return served{}
	}
}

// stateOf decodes a game:state-change frame.
func stateOf(t *testing.T, fr Frame) events.StateChange {
	t.Helper()
	require.Equal(t, events.TypeStateChange, fr.Type)
	var sc events.StateChange
	require.NoError(t, json.Unmarshal(fr.Data, &sc))
	return sc
}

func TestActor_ReattachesWhenTheSessionActivationDies(t *testing.T) {
	f := newFixture(t, fastRetry(time.Second))
	old := f.started()
	resumed := testutil.ToFloat64(reattachTotal.WithLabelValues("resumed"))
	// Resolutions wait, so the whack below must queue until the new
	// activation is known.
	release := f.dir.holdResolutions()
	require.NoError(t, f.system.Root.StopFuture(old).Wait())

	require.Equal(t, events.StateChange{GameID: f.nextID, State: events.StatePaused, Reason: events.ReasonMoving},
		stateOf(t, f.conn.next(t)))
	f.command(2, Whack{SessionID: f.nextID, Hole: 3, MoleID: 9})
	release()

	rejoin := f.servedNext()
	require.Equal(t, 2, rejoin.activation, "the grain was activated again")
	join, ok := rejoin.msg.(*protos.JoinSession)
	require.True(t, ok, "the connection re-attaches first")
	require.Zero(t, join.RequestId)
	require.Equal(t, "p1", join.From.PlayerId)
	whack := f.servedNext()
	require.Equal(t, 2, whack.activation, "the queued whack is judged by the new activation")
	require.EqualValues(t, 3, whack.msg.(*protos.WhackMole).Hole)

	require.Equal(t, events.StateStarted, stateOf(t, f.conn.next(t)).State, "the internal ack is not shown")
	require.Equal(t, int64(2), f.conn.next(t).ID)
	require.Equal(t, resumed+1, testutil.ToFloat64(reattachTotal.WithLabelValues("resumed")))

	f.command(3, Whack{SessionID: f.nextID, Hole: 4, MoleID: 10})
	require.Equal(t, 2, f.servedNext().activation)
	require.Equal(t, int64(3), f.conn.next(t).ID)
}

func TestActor_GivesUpOnASessionThatStaysUnavailable(t *testing.T) {
	f := newFixture(t, fastRetry(3*time.Millisecond))
	old := f.started()
	gaveUp := testutil.ToFloat64(reattachTotal.WithLabelValues("unavailable"))
	f.dir.failing.Store(1000)
	require.NoError(t, f.system.Root.StopFuture(old).Wait())

	require.Equal(t, events.StatePaused, stateOf(t, f.conn.next(t)).State)
	unavailable := f.conn.next(t)
	require.Equal(t, events.CodeUnavailable, errorCode(t, unavailable))
	require.Zero(t, unavailable.ID)
	// Every resolution waits a backoff step first: 3 of 1 ms fit the 3 ms budget.
	require.EqualValues(t, 1000-3, f.dir.failing.Load())
	require.Equal(t, gaveUp+1, testutil.ToFloat64(reattachTotal.WithLabelValues("unavailable")))

	f.command(2, Whack{SessionID: f.nextID, Hole: 1, MoleID: 1})
	require.Equal(t, events.CodeNotInSession, errorCode(t, f.conn.next(t)), "the binding is dropped")
}

func TestActor_TerminatedAfterGameOverChangesNothing(t *testing.T) {
	f := newFixture(t)
	old := f.started()
	f.system.Root.Send(f.player, &protos.ClientEvent{Type: events.TypeOver, SessionId: f.nextID, Data: []byte(`{}`), Detach: true})
	require.Equal(t, events.TypeOver, f.conn.next(t).Type)

	// The passivated activation's death notice, in order with the command
	// below; then the real one.
	f.system.Root.Send(f.player, &actor.Terminated{Who: old})
	require.NoError(t, f.system.Root.StopFuture(old).Wait())
	f.command(2, SubscribeLeaderboard{LeaderboardID: "global"})
	require.Equal(t, Frame{Type: events.TypeAck, ID: 2, Data: []byte(`{}`)}, f.conn.next(t), "no pause, no error")
	select {
	case s := <-f.served:
		t.Fatalf("activation %d got %T after game over", s.activation, s.msg)
	default:
	}
}

func TestDefaultRetryBackoff(t *testing.T) {
	tests := []struct {
		attempt int
		want    time.Duration
	}{
		{0, 50 * time.Millisecond},
		{1, 100 * time.Millisecond},
		{4, 800 * time.Millisecond},
		{5, time.Second},
		{60, time.Second},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, DefaultRetryBackoff(tt.attempt), "attempt %d", tt.attempt)
	}
}
