package memory

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence/contracttest"
)

// TestEngine_Subscribe_stopsWithContext: a cancelled subscription leaves
// the bus, so publishes stop queueing for it.
func TestEngine_Subscribe_stopsWithContext(t *testing.T) {
	t.Parallel()
	e := newEngine(t, nil)
	ctx, cancel := context.WithCancel(t.Context())
	require.NoError(t, e.Subscribe(ctx, "events:", (&contracttest.Inbox{}).Deliver))
	require.Equal(t, 1, subscribers(e))
	cancel()
	require.Eventually(t, func() bool { return subscribers(e) == 0 }, 5*time.Second, time.Millisecond)
}

// TestEngine_closed: after Close nothing publishes or subscribes, and every
// subscription's goroutine is gone (goleak checks the package).
func TestEngine_closed(t *testing.T) {
	t.Parallel()
	e := New(Options{})
	require.NoError(t, e.Subscribe(t.Context(), "", (&contracttest.Inbox{}).Deliver))
	require.NoError(t, e.Close())
	require.NoError(t, e.Close(), "idempotent")
	require.ErrorIs(t, e.Publish(t.Context(), "x", nil), errClosed)
	require.ErrorIs(t, e.Subscribe(t.Context(), "", (&contracttest.Inbox{}).Deliver), errClosed)
	require.Zero(t, subscribers(e))
}

// TestEngine_Publish_fullQueueDrops: a subscriber that does not keep up
// loses messages (overflow policy: drop); the publisher never waits.
func TestEngine_Publish_fullQueueDrops(t *testing.T) {
	t.Parallel()
	e := newEngine(t, nil, func(o *Options) { o.SubscribeQueue = 2 })
	release := make(chan struct{})
	box := &contracttest.Inbox{}
	held := make(chan struct{}, 1)
	require.NoError(t, e.Subscribe(t.Context(), "", func(topic string, payload []byte) {
		if topic == "m0" {
			held <- struct{}{}
			<-release
		}
		box.Deliver(topic, payload)
	}))
	require.NoError(t, e.Publish(t.Context(), "m0", nil))
	<-held // the subscriber is stuck on m0 with an empty queue
	dropped := testutil.ToFloat64(busDropped)
	for i := 1; i <= 4; i++ {
		require.NoError(t, e.Publish(t.Context(), fmt.Sprint("m", i), nil))
	}
	require.GreaterOrEqual(t, testutil.ToFloat64(busDropped), dropped+2, "m3 and m4 found the queue full")
	close(release)
	box.WaitFor(t, "m2")
	require.Equal(t, []contracttest.Delivered{{Topic: "m0"}, {Topic: "m1"}, {Topic: "m2"}}, box.All())
}

func subscribers(e *Engine) int {
	e.bus.mu.RLock()
	defer e.bus.mu.RUnlock()
	return len(e.bus.subs)
}
