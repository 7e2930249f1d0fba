package badges_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/badges"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/actors/runtime/fanout"
	"github.com/proofstell/proofstell/config"
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

// signalingHub tells when a topic is subscribed, so the test publishes
// only once the player actor listens.
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

// TestWorker_AnnouncesToThePlayerSocketOnAnotherNode runs the worker on
// node A and the player's connection on node B: badge:awarded crosses
// Redis and reaches the socket because the player actor subscribed to its
// player topic.
func TestWorker_AnnouncesToThePlayerSocketOnAnotherNode(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.guest(t, false)
	e.play(t, p, game{score: 3, misses: 1})
	prefix := "test:" + uuid.NewString() + ":"
	a, b := newHubNode(t, prefix), newHubNode(t, prefix)

	hubB := signalingHub{Hub: b.hub, subscribed: make(chan string, 4)}
	sock := socket{frames: make(chan player.Frame, 8)}
	spawner := &player.Spawner{Root: b.system.Root, MailboxSize: 8, Deps: player.Deps{Hub: hubB,
		Base: context.Background(), LookupTimeout: time.Second, MaxPending: 1, Logger: slog.New(slog.DiscardHandler)}}
	_, detach := spawner.Attach(player.Identity{PlayerID: p.ID, Username: p.Username}, sock)
	t.Cleanup(detach)
	select {
	case topic := <-hubB.subscribed:
		require.Equal(t, "player:"+p.ID, topic)
	case <-time.After(5 * time.Second):
		t.Fatal("the player actor never subscribed")
	}

	w := badges.New(badges.Deps{Store: e.store, Events: a.hub, Now: e.clock.Now})
	n, err := w.Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, 1, n)
	select {
	case f := <-sock.frames:
		require.Equal(t, badges.TypeBadgeAwarded, f.Type)
		badge := badgeID(t, e, "first-game")
		require.JSONEq(t, `{"badgeId":"`+badge+`","name":"First Whack","rarity":"common"}`, string(f.Data))
	case <-time.After(5 * time.Second):
		t.Fatal("badge:awarded never reached the socket")
	}
}

// badgeID returns the id of the seeded badge with slug.
func badgeID(t *testing.T, e *env, slug string) string {
	t.Helper()
	all, err := e.store.Badges(t.Context(), false)
	require.NoError(t, err)
	for _, b := range all {
		if b.Slug == slug {
			return b.ID
		}
	}
	require.FailNow(t, "no badge "+slug)
	return ""
}
