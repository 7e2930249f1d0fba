package session

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/grains"
	"github.com/proofstell/proofstell/persistence"
)

// resume sends the probe's game:resume of session id with request id rid.
func (p *probe) resume(id string, rid int64) {
	p.h.send(id, &protos.JoinSession{From: p.ref, RequestId: rid, Resume: true})
}

// unknownAnswer is what a resume of a session that does not exist gets.
func unknownAnswer(t *testing.T, p *probe) *protos.ClientEvent {
	t.Helper()
	p.resume(uuid.NewString(), 9)
	ev := p.next(events.TypeError)
	require.Equal(t, events.CodeSessionNotFound, decode[events.Error](t, ev).Code)
	return ev
}

// finishSolo plays a started solo game to its end without a hit.
func finishSolo(t *testing.T, h *harness, p *probe, id string) events.Over {
	t.Helper()
	h.tick(id, 30*time.Second)
	over := decode[events.Over](t, p.next(events.TypeOver))
	require.Equal(t, events.StateEnded, decode[events.StateChange](t, p.next(events.TypeStateChange)).State)
	return over
}

// stopActivation ends the session's activation, as a moved grain's.
func stopActivation(t *testing.T, h *harness, id string) {
	t.Helper()
	pid, err := h.dir.PID(context.Background(), "session", id)
	require.NoError(t, err)
	require.NoError(t, h.system.Root.StopFuture(pid).Wait())
	require.Eventually(t, func() bool {
		_, alive := h.system.ProcessRegistry.GetLocal(pid.Id)
		return !alive
	}, 5*time.Second, time.Millisecond, "the stopped activation leaves the registry")
}

// A stranger's game:resume gets exactly what a resume of an unknown session
// gets, whatever the session is doing: it cannot learn that it exists.
func TestSession_StrangersResumeIsNotFound(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, h *harness, p *probe) string
	}{
		{"waiting match", func(_ *testing.T, h *harness, p *probe) string {
			id := uuid.NewString()
			h.send(id, &protos.CreateSession{From: p.ref, RequestId: 1, Mode: "classic", MaxPlayers: 2})
			p.next(events.TypeAck)
			return id
		}},
		{"running", startSolo},
		{"finished", func(t *testing.T, h *harness, p *probe) string {
			id := startSolo(t, h, p)
			finishSolo(t, h, p, id)
			return id
		}},
		{"finished, in a new activation", func(t *testing.T, h *harness, p *probe) string {
			id := startSolo(t, h, p)
			finishSolo(t, h, p, id)
			stopActivation(t, h, id)
			return id
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			owner, other := h.createPlayer("device-owner-"+tt.name), h.createPlayer("device-stranger-"+tt.name)
			p, stranger := h.newProbe(owner.ID, owner.Username), h.newProbe(other.ID, other.Username)
			want := unknownAnswer(t, stranger)
			id := tt.setup(t, h, p)

			stranger.resume(id, 9)
			got := stranger.next(events.TypeError)
			require.Equal(t, want.Data, got.Data)
			require.Equal(t, want.RequestId, got.RequestId)
			require.True(t, got.Detach)
		})
	}
}

// A player re-attaching to a game that ended (while its connection was
// away, or while the grain moved) is answered with the stored game:over.
func TestSession_ResumeOfAFinishedGameAnswersGameOver(t *testing.T) {
	for _, fresh := range []bool{false, true} {
		t.Run(map[bool]string{false: "same activation", true: "new activation"}[fresh], func(t *testing.T) {
			h := newHarness(t)
			pl := h.createPlayer("device-finished-01")
			p := h.newProbe(pl.ID, pl.Username)
			id := startSolo(t, h, p)
			over := finishSolo(t, h, p, id)
			if fresh {
				stopActivation(t, h, id)
			}

			for _, rid := range []int64{11, 0} { // game:resume, then an internal re-attach
				p.resume(id, rid)
				ev := p.next(events.TypeOver + "|" + events.TypeError)
				require.Equal(t, events.TypeOver, ev.Type)
				require.Equal(t, rid, ev.RequestId)
				require.True(t, ev.Detach)
				require.Equal(t, over, decode[events.Over](t, ev))
				end := p.next(events.TypeStateChange)
				require.Equal(t, events.StateChange{GameID: id, State: events.StateEnded}, decode[events.StateChange](t, end))
			}
		})
	}
}

// A creator's connection repeating its game:start (the first activation
// died before answering) re-attaches to the game it created.
func TestSession_RepeatedCreateReattaches(t *testing.T) {
	h := newHarness(t)
	pl := h.createPlayer("device-again-01")
	p := h.newProbe(pl.ID, pl.Username)
	id := startSolo(t, h, p)
	stopActivation(t, h, id)

	h.send(id, &protos.CreateSession{From: p.ref, RequestId: 1, Mode: "classic", MaxPlayers: 1})
	ack := p.next(events.TypeAck + "|" + events.TypeError)
	require.Equal(t, events.TypeAck, ack.Type)
	require.EqualValues(t, 1, ack.RequestId)
	require.Equal(t, id, decode[events.SessionAck](t, ack).SessionID)
	require.Equal(t, events.StateStarted, decode[events.StateChange](t, p.next(events.TypeStateChange)).State)
}

