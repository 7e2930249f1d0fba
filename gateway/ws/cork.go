package ws

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"syscall"
	"time"
)

// deadlineSlack is how much later than the armed write deadline a new one
// may be and still leave the armed one in place. Gorilla sets a deadline
// before every frame, and re-arming the runtime poller's timer costs about a
// tenth of a broadcast's per-socket work; keeping the armed one instead
// shortens a write's allowance by at most this much (WS_WRITE_WAIT is
// seconds). An earlier deadline, or none, always applies at once.
const deadlineSlack = 250 * time.Millisecond

// maxCorked is how many bytes a drain gathers before it writes them: large
// enough for a full send queue of ordinary frames, small enough that a
// batch of big frames does not grow a buffer the pool then keeps.
const maxCorked = 32 << 10

// corkBuffers hold corked bytes only while a drain runs: an idle socket
// keeps no write buffer.
var corkBuffers = sync.Pool{New: func() any {
	b := make([]byte, 0, 4<<10)
	return &b
}}

// corkResponse hands the WebSocket upgrade a connection that can batch
// writes: its Hijack wraps the TCP connection in a corkConn.
type corkResponse struct {
	http.ResponseWriter
}

// Hijack takes over the connection, as gorilla's upgrade requires.
func (w corkResponse) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	nc, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, fmt.Errorf("hijack websocket connection: %w", err)
	}
	cc := &corkConn{Conn: nc, writeFD: syscall.Write}
	if sc, ok := nc.(syscall.Conn); ok {
		cc.raw, _ = sc.SyscallConn() // nil (no write-through) when it has none
	}
	return cc, brw, nil
}

// corkConn lets a drain write several frames in one system call. Between
// cork and uncork, gorilla's frame writes (and a ping written meanwhile)
// land in a pooled buffer; uncork writes the buffer at once. Outside a
// drain every write goes straight through.
type corkConn struct {
	net.Conn
	// raw writes to the socket's descriptor without the poller's waiting,
	// for write-throughs (through.go); nil when the connection has none.
	raw syscall.RawConn
	// writeFD is the write(2) of a write-through; tests make it take part
	// of a frame, as a nearly full socket buffer does.
	writeFD func(fd int, p []byte) (int, error)

	mu  sync.Mutex // serializes writes to Conn, so frames keep their order; guards buf and tail
	buf *[]byte    // non-nil while corked
	// tail is the rest of a frame a write-through wrote in part: every
	// later write, gorilla's pings included, sends it first, so nothing can
	// land inside that frame.
	tail []byte

	dmu sync.Mutex // guards the fields below; never held during a write
	// corked defers write deadlines to uncork, so a batch costs one.
	corked   bool
	deadline time.Time
	// stalled keeps an expired deadline (an aborted slow client) from being
	// replaced by the deadline of a frame the drain is still writing.
	stalled bool
	// armed is the write deadline set on Conn (zero: none).
	armed time.Time
}

// errWouldBlock: tryWrite could not write without waiting.
var errWouldBlock = fmt.Errorf("write would block: %w", syscall.EAGAIN)

// tryWrite makes one non-blocking write(2) of p and returns how much the
// kernel took: EAGAIN (errWouldBlock) when it took nothing because the
// client's buffers are full, or while a drain is corked, or when the
// connection has no file descriptor to write to (then nothing is written).
func (c *corkConn) tryWrite(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.buf != nil || c.raw == nil || c.tail != nil {
		return 0, errWouldBlock
	}
	n, werr, err := c.writeOnce(p)
	if errors.Is(err, os.ErrDeadlineExceeded) && c.clearLapsedDeadline() {
		// The deadline of an earlier write lapsed while the socket idled;
		// a write that never waits needs none.
		n, werr, err = c.writeOnce(p)
	}
	n = max(n, 0)
	if n > 0 && n < len(p) {
		c.tail = p[n:] // p is a broadcast's shared, read-only frame
	}
	switch {
	case err != nil:
		return n, fmt.Errorf("write through: %w", err)
	case werr != nil && n == 0:
		return n, fmt.Errorf("write through: %w", werr)
	}
	return n, nil
}

// writeOnce makes one write(2) attempt of p on the descriptor; err is the
// poller's refusal (a closed socket, a lapsed deadline), werr the syscall's.
func (c *corkConn) writeOnce(p []byte) (n int, werr, err error) {
	err = c.raw.Write(func(fd uintptr) bool {
		n, werr = c.writeFD(int(fd), p)
		return true // one attempt: never park on the poller
	})
	return n, werr, err
}

