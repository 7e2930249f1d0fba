package ws

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/config"
)

// closeMode says how much of a goodbye the writer still owes the client.
type closeMode int

const (
	// closeGraceful flushes the send queue, then writes the close frame.
	closeGraceful closeMode = iota
	// closeAbort skips the queue: the client is not reading, so only a
	// best-effort close frame is tried.
	closeAbort
	// closePeerGone writes nothing: the read side already failed or the
	// peer's close was answered by gorilla.
	closePeerGone
)

// maxCloseReason is the longest reason a close frame can carry (125 bytes of
// control payload minus the 2-byte code).
const maxCloseReason = 123

// abortWait bounds the close frame written to a client that stopped reading.
const abortWait = 100 * time.Millisecond

// conn is one player socket: player.Conn for the actor, plus the reader and
// writer loops that own the gorilla connection. The writer goroutine is the
// only one that writes data frames; gorilla's own control replies are safe
// alongside it.
type conn struct {
	ws *websocket.Conn
	// cork batches a drain's frames into one write; nil when the socket was
	// not upgraded through corkResponse (then each frame is its own write).
	cork *corkConn
	id   player.Identity
	// texts speaks the handshake's language (error frames, alerts); nil
	// keeps frames as written.
	texts *Texts
	// connEnv is what every socket of the handler shares (settings, clock,
	// metrics, logger), held by pointer: copied into each socket it cost an
	// idle one about 150 bytes.
	*connEnv

	// writeMu serializes data writes: at most one drain runs, and the close
	// waits for it. Pings use WriteControl, which gorilla allows alongside.
	writeMu sync.Mutex

	mu sync.Mutex // guards the fields below
	// pending is the bounded send queue (SendQueue frames); overflow policy:
	// drop the frame, DropLimit consecutive drops close the socket with 4009.
	// It exists only while frames wait, and a drain goroutine runs only while
	// there is something to write (writing), so an idle socket holds neither
	// queue memory nor a writer goroutine's stack.
	pending   []outFrame
	writing   bool
	pingTimer *time.Timer
	closed    bool
	code      int
	reason    string
	mode      closeMode

	readerDone chan struct{}
	writerDone chan struct{}

	drops    dropStreak
	rtt      atomic.Int64 // smoothed round trip, nanoseconds
	lastPing atomic.Int64 // timestamp carried by the outstanding ping
}

var _ player.Conn = (*conn)(nil)

// outFrame is one queued server frame: a frame of this connection, encoded
// when written, or a broadcast's frame, encoded once for every socket.
type outFrame struct {
	frame    player.Frame
	prepared *websocket.PreparedMessage
	tail     bool // send the rest of a split write-through (through.go)
}

// connEnv is what the sockets of one handler share.
type connEnv struct {
	cfg     config.WebSocket
	now     func() time.Time
	metrics *gatewayMetrics
	log     *slog.Logger // the gateway's; a socket's lines add its player (conn.logger)
}

func newConn(ws *websocket.Conn, id player.Identity, env *connEnv) *conn {
	c := &conn{
		ws: ws, id: id, connEnv: env,
		readerDone: make(chan struct{}),
		writerDone: make(chan struct{}),
	}
	if ws != nil { // a connection's logging and state are tested without a socket
		c.cork, _ = ws.NetConn().(*corkConn)
	}
	return c
}

// Send queues f without blocking. A full queue drops the frame; DropLimit
// drops in a row mean the client cannot keep up, so it is disconnected.
func (c *conn) Send(f player.Frame) bool {
	return c.enqueue(outFrame{frame: c.texts.localize(f)})
}

// enqueue applies the send queue's overflow policy to one frame.
func (c *conn) enqueue(f outFrame) bool {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return false
	}
	if len(c.pending) < c.cfg.SendQueue {
		c.pending = append(c.pending, f)
		startDrain := !c.writing
		c.writing = true
		c.mu.Unlock()
		c.metrics.queued.Inc()
		c.drops.delivered()
		if startDrain {
			go c.drain()
		}
		return true
	}
	c.mu.Unlock()
	c.drops.drop(c.metrics, c.cfg.DropLimit, c)
	return false
}

// Close flushes what is queued, then closes with code and reason. Only the
// first call counts; later calls are no-ops.
func (c *conn) Close(code int, reason string) {
	c.requestClose(code, reason, closeGraceful)
}

// logger names the socket's player in a line. It is made when a line is
// written, so an idle socket holds no logger of its own.
func (c *conn) logger() *slog.Logger {
	return c.log.With(slog.String("player_id", c.id.PlayerID))
}

// identity is the player and token the socket was opened with.
func (c *conn) identity() player.Identity { return c.id }

// RTT is the smoothed ping/pong round trip; 0 before the first pong.
func (c *conn) RTT() time.Duration {
	return time.Duration(c.rtt.Load())
}

// requestClose records the first close request and wakes the writer.
func (c *conn) requestClose(code int, reason string, mode closeMode) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	if len(reason) > maxCloseReason {
		reason = reason[:maxCloseReason]
	}
	c.closed, c.code, c.reason, c.mode = true, code, reason, mode
	if c.pingTimer != nil {
		c.pingTimer.Stop()
	}
	if mode == closeAbort {
		// A drain may be stuck in a write to a client that stopped reading;
		// an expired deadline frees it now instead of after WriteWait.
		c.expireWrites()
	}
	go c.finish()
}

// expireWrites fails the write in progress and the drain's later ones.
// net.Conn deadlines are safe to set concurrently.
func (c *conn) expireWrites() {
	if c.cork != nil {
		c.cork.expire()
		return
	}
	_ = c.ws.UnderlyingConn().SetWriteDeadline(time.Now())
}

// takePending hands the queued frames to the writer and empties the queue.
func (c *conn) takePending() []outFrame {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.takePendingLocked()
}

func (c *conn) takePendingLocked() []outFrame {
	frames := c.pending
	c.pending = nil
	c.metrics.queued.Sub(float64(len(frames)))
	return frames
}

// nextBatch returns the frames a drain should write next, or nil when it
// should end: the queue is empty, or a close was requested (the close then
// flushes what is queued).
func (c *conn) nextBatch() []outFrame {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || len(c.pending) == 0 {
		c.writing = false
		return nil
	}
	return c.takePendingLocked()
}

// closing reports whether a close was requested.
func (c *conn) closing() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// closeState returns the recorded close request.
func (c *conn) closeState() (code int, reason string, mode closeMode) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.code, c.reason, c.mode
}

// sendError queues an error frame answering request id (0: unsolicited).
func (c *conn) sendError(id int64, code, message string) {
	c.Send(player.Frame{
		Type: events.TypeError,
		ID:   id,
		Data: events.Encode(events.Error{Code: code, Message: message}),
	})
}

// updateRTT folds a sample into the smoothed RTT (EWMA, weight 1/4 so a
// changed route shows within a few pings). Only the reader goroutine calls it.
func (c *conn) updateRTT(sample time.Duration) {
	old := time.Duration(c.rtt.Load())
	if old == 0 {
		c.rtt.Store(int64(sample))
		return
	}
	c.rtt.Store(int64(old + (sample-old)/4))
}