// heldDirectory holds resolutions while hold is set (a player actor still
// looking for the session's next activation).
type heldDirectory struct {
	grains.Directory
	mu      sync.Mutex
	hold    chan struct{}
	waiting atomic.Int32 // resolutions held so far
}

// holdResolutions makes resolutions wait until release is called.
func (d *heldDirectory) holdResolutions() (release func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	hold := make(chan struct{})
	d.hold = hold
	return func() { close(hold) }
}

func (d *heldDirectory) PID(ctx context.Context, kind, identity string) (*actor.PID, error) {
	d.mu.Lock()
	hold := d.hold
	d.mu.Unlock()
	if hold == nil {
		return d.Directory.PID(ctx, kind, identity)
	}
	d.waiting.Add(1)
	select {
	case <-hold:
	case <-ctx.Done():
		return nil, fmt.Errorf("held: %w", ctx.Err())
	}
	return d.Directory.PID(ctx, kind, identity)
}

// TestSession_GameThatEndsWhileItMovesIsAnnounced: the session's activation
// stops mid-game, and the game ends in its next activation before the
// player's connection found it again. The re-attach is answered with the
// stored game:over, so the client leaves its pause.
func TestSession_GameThatEndsWhileItMovesIsAnnounced(t *testing.T) {
	h := newHarness(t)
	pl := h.createPlayer("device-ends-moving-01")
	id := uuid.NewString()
	dir := &heldDirectory{Directory: h.dir}
	sock := &socket{frames: make(chan player.Frame, 256)}
	spawner := &player.Spawner{Root: h.system.Root, MailboxSize: 64, Deps: player.Deps{
		Grains: dir, Codes: h.store, Hub: noHub{}, NewSessionID: func() string { return id },
		Base: context.Background(), LookupTimeout: 5 * time.Second, MaxPending: 8,
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
		RetryBackoff: func(int) time.Duration { return time.Millisecond },
	}}
	deliver, detach := spawner.Attach(player.Identity{PlayerID: pl.ID, Username: pl.Username}, sock)
	t.Cleanup(detach)
	deliver(player.Command{ID: 1, ReceivedAt: h.clock.Now(), Body: player.StartGame{Mode: "classic"}})
	require.EqualValues(t, 1, sock.nextOf(t, events.TypeAck).ID)
	require.Equal(t, events.StateWaiting, frameData[events.StateChange](t, sock.nextOf(t, events.TypeStateChange)).State)
	h.tick(id, 3*time.Second)
	require.Equal(t, events.StateStarted, frameData[events.StateChange](t, sock.nextOf(t, events.TypeStateChange)).State)

	h.tick(id, 29*time.Second)       // a second left
	release := dir.holdResolutions() // the connection cannot find the next activation yet
	stopActivation(t, h, id)
	require.Equal(t, events.StatePaused, frameData[events.StateChange](t, sock.nextOf(t, events.TypeStateChange)).State)
	// The connection forgot the dead activation and waits for the next
	// (LocalDirectory names every activation alike, so a later Forget would
	// drop the next one).
	require.Eventually(t, func() bool { return dir.waiting.Load() > 0 }, 5*time.Second, time.Millisecond)
	finishWhileAway(t, h, id)
	release()

	over := sock.nextOf(t, events.TypeOver)
	require.Equal(t, events.TypeOver, over.Type, "the re-attach is answered with how the game ended")
	require.Equal(t, pl.ID, frameData[events.Over](t, over).Results[0].PlayerID)
	require.Equal(t, events.StateEnded, frameData[events.StateChange](t, sock.next(t)).State)
}

// finishWhileAway drives the session's next activation (a tick activates
// it) until the game is over and stored, in steps well within the resume
// window.
func finishWhileAway(t *testing.T, h *harness, id string) {
	t.Helper()
	// Wake the next activation without moving the clock and wait for its
	// claim: however long it takes to load on a busy machine, the outage it
	// resumes from stays inside the resume window (30 s in the harness), so
	// the game finishes instead of being aborted.
	stopped, err := h.store.Session(context.Background(), id)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		h.send(id, &tick{})
		s, err := h.store.Session(context.Background(), id)
		return err == nil && s.Epoch > stopped.Epoch
	}, 10*time.Second, 5*time.Millisecond, "the next activation claims the session")
	deadline := time.Now().Add(10 * time.Second)
	poll := time.NewTicker(5 * time.Millisecond)
	defer poll.Stop()
	for time.Now().Before(deadline) {
		h.tick(id, 200*time.Millisecond)
		if s, err := h.store.Session(context.Background(), id); err == nil && s.State == persistence.StateFinished {
			return
		}
		<-poll.C
	}
	t.Fatal("the game never finished in its next activation")
}
