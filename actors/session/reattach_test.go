package session

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/actors/runtime/fanout"
	"github.com/proofstell/proofstell/persistence"
)

// socket is a player connection's socket: it records the frames written.
type socket struct{ frames chan player.Frame }

func (s *socket) Send(f player.Frame) bool { s.frames <- f; return true }
func (s *socket) Close(int, string)        {}
func (s *socket) RTT() time.Duration       { return 40 * time.Millisecond }

// Deliver records a broadcast as the frame the gateway would write.
func (s *socket) Deliver(b *fanout.Broadcast) bool {
	s.frames <- player.Frame{Type: b.Event.Type, ID: b.Event.RequestId, Data: b.Event.Data}
	return true
}

// next returns the next frame, failing the test after a deadline.
func (s *socket) next(t *testing.T) player.Frame {
	t.Helper()
	select {
	case f := <-s.frames:
		return f
	case <-time.After(10 * time.Second):
		t.Fatal("no frame")
		return player.Frame{}
	}
}

// nextOf skips frames until one of type typ.
func (s *socket) nextOf(t *testing.T, typ string) player.Frame {
	t.Helper()
	for {
		if f := s.next(t); f.Type == typ {
			return f
		}
	}
}

func frameData[T any](t *testing.T, f player.Frame) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(f.Data, &v))
	return v
}

type noHub struct{}

func (noHub) Subscribe(string, *actor.PID, fanout.Socket) {}
func (noHub) Unsubscribe(string, *actor.PID)              {}
func (noHub) UnsubscribeAll(*actor.PID)                   {}

// TestSession_PlayerFollowsTheSessionToItsNextActivation plays through a real
// player actor: the session's activation is stopped mid-game, the player
// shows the pause, finds the next activation through the directory, and the
// game goes on where it stopped, judged by the new activation.
func TestSession_PlayerFollowsTheSessionToItsNextActivation(t *testing.T) {
	h := newHarness(t)
	pl := h.createPlayer("device-follow-01")
	id := "6b1f3a52-9d7e-4c1a-8f3e-2a4b5c6d7e8f"
	sock := &socket{frames: make(chan player.Frame, 256)}
	spawner := &player.Spawner{Root: h.system.Root, MailboxSize: 64, Deps: player.Deps{
		Grains: h.dir, Codes: h.store, Hub: noHub{}, NewSessionID: func() string { return id },
		Base: context.Background(), LookupTimeout: 5 * time.Second, MaxPending: 8,
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
		RetryBackoff: func(int) time.Duration { return time.Millisecond },
	}}
	deliver, detach := spawner.Attach(player.Identity{PlayerID: pl.ID, Username: pl.Username}, sock)
	t.Cleanup(detach)

	deliver(player.Command{ID: 1, ReceivedAt: h.clock.Now(), Body: player.StartGame{Mode: "classic"}})
	require.EqualValues(t, 1, sock.nextOf(t, events.TypeAck).ID)
	require.EqualValues(t, 3000, frameData[events.StateChange](t, sock.nextOf(t, events.TypeStateChange)).StartsInMs)
	h.tick(id, 3*time.Second)
	require.Equal(t, events.StateStarted, frameData[events.StateChange](t, sock.nextOf(t, events.TypeStateChange)).State)
	mole := frameData[events.Mole](t, sock.nextOf(t, events.TypeMole))
	require.Eventually(t, func() bool { return snapshotScore(t, h, id, pl.ID) == 0 }, 5*time.Second, 5*time.Millisecond)

	h.clock.Advance(2 * time.Second) // the outage
	old, err := h.dir.PID(context.Background(), "session", id)
	require.NoError(t, err)
	require.NoError(t, h.system.Root.StopFuture(old).Wait())

	require.Equal(t, events.StateChange{GameID: id, State: events.StatePaused, Reason: events.ReasonMoving},
		frameData[events.StateChange](t, sock.next(t)))
	started := sock.next(t)
	require.Equal(t, events.TypeStateChange, started.Type, "the re-attach's ack is not shown to the client")
	require.Equal(t, events.StateChange{GameID: id, State: events.StateStarted, Players: 1, RemainingMs: 30_000},
		frameData[events.StateChange](t, started))
	again := frameData[events.Mole](t, sock.next(t))
	require.Equal(t, mole, again, "the mole that was up is shown again with its full time left")

	h.clock.Advance(200 * time.Millisecond)
	deliver(player.Command{ID: 5, ReceivedAt: h.clock.Now(), Body: player.Whack{SessionID: id, Hole: mole.Hole, MoleID: mole.MoleID}})
	hit := sock.next(t)
	require.Equal(t, events.TypeHit, hit.Type)
	require.EqualValues(t, 5, hit.ID)
	require.EqualValues(t, 1, frameData[events.Hit](t, hit).Score)

	h.tick(id, 30*time.Second)
	require.EqualValues(t, 1, frameData[events.Over](t, sock.nextOf(t, events.TypeOver)).Results[0].Score)
	stored, err := h.store.Session(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, persistence.StateFinished, stored.State)
	require.EqualValues(t, 2, stored.Epoch, "the new activation judged and committed the game")
}
