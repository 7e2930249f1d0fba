package player

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/fanout"
)

// opsHub reports every subscription change in order.
type opsHub struct{ ops chan string }

func (h *opsHub) Subscribe(topic string, _ *actor.PID, _ fanout.Socket) { h.ops <- "sub " + topic }
func (h *opsHub) Unsubscribe(topic string, _ *actor.PID)                { h.ops <- "unsub " + topic }
func (h *opsHub) UnsubscribeAll(*actor.PID)                             { h.ops <- "unsub all" }

// waitOp reads ops until want, failing at the deadline.
func (h *opsHub) waitOp(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case op := <-h.ops:
			if op == want {
				return
			}
		case <-deadline:
			t.Fatalf("no %q", want)
		}
	}
}

func TestActor_SubscribesToItsTopic(t *testing.T) {
	h := &opsHub{ops: make(chan string, 64)}
	f := newFixture(t, func(d *Deps) { d.Hub = h })
	require.Equal(t, "player:p1", Topic("p1"))
	h.waitOp(t, "sub player:p1")

	f.detach()
	h.waitOp(t, "unsub player:p1")
}

// loopBus is a one-node bus: a publish is delivered at once, on the
// publisher's goroutine.
type loopBus struct {
	deliver func(topic string, payload []byte)
}

func (b *loopBus) Publish(_ context.Context, topic string, payload []byte) error {
	b.deliver(topic, payload)
	return nil
}

func (b *loopBus) Subscribe(_ context.Context, _ string, deliver func(string, []byte)) error {
	b.deliver = deliver
	return nil
}

// A board the client subscribed to reaches its socket through the hub's
// data path (Deliver), and stops when the connection goes.
func TestActor_SubscribedBoardReachesTheSocket(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	bus := &loopBus{}
	realHub := fanout.NewHub(bus, 4, quiet)
	require.NoError(t, realHub.Start(t.Context()))
	runCtx, stop := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); realHub.Run(runCtx) }()
	t.Cleanup(func() { stop(); <-done })
	unsubscribed := make(chan struct{}, 1)
	f := newFixture(t, func(d *Deps) { d.Hub = signalingHub{Hub: realHub, unsubscribed: unsubscribed} })

	f.command(7, SubscribeLeaderboard{LeaderboardID: "daily"})
	require.Equal(t, Frame{Type: events.TypeAck, ID: 7, Data: []byte(`{}`)}, f.conn.next(t))
	realHub.Publish("leaderboard:daily", &protos.ClientEvent{Type: "leaderboard:update", Data: []byte(`{"n":1}`)})
	require.Equal(t, Frame{Type: "leaderboard:update", Data: []byte(`{"n":1}`)}, f.conn.next(t))
	realHub.Publish("player:p1", &protos.ClientEvent{Type: "badge:awarded", Data: []byte(`{}`)})
	require.Equal(t, "badge:awarded", f.conn.next(t).Type)

	// After the connection goes, a witness subscribed to the same topics
	// gets the next events; by then the player's socket would have too.
	f.detach()
	<-unsubscribed
	witness := make(witnessSocket, 2)
	witnessPID := actor.NewPID("nonhost", "witness")
	realHub.Subscribe("leaderboard:daily", witnessPID, witness)
	realHub.Subscribe("player:p1", witnessPID, witness)
	realHub.Publish("leaderboard:daily", &protos.ClientEvent{Type: "leaderboard:update"})
	realHub.Publish("player:p1", &protos.ClientEvent{Type: "badge:awarded"})
	<-witness
	<-witness
	require.Empty(t, f.conn.frames, "a closed connection's socket still gets events")
}

// witnessSocket counts deliveries.
type witnessSocket chan struct{}

func (w witnessSocket) Deliver(*fanout.Broadcast) bool { w <- struct{}{}; return true }

// signalingHub tells when a connection dropped all its subscriptions.
type signalingHub struct {
	*fanout.Hub
	unsubscribed chan struct{}
}

func (h signalingHub) UnsubscribeAll(pid *actor.PID) {
	h.Hub.UnsubscribeAll(pid)
	h.unsubscribed <- struct{}{}
}

// TestActor_SubscribesToTheModesBoard: a subscription names a mode's board
// (classic when it names none), and only that board's updates arrive.
func TestActor_SubscribesToTheModesBoard(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	realHub := fanout.NewHub(&loopBus{}, 4, quiet)
	require.NoError(t, realHub.Start(t.Context()))
	runCtx, stop := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); realHub.Run(runCtx) }()
	t.Cleanup(func() { stop(); <-done })
	f := newFixture(t, func(d *Deps) { d.Hub = realHub })

	sub, err := SubscribeLeaderboard{LeaderboardID: "daily", Mode: "frenzy"}.check()
	require.NoError(t, err)
	f.command(7, sub)
	require.Equal(t, Frame{Type: events.TypeAck, ID: 7, Data: []byte(`{}`)}, f.conn.next(t))
	realHub.Publish("leaderboard:daily", &protos.ClientEvent{Type: "leaderboard:update", Data: []byte(`{"mode":"classic"}`)})
	realHub.Publish("leaderboard:frenzy/daily", &protos.ClientEvent{Type: "leaderboard:update", Data: []byte(`{"mode":"frenzy"}`)})
	require.Equal(t, Frame{Type: "leaderboard:update", Data: []byte(`{"mode":"frenzy"}`)}, f.conn.next(t))

	def, err := SubscribeLeaderboard{LeaderboardID: "daily"}.check()
	require.NoError(t, err)
	require.Equal(t, "classic", def.Mode)
	_, err = SubscribeLeaderboard{LeaderboardID: "daily", Mode: "Frenzy/x"}.check()
	require.Error(t, err)
}

// TestActor_EveryoneTopicReachesTheSocket: every connection hears what is
// published to EveryoneTopic (the scheduler's challenge:started and
// challenge:ended) from its start, through the hub's data path (a wildcard
// over the connections' own topics), until it stops.
func TestActor_EveryoneTopicReachesTheSocket(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	realHub := fanout.NewHub(&loopBus{}, 4, quiet)
	require.NoError(t, realHub.Start(t.Context()))
	runCtx, stop := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); realHub.Run(runCtx) }()
	t.Cleanup(func() { stop(); <-done })
	h := &opsHub{ops: make(chan string, 64)}
	f := newFixture(t, func(d *Deps) { d.Hub = recordingHub{Hub: realHub, ops: h} })
	h.waitOp(t, "sub "+Topic("p1"))

	started := &protos.ClientEvent{Type: events.TypeChallengeStarted, Data: []byte(`{"challengeId":"daily-2026-12-06"}`)}
	realHub.Publish(EveryoneTopic, started)
	require.Equal(t, Frame{Type: events.TypeChallengeStarted, Data: started.Data}, f.conn.next(t))

	f.detach()
	h.waitOp(t, "unsub "+Topic("p1"))
}

// recordingHub is a real hub that also reports subscription changes.
type recordingHub struct {
	*fanout.Hub
	ops *opsHub
}

func (h recordingHub) Subscribe(topic string, pid *actor.PID, sock fanout.Socket) {
	h.Hub.Subscribe(topic, pid, sock)
	h.ops.Subscribe(topic, pid, sock)
}

func (h recordingHub) Unsubscribe(topic string, pid *actor.PID) {
	h.Hub.Unsubscribe(topic, pid)
	h.ops.Unsubscribe(topic, pid)
}

func (h recordingHub) UnsubscribeAll(pid *actor.PID) {
	h.Hub.UnsubscribeAll(pid)
	h.ops.UnsubscribeAll(pid)
}
