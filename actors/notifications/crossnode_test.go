package notifications_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/notifications"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/actors/runtime/fanout"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/redis"
)

// hubNode is one node's actor system and fan-out hub over Redis.
type hubNode struct {
	system *actor.ActorSystem
	hub    *fanout.Hub
}

func newHubNode(t *testing.T, prefix string) *hubNode {
	t.Helper()
	ctx := context.Background()
	client, err := redis.Open(ctx, config.Redis{URL: "redis://127.0.0.1:6379/0", Prefix: prefix, SubscribeQueue: 64})
	require.NoError(t, err)
	quiet := slog.New(slog.DiscardHandler)
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return quiet }))
	hub := fanout.NewHub(client, 16, quiet)
	runCtx, stop := context.WithCancel(ctx)
	require.NoError(t, hub.Start(runCtx))
	done := make(chan struct{})
	go func() { defer close(done); hub.Run(runCtx) }()
	t.Cleanup(func() {
		stop()
		<-done
		system.Shutdown()
		require.NoError(t, client.Close())
	})
	return &hubNode{system: system, hub: hub}
}

// signalingHub tells when a topic is subscribed, so the test drains only
// once the player actor listens.
type signalingHub struct {
	*fanout.Hub
	subscribed chan string
}

func (h signalingHub) Subscribe(topic string, pid *actor.PID, sock fanout.Socket) {
	h.Hub.Subscribe(topic, pid, sock)
	h.subscribed <- topic
}

// socket records the frames a player actor writes.
type socket struct{ frames chan player.Frame }

func (s socket) Send(f player.Frame) bool { s.frames <- f; return true }
func (socket) Close(int, string)          {}
func (socket) RTT() time.Duration         { return 0 }

// Deliver records a broadcast as the frame the gateway would write.
func (s socket) Deliver(b *fanout.Broadcast) bool {
	s.frames <- player.Frame{Type: b.Event.Type, Data: b.Event.Data}
	return true
}

// TestWorker_AlertsThePlayerSocketOnAnotherNode runs the worker on node A
// and the player's connection on node B: notification:alert crosses Redis
// and reaches the socket through the player's fan-out topic.
func TestWorker_AlertsThePlayerSocketOnAnotherNode(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p, b := e.guest(t), e.badge(t)
	_, err := e.store.AwardBadge(t.Context(), p.ID, b.ID, persistence.SourceAdmin)
	require.NoError(t, err)
	prefix := "test:" + uuid.NewString() + ":"
	a, nodeB := newHubNode(t, prefix), newHubNode(t, prefix)

	hubB := signalingHub{Hub: nodeB.hub, subscribed: make(chan string, 4)}
	sock := socket{frames: make(chan player.Frame, 8)}
	spawner := &player.Spawner{Root: nodeB.system.Root, MailboxSize: 8, Deps: player.Deps{Hub: hubB,
		Base: context.Background(), LookupTimeout: time.Second, MaxPending: 1, Logger: slog.New(slog.DiscardHandler)}}
	_, detach := spawner.Attach(player.Identity{PlayerID: p.ID, Username: p.Username}, sock)
	t.Cleanup(detach)
	select {
	case topic := <-hubB.subscribed:
		require.Equal(t, "player:"+p.ID, topic)
	case <-time.After(5 * time.Second):
		t.Fatal("the player actor never subscribed")
	}

	n, err := notifications.New(notifications.Deps{Store: e.store, Events: a.hub}).Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, 1, n)
	inbox := e.inbox(t, p.ID)
	require.Len(t, inbox, 1)
	select {
	case f := <-sock.frames:
		require.Equal(t, notifications.TypeAlert, f.Type)
		var got map[string]any
		require.NoError(t, json.Unmarshal(f.Data, &got))
		require.Equal(t, inbox[0].ID, got["id"])
		require.Equal(t, persistence.KindBadgeAwarded, got["kind"])
		require.Equal(t, inbox[0].Title, got["title"])
		require.Contains(t, got, "body")
		require.Contains(t, got, "createdAt")
		require.Equal(t, b.ID, got["data"].(map[string]any)["badgeId"])
	case <-time.After(5 * time.Second):
		t.Fatal("notification:alert never reached the socket")
	}
}