// clearLapsedDeadline drops a write deadline that lapsed, unless it was
// expired on purpose (an aborted slow client); it reports whether it did.
func (c *corkConn) clearLapsedDeadline() bool {
	c.dmu.Lock()
	defer c.dmu.Unlock()
	if c.stalled {
		return false
	}
	c.armed = time.Time{}
	return c.Conn.SetWriteDeadline(time.Time{}) == nil
}

// flushTail sends the rest of a split write-through, if any: into the
// batch while corked, else at once.
func (c *corkConn) flushTail() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sendTailLocked()
}

// sendTailLocked is flushTail with mu held.
func (c *corkConn) sendTailLocked() error {
	tail := c.tail
	if tail == nil {
		return nil
	}
	c.tail = nil
	if c.buf != nil {
		*c.buf = append(*c.buf, tail...)
		return nil
	}
	if _, err := c.Conn.Write(tail); err != nil {
		return fmt.Errorf("write the rest of a split frame: %w", err)
	}
	return nil
}

// midFrame reports whether the client is inside a frame whose rest has not
// been sent.
func (c *corkConn) midFrame() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tail != nil
}

// Write buffers p while corked, else writes it.
func (c *corkConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.sendTailLocked(); err != nil {
		return 0, err
	}
	if c.buf != nil {
		*c.buf = append(*c.buf, p...)
		return len(p), nil
	}
	return c.Conn.Write(p)
}

// SetWriteDeadline applies t now, or at uncork while corked.
func (c *corkConn) SetWriteDeadline(t time.Time) error {
	c.dmu.Lock()
	defer c.dmu.Unlock()
	switch {
	case c.stalled:
		return nil
	case c.corked:
		c.deadline = t
		return nil
	}
	return c.armLocked(t)
}

// armLocked sets t on Conn unless the armed deadline is at most
// deadlineSlack earlier than t; the caller holds dmu.
func (c *corkConn) armLocked(t time.Time) error {
	if !t.IsZero() && !c.armed.IsZero() && !t.Before(c.armed) && t.Sub(c.armed) < deadlineSlack {
		return nil
	}
	c.armed = t
	return c.Conn.SetWriteDeadline(t)
}

// cork starts gathering writes.
func (c *corkConn) cork() {
	c.mu.Lock()
	if c.buf == nil {
		c.buf = corkBuffers.Get().(*[]byte)
	}
	c.mu.Unlock()
	c.dmu.Lock()
	c.corked = true
	c.dmu.Unlock()
}

// buffered is how many bytes wait for uncork.
func (c *corkConn) buffered() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.buf == nil {
		return 0
	}
	return len(*c.buf)
}

// uncork writes what was gathered in one write, under the last deadline
// set while corked, and returns the buffer to the pool.
func (c *corkConn) uncork() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	buf := c.buf
	c.buf = nil
	if err := c.applyDeadline(); err != nil || buf == nil || len(*buf) == 0 {
		release(buf)
		return err
	}
	_, err := c.Conn.Write(*buf)
	release(buf)
	if err != nil {
		return fmt.Errorf("write batched frames: %w", err)
	}
	return nil
}

// applyDeadline ends the corked state and applies its deadline.
func (c *corkConn) applyDeadline() error {
	c.dmu.Lock()
	defer c.dmu.Unlock()
	c.corked = false
	d := c.deadline
	c.deadline = time.Time{} // a later batch never inherits a stale deadline
	if c.stalled || d.IsZero() {
		return nil
	}
	return c.armLocked(d)
}

// expire fails the write in progress and every later one until resume.
func (c *corkConn) expire() {
	c.dmu.Lock()
	defer c.dmu.Unlock()
	c.stalled = true
	c.armed = time.Now()
	_ = c.Conn.SetWriteDeadline(c.armed)
}

// resume lets deadlines apply again: the close frame after an abort gets
// its own short deadline.
func (c *corkConn) resume() {
	c.dmu.Lock()
	defer c.dmu.Unlock()
	c.stalled = false
}

// release returns a corked buffer to the pool unless it grew too big to keep.
func release(buf *[]byte) {
	if buf == nil || cap(*buf) > 2*maxCorked {
		return
	}
	*buf = (*buf)[:0]
	corkBuffers.Put(buf)
}
