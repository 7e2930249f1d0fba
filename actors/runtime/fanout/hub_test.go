package fanout

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"google.golang.org/protobuf/proto"

	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence/redis"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/lithammer/shortuuid/v4.init"))
}

// node is one process's hub over its own Redis connection.
type node struct {
	system *actor.ActorSystem
	hub    *Hub
}

func newNode(ctx context.Context, t *testing.T, prefix string) *node {
	t.Helper()
	client, err := redis.Open(ctx, config.Redis{URL: "redis://127.0.0.1:6379/0", Prefix: prefix, SubscribeQueue: 64})
	require.NoError(t, err)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return quiet }))
	hub := NewHub(client, 16, quiet)
	require.NoError(t, hub.Start(ctx))
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); hub.Run(runCtx) }()
	t.Cleanup(func() {
		stop()
		<-done
		system.Shutdown()
		require.NoError(t, client.Close())
	})
	return &node{system: system, hub: hub}
}

// subscriber spawns an actor that subscribes with a socket forwarding the
// events it receives.
func (n *node) subscriber(topic string) (*actor.PID, chan *protos.ClientEvent) {
	got := make(chan *protos.ClientEvent, 16)
	pid := n.system.Root.Spawn(actor.PropsFromFunc(func(actor.Context) {}))
	n.hub.Subscribe(topic, pid, chanSocket(got))
	return pid, got
}

// chanSocket is a Socket that forwards each broadcast's event.
type chanSocket chan *protos.ClientEvent

func (s chanSocket) Deliver(b *Broadcast) bool {
	select {
	case s <- b.Event:
		return true
	default:
		return false
	}
}

func receive(t *testing.T, got chan *protos.ClientEvent) *protos.ClientEvent {
	t.Helper()
	select {
	case ev := <-got:
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event delivered")
		return nil
	}
}

func TestHub_DeliversAcrossNodes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	prefix := "test:" + uuid.NewString() + ":"
	a, b := newNode(ctx, t, prefix), newNode(ctx, t, prefix)
	_, onA := a.subscriber("leaderboard:daily")
	bPID, onB := b.subscriber("leaderboard:daily")
	_, otherTopic := b.subscriber("leaderboard:weekly")

	a.hub.Publish("leaderboard:daily", &protos.ClientEvent{Type: "leaderboard:update", Data: []byte(`{"n":1}`)})
	for _, got := range []chan *protos.ClientEvent{onA, onB} {
		ev := receive(t, got)
		require.Equal(t, "leaderboard:update", ev.Type)
		require.JSONEq(t, `{"n":1}`, string(ev.Data))
	}

	// After unsubscribing, node B's actor gets nothing more; the weekly
	// subscriber proves later events still flow to node B.
	b.hub.UnsubscribeAll(bPID)
	a.hub.Publish("leaderboard:daily", &protos.ClientEvent{Type: "leaderboard:update", Data: []byte(`{"n":2}`)})
	a.hub.Publish("leaderboard:weekly", &protos.ClientEvent{Type: "leaderboard:update", Data: []byte(`{"n":3}`)})
	require.JSONEq(t, `{"n":2}`, string(receive(t, onA).Data))
	require.JSONEq(t, `{"n":3}`, string(receive(t, otherTopic).Data))
	require.Empty(t, onB, "an unsubscribed actor must not receive events")
}

func TestHub_PublishNeverBlocks(t *testing.T) {
	system := actor.NewActorSystem()
	defer system.Shutdown()
	hub := NewHub(nil, 2, slog.New(slog.NewTextHandler(io.Discard, nil)))
	// Run is not started: the queue fills and further events are dropped.
	for i := 0; i < 10; i++ {
		hub.Publish("game:x", &protos.ClientEvent{Type: "game:state-change"})
	}
	require.Len(t, hub.out, 2)
}

// The Publisher contract: events published through one node reach every
// subscriber, on any node, in publish order, and Publish has encoded ev by
// the time it returns, so the caller may reuse it.
func TestHub_PublisherContract(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	prefix := "test:" + uuid.NewString() + ":"
	a, b := newNode(ctx, t, prefix), newNode(ctx, t, prefix)
	_, onA := a.subscriber("game:g")
	_, onB := b.subscriber("game:g")

	var pub Publisher = a.hub
	const n = 12
	ev := &protos.ClientEvent{Type: "game:mole"}
	for i := range n {
		ev.Data = []byte(strconv.Itoa(i))
		pub.Publish("game:g", ev)
	}
	for _, got := range []chan *protos.ClientEvent{onA, onB} {
		for i := range n {
			require.Equal(t, strconv.Itoa(i), string(receive(t, got).Data), "event %d out of order or overwritten", i)
		}
	}
}

// TestHub_WildcardReachesEveryPrefixedTopic: an event published to
// "player:*" reaches, on every node, each subscriber of every "player:…"
// topic once, and no subscriber of another topic; an unsubscribed one gets
// nothing.
func TestHub_WildcardReachesEveryPrefixedTopic(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	prefix := "test:" + uuid.NewString() + ":"
	a, b := newNode(ctx, t, prefix), newNode(ctx, t, prefix)
	_, annOnA := a.subscriber("player:ann")
	_, bobOnB := b.subscriber("player:bob")
	gonePID, gone := b.subscriber("player:gone")
	_, board := b.subscriber("leaderboard:daily")
	b.hub.UnsubscribeAll(gonePID)

	a.hub.Publish("player:"+Wildcard, &protos.ClientEvent{Type: "challenge:started", Data: []byte(`{"n":1}`)})
	a.hub.Publish("leaderboard:daily", &protos.ClientEvent{Type: "leaderboard:update", Data: []byte(`{"n":2}`)})
	for _, got := range []chan *protos.ClientEvent{annOnA, bobOnB} {
		require.Equal(t, "challenge:started", receive(t, got).Type)
	}
	// Published after the wildcard on the same node, so delivered after it.
	require.Equal(t, "leaderboard:update", receive(t, board).Type, "another topic's subscriber hears only its own")
	require.Empty(t, annOnA, "each subscription once")
	require.Empty(t, bobOnB)
	require.Empty(t, gone, "an unsubscribed actor hears nothing")
}

func TestHub_OnDeliveredHearsWhatReachedASocket(t *testing.T) {
	t.Parallel()
	hub := NewHub(nil, 1, slog.New(slog.DiscardHandler))
	type heard struct {
		topic  string
		queued int
	}
	var got []heard
	hub.OnDelivered(func(b *Broadcast, queued int) { got = append(got, heard{b.Topic, queued}) })
	full := make(chanSocket) // unbuffered and never read: refuses every frame
	hub.Subscribe("player:a", actor.NewPID("local", "a1"), make(chanSocket, 1))
	hub.Subscribe("player:a", actor.NewPID("local", "a2"), full)
	hub.Subscribe("player:b", actor.NewPID("local", "b1"), full)
	payload, err := proto.Marshal(&protos.ClientEvent{Type: "notification:alert"})
	require.NoError(t, err)
	for _, topic := range []string{"player:a", "player:b", "player:nobody"} {
		hub.deliver(busPrefix+topic, payload)
	}
	require.Equal(t, []heard{{"player:a", 1}}, got, "only what some socket took, counted")
}
