package ws

import (
	"encoding/binary"
	"fmt"
	"log/slog"
	"time"

	"github.com/gorilla/websocket"
)

// maxCloseGrace bounds how long a closing connection waits for the client's
// close reply before the TCP connection is closed.
const maxCloseGrace = time.Second

// startWriter sends the first ping (so RTT is known before the first game)
// and arms the ping timer. There is no writer goroutine: frames are written
// by a drain started on demand, pings by the timer's own goroutine (gorilla
// allows WriteControl alongside data writes), and the close by finish.
func (c *conn) startWriter() {
	if err := c.ping(); err != nil {
		c.writeFailed(err)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.pingTimer = time.AfterFunc(c.cfg.PingInterval, c.onPingTimer)
	}
}

// onPingTimer pings and re-arms until the connection closes.
func (c *conn) onPingTimer() {
	if c.closing() {
		return
	}
	if err := c.ping(); err != nil {
		c.writeFailed(err)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.pingTimer.Reset(c.cfg.PingInterval)
	}
}

// drain writes queued frames until the queue is empty or a close is
// requested. Send starts it; at most one runs at a time.
func (c *conn) drain() {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	for frames := c.nextBatch(); frames != nil; frames = c.nextBatch() {
		if err := c.writeBatch(frames, time.Now().Add(c.cfg.WriteWait)); err != nil {
			c.writeFailed(err)
		}
	}
}

// writeBatch writes frames in as few system calls as it can: corked, the
// frames gather in one buffer written at once (a new write starts every
// maxCorked bytes). Each frame's deadline is the batch's.
func (c *conn) writeBatch(frames []outFrame, deadline time.Time) error {
	if c.cork == nil || len(frames) == 1 {
		for _, f := range frames {
			if err := c.writeFrame(f, deadline); err != nil {
				return err
			}
		}
		return nil
	}
	c.cork.cork()
	for _, f := range frames {
		if err := c.writeFrame(f, deadline); err != nil {
			_ = c.cork.uncork()
			return err
		}
		if c.cork.buffered() >= maxCorked {
			if err := c.cork.uncork(); err != nil {
				return err
			}
			c.cork.cork()
		}
	}
	return c.cork.uncork()
}

// writeFailed gives up on a connection whose writes fail: nothing more can
// reach the client.
func (c *conn) writeFailed(err error) {
	c.logger().Debug("websocket write failed", slog.String("error", err.Error()))
	c.requestClose(CloseGoingAway, "", closePeerGone)
}

func (c *conn) writeFrame(f outFrame, deadline time.Time) error {
	if err := c.ws.SetWriteDeadline(deadline); err != nil {
		return fmt.Errorf("set write deadline: %w", err)
	}
	var err error
	switch {
	case f.tail:
		// Past gorilla, so its deadline (applied per gorilla write) is set here.
		if err = c.ws.UnderlyingConn().SetWriteDeadline(deadline); err == nil {
			err = c.cork.flushTail()
		}
		if err == nil {
			return nil // counted when the write-through sent the frame's start
		}
	case f.prepared != nil:
		err = c.ws.WritePreparedMessage(f.prepared)
	default:
		err = c.ws.WriteMessage(websocket.TextMessage, encodeFrame(f.frame))
	}
	if err != nil {
		return fmt.Errorf("write frame: %w", err)
	}
	c.metrics.messagesOut.Inc()
	return nil
}

// ping sends a ping carrying the send time; the pong echoes it back.
func (c *conn) ping() error {
	sent := c.now().UnixNano()
	c.lastPing.Store(sent)
	var payload [8]byte
	binary.BigEndian.PutUint64(payload[:], uint64(sent)) //nolint:gosec // round-trips through int64 in onPong
	return c.ws.WriteControl(websocket.PingMessage, payload[:], time.Now().Add(c.cfg.WriteWait))
}

// finish performs the close the first close request asked for, then closes
// the TCP connection. requestClose starts it exactly once; it waits for a
// running drain (which stops at its next batch) before writing.
func (c *conn) finish() {
	defer close(c.writerDone)
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	code, reason, mode := c.closeState()
	sent := false
	switch mode {
	case closeGraceful:
		deadline := time.Now().Add(c.cfg.WriteWait)
		c.flush(deadline)
		sent = c.writeClose(code, reason, deadline)
	case closeAbort:
		if c.midFrame() {
			break // a close frame now would land inside the frame the client is reading
		}
		if c.cork != nil {
			c.cork.resume()
		}
		sent = c.writeClose(code, reason, time.Now().Add(abortWait))
	case closePeerGone:
	}
	c.discardQueue()
	if sent {
		c.awaitReader()
	}
	_ = c.ws.Close()
	c.logger().Debug("websocket closed", slog.Int("code", code), slog.String("reason", reason))
}

// flush writes the frames queued before the close, all within one deadline.
func (c *conn) flush(deadline time.Time) {
	if frames := c.takePending(); len(frames) > 0 {
		_ = c.writeBatch(frames, deadline)
	}
}

// discardQueue empties the queue so the queued-frames gauge stays exact; no
// Send can enqueue once closed is set.
func (c *conn) discardQueue() {
	c.takePending()
}

func (c *conn) writeClose(code int, reason string, deadline time.Time) bool {
	msg := websocket.FormatCloseMessage(code, reason)
	return c.ws.WriteControl(websocket.CloseMessage, msg, deadline) == nil
}

// awaitReader gives the client time to answer our close frame, so the TCP
// close does not reset a connection whose peer still has data in flight
// (a reset can destroy the close frame before the client reads it).
func (c *conn) awaitReader() {
	timer := time.NewTimer(min(maxCloseGrace, c.cfg.WriteWait))
	defer timer.Stop()
	select {
	case <-c.readerDone:
	case <-timer.C:
	}
}
