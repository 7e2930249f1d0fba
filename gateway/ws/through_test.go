package ws

import (
	"io"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"
)

// An idle socket takes a broadcast on the caller's goroutine: nothing is
// queued and no drain runs once Deliver returns, and the client reads the
// frame as gorilla would have written it.
func TestConn_IdleSocketTakesBroadcastThrough(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	client := env.dial(t, "p1")
	c := env.att.nextConn(t).(*conn)
	require.NotNil(t, c.cork.raw, "a TCP socket can be written through")

	for i, data := range []string{`{"n":1}`, `"` + strings.Repeat("y", 300) + `"`, `"` + strings.Repeat("z", 70_000) + `"`} {
		// The deadline of the last write lapsed while the socket idled: a
		// write-through needs none and the socket stays open.
		require.NoError(t, c.ws.UnderlyingConn().SetWriteDeadline(time.Now().Add(-time.Second)))
		require.True(t, c.Deliver(broadcast("leaderboard:update", data)))
		c.mu.Lock()
		idle := len(c.pending) == 0 && !c.writing
		c.mu.Unlock()
		require.True(t, idle, "broadcast %d left a queue or a drain", i)
		require.InDelta(t, float64(i+1), testutil.ToFloat64(env.m.through), 0)
		f := readFrame(t, client)
		require.Equal(t, "leaderboard:update", f.T)
		require.JSONEq(t, data, string(f.D))
	}
}

// A busy socket (a drain writing) queues the broadcast behind its frames.
func TestConn_BusySocketQueuesBroadcast(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	client := env.dial(t, "p1")
	c := env.att.nextConn(t).(*conn)
	c.writeMu.Lock() // a drain is writing
	require.True(t, c.Send(framed("game:mole", `{"i":0}`)))
	require.True(t, c.Deliver(broadcast("leaderboard:update", `{"i":1}`)))
	c.mu.Lock()
	require.Len(t, c.pending, 2)
	c.mu.Unlock()
	c.writeMu.Unlock()
	require.Zero(t, testutil.ToFloat64(env.m.through))
	for i := range 2 {
		require.JSONEq(t, `{"i":`+strconv.Itoa(i)+`}`, string(readFrame(t, client).D))
	}
}

// When the kernel takes only part of a frame, the rest goes out first from
// the queue, ahead of frames sent meanwhile: every frame arrives whole and
// in order.
func TestConn_WriteThroughTailGoesFirst(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	client := env.dial(t, "p1")
	c := env.att.nextConn(t).(*conn)
	c.cork.mu.Lock()
	c.cork.writeFD = func(fd int, p []byte) (int, error) { return syscall.Write(fd, p[:len(p)/3]) }
	c.cork.mu.Unlock()

	const n = 10
	for i := range n {
		require.True(t, c.Deliver(broadcast("leaderboard:update", `{"i":`+strconv.Itoa(i)+`}`)))
		require.True(t, c.Send(framed("game:mole", `{"own":`+strconv.Itoa(i)+`}`)))
	}
	require.Positive(t, testutil.ToFloat64(env.m.split), "no write-through was split; the test proves nothing")
	for i := range n {
		require.JSONEq(t, `{"i":`+strconv.Itoa(i)+`}`, string(readFrame(t, client).D), "broadcast %d", i)
		require.JSONEq(t, `{"own":`+strconv.Itoa(i)+`}`, string(readFrame(t, client).D), "own frame %d", i)
	}
}

// After a split write-through, any later write (a ping from gorilla's
// writer, say) sends the frame's rest first: nothing lands inside it.
func TestCorkConn_TailGoesBeforeAnyLaterWrite(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer func() { _ = ln.Close() }()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	client, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer func() { _ = client.Close() }()
	server := <-accepted
	require.NotNil(t, server)
	defer func() { _ = server.Close() }()

	cc := &corkConn{Conn: server, writeFD: func(fd int, p []byte) (int, error) { return syscall.Write(fd, p[:2]) }}
	cc.raw, err = server.(*net.TCPConn).SyscallConn()
	require.NoError(t, err)

	frame := []byte("FRAME-0123456789")
	n, err := cc.tryWrite(frame)
	require.NoError(t, err)
	require.Equal(t, 2, n)
	require.True(t, cc.midFrame())
	_, err = cc.tryWrite([]byte("next"))
	require.ErrorIs(t, err, syscall.EAGAIN, "no write-through while a frame is split")
	_, err = cc.Write([]byte("PING"))
	require.NoError(t, err)
	require.False(t, cc.midFrame())

	got := make([]byte, len(frame)+4)
	_, err = io.ReadFull(client, got)
	require.NoError(t, err)
	require.Equal(t, "FRAME-0123456789PING", string(got))
}
