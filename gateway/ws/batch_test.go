package ws

import (
	"net"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/fanout"
)

// countingListener counts the writes made on every connection it accepts:
// each is one system call on the real socket.
type countingListener struct {
	net.Listener
	writes *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{Conn: c, writes: l.writes}, nil
}

type countingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// newCountingEnv is newTestEnv behind a listener that counts writes, with
// pings far apart so that only the first one is written.
func newCountingEnv(t *testing.T) (*testEnv, *atomic.Int64) {
	t.Helper()
	env := newTestEnv(t, func(d *Deps) { d.Config.PingInterval = time.Hour; d.Config.PongWait = 2 * time.Hour })
	env.srv.Close()
	writes := &atomic.Int64{}
	env.srv = httptest.NewUnstartedServer(env.h)
	env.srv.Listener = countingListener{Listener: env.srv.Listener, writes: writes}
	env.srv.Start()
	return env, writes
}

// dialQuiet connects p1 and waits until the server wrote the handshake
// and the first ping, so later writes are frames only.
func dialQuiet(t *testing.T, env *testEnv, writes *atomic.Int64, pid string) (*conn, func() clientFrame) {
	t.Helper()
	client := env.dial(t, pid)
	c := env.att.nextConn(t).(*conn)
	require.NotNil(t, c.cork, "the upgrade wraps the connection")
	require.Eventually(t, func() bool { return writes.Load() == 2 }, waitFor, time.Millisecond)
	return c, func() clientFrame { return readFrame(t, client) }
}

func broadcast(typ, data string) *fanout.Broadcast {
	return &fanout.Broadcast{Topic: "leaderboard:daily", Event: &protos.ClientEvent{Type: typ, Data: []byte(data)}}
}

// Frames queued while a write is in progress go out in one system call,
// intact and in queue order, own frames and broadcasts alike.
func TestConn_QueuedFramesGoOutInOneWrite(t *testing.T) {
	t.Parallel()
	env, writes := newCountingEnv(t)
	c, read := dialQuiet(t, env, writes, "p1")

	const n = 20
	c.writeMu.Lock() // as if a write were in progress: the queue fills
	for i := range n {
		if i%2 == 0 {
			require.True(t, c.Send(framed(events.TypeMole, `{"i":`+strconv.Itoa(i)+`}`)))
		} else {
			require.True(t, c.Deliver(broadcast("leaderboard:update", `{"i":`+strconv.Itoa(i)+`}`)))
		}
	}
	c.writeMu.Unlock()

	for i := range n {
		f := read()
		require.JSONEq(t, `{"i":`+strconv.Itoa(i)+`}`, string(f.D), "frame %d", i)
	}
	require.EqualValues(t, 3, writes.Load(), "handshake, first ping, then one write for %d frames", n)
	require.InDelta(t, 0, testutil.ToFloat64(env.m.queued), 0)
}

// A batch bigger than maxCorked is written in maxCorked pieces, not held
// in one growing buffer.
func TestConn_LargeBatchWrittenInPieces(t *testing.T) {
	t.Parallel()
	env, writes := newCountingEnv(t)
	c, read := dialQuiet(t, env, writes, "p1")

	payload := `"` + strings.Repeat("x", 10<<10) + `"`
	c.writeMu.Lock()
	for range 8 { // 80 KiB: two pieces of four frames
		require.True(t, c.Send(framed(events.TypeMole, payload)))
	}
	c.writeMu.Unlock()
	for range 8 {
		require.Equal(t, payload, string(read().D))
	}
	require.EqualValues(t, 4, writes.Load())
}

// One broadcast delivered to many sockets is encoded once: every socket
// queues the same prepared frame.
func TestConn_DeliverSharesOneEncoding(t *testing.T) {
	t.Parallel()
	env, writes := newCountingEnv(t)
	a, readA := dialQuiet(t, env, writes, "p1")
	writes.Store(0)
	b, readB := dialQuiet(t, env, writes, "p2")

	bc := broadcast("leaderboard:update", `{"n":1}`)
	a.writeMu.Lock()
	b.writeMu.Lock()
	require.True(t, a.Deliver(bc))
	require.True(t, b.Deliver(bc))
	a.mu.Lock()
	b.mu.Lock()
	require.NotNil(t, a.pending[0].prepared)
	require.Same(t, a.pending[0].prepared, b.pending[0].prepared)
	b.mu.Unlock()
	a.mu.Unlock()
	a.writeMu.Unlock()
	b.writeMu.Unlock()

	for _, read := range []func() clientFrame{readA, readB} {
		f := read()
		require.Equal(t, "leaderboard:update", f.T)
		require.JSONEq(t, `{"n":1}`, string(f.D))
	}
}

// Broadcasts fall under the slow-client policy like any frame: a client
// that stops reading loses frames, then the socket, with 4009.
func TestConn_SlowClientDisconnectedByBroadcasts(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(d *Deps) {
		d.Config.SendQueue = 4
		d.Config.DropLimit = 3
		d.Config.WriteWait = 2 * time.Second
	})
	env.dial(t, "p1") // never reads
	pc := env.att.nextConn(t)
	big := broadcast(events.TypeMole, `"`+strings.Repeat("x", 256<<10)+`"`)
	require.Eventually(t, func() bool {
		pc.Deliver(big)
		return env.att.detached(pc) > 0
	}, waitFor, time.Millisecond)
	code, reason, _ := pc.(*conn).closeState()
	require.Equal(t, CloseSlowClient, code)
	require.Equal(t, ReasonSlowClient, reason)
	require.GreaterOrEqual(t, testutil.ToFloat64(env.m.drops), 3.0)
	require.InDelta(t, 0, testutil.ToFloat64(env.m.queued), 0)
	require.False(t, pc.Deliver(big))
}
