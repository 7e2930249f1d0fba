package player

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
)

// requireNoMoreFrames proves nothing else was written: the ack of a later
// command is the next frame.
func (f *fixture) requireNoMoreFrames(id int64) {
	f.t.Helper()
	f.command(id, SubscribeLeaderboard{LeaderboardID: "global"})
	require.Equal(f.t, Frame{Type: events.TypeAck, ID: id, Data: []byte(`{}`)}, f.conn.next(f.t))
}

// A request the session refuses gets only its error, even when the refusing
// activation's death reaches the connection before the error does: no
// paused/moving for a game the client is not in.
func TestActor_RefusedRequestGetsOnlyTheError(t *testing.T) {
	requests := map[string]any{
		"start":  StartGame{Mode: "nope"},
		"create": CreateMatch{Mode: "nope", MaxPlayers: 2},
		"resume": ResumeGame{SessionID: "0193aaaa-0000-7000-8000-000000000000"},
	}
	for name, body := range requests {
		for _, order := range []behaviour{rejectThenStop, stopThenReject} {
			t.Run(name, func(t *testing.T) {
				f := newFixture(t)
				f.behave = func(int) behaviour { return order }
				release := f.dir.holdResolutions()
				f.command(5, body)
				release() // the first resolution; later ones wait below
				require.Equal(t, 1, f.servedNext().activation)
				hold := f.dir.holdResolutions() // a retry cannot overtake the error
				fr := f.conn.next(t)
				require.Equal(t, events.CodeSessionNotFound, errorCode(t, fr))
				require.EqualValues(t, 5, fr.ID)
				hold()
				f.requireNoMoreFrames(6)
			})
		}
	}
}

// A game:resume that reaches an activation handing its game off (which
// drops everything until its node stops it) is asked again of the next
// activation and answered with the client's request id.
func TestActor_ResumeDroppedWhileHandingOffIsAnswered(t *testing.T) {
	f := newFixture(t, fastRetry(time.Second))
	f.behave = func(activation int) behaviour {
		if activation == 1 {
			return drop
		}
		return acknowledge
	}
	f.command(7, ResumeGame{SessionID: f.nextID})
	first := f.servedNext()
	require.Equal(t, 1, first.activation)
	require.True(t, first.msg.(*protos.JoinSession).GetResume())
	old := f.dir.pidOf(t, f.nextID)
	require.NoError(t, f.system.Root.StopFuture(old).Wait())

	again := f.servedNext()
	require.Equal(t, 2, again.activation)
	join := again.msg.(*protos.JoinSession)
	require.EqualValues(t, 7, join.GetRequestId(), "the client's request, not an internal re-attach")
	require.True(t, join.GetResume())
	ack := f.conn.next(t)
	require.Equal(t, events.TypeAck, ack.Type, "no paused frame first")
	require.EqualValues(t, 7, ack.ID)
	f.requireNoMoreFrames(8)
}

// A request whose activation died unanswered, and whose session cannot be
// found again, is answered unavailable with its own id.
func TestActor_UnansweredRequestGivenUpGetsItsError(t *testing.T) {
	f := newFixture(t, fastRetry(3*time.Millisecond))
	f.behave = func(int) behaviour { return drop }
	f.command(7, ResumeGame{SessionID: f.nextID})
	require.Equal(t, 1, f.servedNext().activation)
	f.dir.failing.Store(1000)
	require.NoError(t, f.system.Root.StopFuture(f.dir.pidOf(t, f.nextID)).Wait())

	fr := f.conn.next(t)
	require.Equal(t, events.CodeUnavailable, errorCode(t, fr))
	require.EqualValues(t, 7, fr.ID)
	f.requireNoMoreFrames(8)
}

// The activation acknowledged the client's request and died, and its death
// notice overtook the ack: the client gets its ack, then the pause, and the
// next activation gets the connection back (an internal re-attach), so the
// game goes on for this socket.
func TestActor_AckOvertakenByTheDeathStillReattaches(t *testing.T) {
	f := newFixture(t, fastRetry(time.Second))
	f.behave = func(activation int) behaviour {
		if activation == 1 {
			return stopThenAck
		}
		return acknowledge
	}
	release := f.dir.holdResolutions()
	f.command(7, ResumeGame{SessionID: f.nextID})
	release()
	require.Equal(t, 1, f.servedNext().activation)
	hold := f.dir.holdResolutions() // the retry waits until the ack is in

	ack := f.conn.next(t)
	require.Equal(t, events.TypeAck, ack.Type)
	require.EqualValues(t, 7, ack.ID)
	paused := f.conn.next(t)
	require.Equal(t, events.TypeStateChange, paused.Type)
	require.Contains(t, string(paused.Data), events.StatePaused)
	hold()

	again := f.servedNext()
	require.Equal(t, 2, again.activation)
	join := again.msg.(*protos.JoinSession)
	require.Zero(t, join.GetRequestId(), "the internal re-attach, not the client's request again")
	require.True(t, join.GetResume())
	started := f.conn.next(t)
	require.Equal(t, events.TypeStateChange, started.Type)
	require.Contains(t, string(started.Data), events.StateStarted)
	f.requireNoMoreFrames(8)
}
