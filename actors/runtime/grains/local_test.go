package grains

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/lithammer/shortuuid/v4.init"))
}

// echo answers "who" with the identity it learned from ClusterInit, and
// stops on "stop".
func echo() *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor {
		var identity string
		return actor.ReceiveFunc(func(ctx actor.Context) {
			switch m := ctx.Message().(type) {
			case *cluster.ClusterInit:
				identity = m.Identity.Identity
			case string:
				if m == "stop" {
					ctx.Stop(ctx.Self())
					return
				}
				ctx.Respond(identity)
			}
		})
	})
}

func newSystem(t *testing.T) *actor.ActorSystem {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return quiet }))
	t.Cleanup(s.Shutdown)
	return s
}

func TestLocalDirectory_ActivatesWithIdentity(t *testing.T) {
	system := newSystem(t)
	dir := NewLocalDirectory(system.Root, map[string]*actor.Props{"echo": echo()})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	reply, err := Request(ctx, system.Root, dir, "echo", "grain-1", "who")
	require.NoError(t, err)
	require.Equal(t, "grain-1", reply, "ClusterInit reaches the grain before any message")

	first, err := dir.PID(ctx, "echo", "grain-1")
	require.NoError(t, err)
	again, err := dir.PID(ctx, "echo", "grain-1")
	require.NoError(t, err)
	require.True(t, first.Equal(again), "one activation per identity")

	require.NoError(t, system.Root.StopFuture(first).Wait())
	reply, err = Request(ctx, system.Root, dir, "echo", "grain-1", "who")
	require.NoError(t, err, "a stopped grain is activated afresh")
	require.Equal(t, "grain-1", reply)

	_, err = dir.PID(ctx, "nope", "x")
	require.ErrorIs(t, err, ErrUnavailable)
}

func TestRequest_TimesOutAsUnavailable(t *testing.T) {
	system := newSystem(t)
	silent := actor.PropsFromFunc(func(actor.Context) {})
	dir := NewLocalDirectory(system.Root, map[string]*actor.Props{"silent": silent})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := Request(ctx, system.Root, dir, "silent", "x", "hello?")
	require.ErrorIs(t, err, ErrUnavailable)
}

func TestTopologyWatch_ClosesOncePerChange(t *testing.T) {
	w := &TopologyWatch{changed: make(chan struct{})}
	first := w.Changed()
	select {
	case <-first:
		t.Fatal("closed before any change")
	default:
	}
	w.signal()
	<-first // closed by the change
	second := w.Changed()
	require.NotEqual(t, first, second, "a new wait after each change")
	select {
	case <-second:
		t.Fatal("a later wait must not see an earlier change")
	default:
	}
	var none *TopologyWatch
	require.Nil(t, none.Changed(), "no watch: attempts just time out")
}
