package fanout

import (
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/proofstell/proofstell/actors/protos"
)

// frameSocket records the frame it got and whether it accepts more.
type frameSocket struct {
	build  func(*protos.ClientEvent) any
	frames []any
	full   bool
}

func (s *frameSocket) Deliver(b *Broadcast) bool {
	if s.full {
		return false
	}
	s.frames = append(s.frames, b.Frame(s.build))
	return true
}

// busMessage is what a node's bus subscription hands deliver.
func busMessage(t *testing.T, topic string, ev *protos.ClientEvent) (string, []byte) {
	t.Helper()
	payload, err := proto.Marshal(ev)
	require.NoError(t, err)
	return busPrefix + topic, payload
}

// A broadcast to many local subscribers is encoded once, reaches each
// subscriber's socket directly, and sends the subscribing actors nothing.
func TestHub_BroadcastEncodesOnceAndBypassesTheMailbox(t *testing.T) {
	system := actor.NewActorSystem()
	t.Cleanup(system.Shutdown)
	hub := NewHub(nil, 1, slog.New(slog.NewTextHandler(io.Discard, nil)))

	var encodes atomic.Int64
	build := func(ev *protos.ClientEvent) any { encodes.Add(1); return string(ev.Data) }
	mailbox := make(chan any, 64)
	sockets := make([]*frameSocket, 5)
	pids := make([]*actor.PID, len(sockets))
	for i := range sockets {
		pids[i] = system.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
			if _, ok := ctx.Message().(actor.SystemMessage); !ok {
				mailbox <- ctx.Message()
			}
		}))
		sockets[i] = &frameSocket{build: build}
		hub.Subscribe("leaderboard:daily", pids[i], sockets[i])
	}
	other := &frameSocket{build: build}
	hub.Subscribe("leaderboard:weekly", system.Root.Spawn(actor.PropsFromFunc(func(actor.Context) {})), other)

	hub.deliver(busMessage(t, "leaderboard:daily", &protos.ClientEvent{Type: "leaderboard:update", Data: []byte(`{"n":1}`)}))

	require.EqualValues(t, 1, encodes.Load(), "one encode per event per node")
	for _, s := range sockets {
		require.Equal(t, []any{`{"n":1}`}, s.frames)
	}
	require.Empty(t, other.frames)
	// Mailboxes are FIFO per sender, and deliver ran on this goroutine: a
	// marker sent now arrives after anything the broadcast sent.
	for _, pid := range pids {
		system.Root.Send(pid, marker{})
	}
	for range pids {
		select {
		case m := <-mailbox:
			require.IsType(t, marker{}, m, "a subscriber's mailbox got a message from the broadcast")
		case <-time.After(5 * time.Second):
			t.Fatal("marker not received")
		}
	}
}

// marker is the message that proves a mailbox got nothing before it.
type marker struct{}

// A socket that refuses a frame is counted as a drop; the others still get it.
func TestHub_CountsRefusedDeliveries(t *testing.T) {
	system := actor.NewActorSystem()
	t.Cleanup(system.Shutdown)
	hub := NewHub(nil, 1, slog.New(slog.NewTextHandler(io.Discard, nil)))
	build := func(ev *protos.ClientEvent) any { return ev.Type }
	full, open := &frameSocket{build: build, full: true}, &frameSocket{build: build}
	hub.Subscribe("game:g", system.Root.Spawn(actor.PropsFromFunc(func(actor.Context) {})), full)
	hub.Subscribe("game:g", system.Root.Spawn(actor.PropsFromFunc(func(actor.Context) {})), open)

	drops, delivered := testutil.ToFloat64(deliveryDrops), testutil.ToFloat64(deliveries)
	hub.deliver(busMessage(t, "game:g", &protos.ClientEvent{Type: "game:mole"}))

	require.Equal(t, []any{"game:mole"}, open.frames)
	require.InDelta(t, drops+1, testutil.ToFloat64(deliveryDrops), 0)
	require.InDelta(t, delivered+1, testutil.ToFloat64(deliveries), 0)
}

// UnsubscribeAll forgets every topic of one actor and nothing of another's.
func TestHub_UnsubscribeAll(t *testing.T) {
	system := actor.NewActorSystem()
	t.Cleanup(system.Shutdown)
	hub := NewHub(nil, 1, slog.New(slog.NewTextHandler(io.Discard, nil)))
	build := func(ev *protos.ClientEvent) any { return ev.Type }
	gone, stays := &frameSocket{build: build}, &frameSocket{build: build}
	gonePID := system.Root.Spawn(actor.PropsFromFunc(func(actor.Context) {}))
	stayPID := system.Root.Spawn(actor.PropsFromFunc(func(actor.Context) {}))
	for _, topic := range []string{"player:a", "game:g", "leaderboard:daily"} {
		hub.Subscribe(topic, gonePID, gone)
	}
	hub.Subscribe("game:g", stayPID, stays)

	hub.UnsubscribeAll(gonePID)
	for _, topic := range []string{"player:a", "game:g", "leaderboard:daily"} {
		hub.deliver(busMessage(t, topic, &protos.ClientEvent{Type: topic}))
	}

	require.Empty(t, gone.frames)
	require.Equal(t, []any{"game:g"}, stays.frames)
	require.NotContains(t, hub.byPID, gonePID.String())
	require.NotContains(t, hub.topics, "player:a")
}
