package ws

import (
	"encoding/binary"
	"errors"
	"sync"
	"syscall"

	"github.com/gorilla/websocket"

	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/fanout"
	"github.com/proofstell/proofstell/gateway/ws/sio"
)

// A broadcast reaches thousands of sockets from one goroutine, and on an
// idle socket (nothing queued, no drain running, which is almost every
// subscriber of a leaderboard) queuing the frame and starting a drain
// goroutine costs as much as the write itself. So such a socket takes the
// frame straight from the hub's goroutine in one non-blocking write(2):
// written whole, it is done; refused (the client's buffers are full), it is
// queued as any frame, under the same slow-client policy; written in part,
// the rest is queued first and a drain finishes it under the write deadline.
// Nothing here ever waits for a client.

// broadcastFrame is a broadcast's wire forms, built once per node.
type broadcastFrame struct {
	prepared *websocket.PreparedMessage // for the drain (gorilla's writer)
	raw      []byte                     // the whole frame, for a write-through

	// The Socket.IO event, built by the first Socket.IO socket to take the
	// broadcast (never when none is subscribed), then shared.
	event      *protos.ClientEvent
	sioOnce    sync.Once
	sioData    []byte
	sioMessage *websocket.PreparedMessage
}

// socketIO returns the broadcast as a Socket.IO event: its Engine.IO
// message for polling, and the same prepared for websockets.
func (f *broadcastFrame) socketIO() ([]byte, *websocket.PreparedMessage) {
	f.sioOnce.Do(func() {
		f.sioData = sio.AppendEvent(nil, Namespace, f.event.Type, f.event.Data)
		f.sioMessage, _ = websocket.NewPreparedMessage(websocket.TextMessage, f.sioData)
	})
	return f.sioData, f.sioMessage
}

// prepareBroadcast encodes a broadcast's frame once for every socket of
// the node: gorilla caches the framed bytes per connection kind, and every
// socket here is a server socket without compression, so all share one;
// raw is the same unmasked text frame for a write-through.
func prepareBroadcast(ev *protos.ClientEvent) any {
	payload := encodeFrame(player.Frame{Type: ev.Type, ID: ev.RequestId, Data: ev.Data})
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage, payload)
	if err != nil {
		return (*broadcastFrame)(nil)
	}
	return &broadcastFrame{prepared: pm, raw: serverTextFrame(payload), event: ev}
}

// serverTextFrame frames payload as one final, unmasked text frame
// (RFC 6455 §5.2), what a server sends.
func serverTextFrame(payload []byte) []byte {
	const finText = 0x81
	n := len(payload)
	var head []byte
	switch {
	case n < 126:
		head = []byte{finText, byte(n)}
	case n <= 0xFFFF:
		head = binary.BigEndian.AppendUint16([]byte{finText, 126}, uint16(n))
	default:
		head = binary.BigEndian.AppendUint64([]byte{finText, 127}, uint64(n))
	}
	return append(head, payload...)
}

// Deliver hands a fan-out broadcast to the socket without blocking: written
// through when the socket is idle, else queued under the same queue and
// slow-client policy as Send.
func (c *conn) Deliver(b *fanout.Broadcast) bool {
	if own, ok := c.texts.ownFrame(b); ok { // its own words: not the shared frame
		return c.enqueue(outFrame{frame: own})
	}
	f, _ := b.Frame(prepareBroadcast).(*broadcastFrame)
	if f == nil {
		return false
	}
	if c.writeThrough(f.raw) {
		return true
	}
	return c.enqueue(outFrame{prepared: f.prepared})
}

// writeThrough writes frame on the caller's goroutine if the socket is
// idle and the kernel takes it without waiting; false means nothing was
// written and the caller queues the frame.
func (c *conn) writeThrough(frame []byte) bool {
	if c.cork == nil || !c.writeMu.TryLock() {
		return false
	}
	c.mu.Lock()
	if c.closed || c.writing {
		c.mu.Unlock()
		c.writeMu.Unlock()
		return false
	}
	c.writing = true // a Send meanwhile queues without starting a drain
	c.mu.Unlock()
	n, err := c.cork.tryWrite(frame)
	// writeMu is held until the outcome is queued, so a close cannot write
	// its frame between the two halves of a split one.
	defer c.writeMu.Unlock()
	switch {
	case err == nil && n == len(frame):
		c.metrics.messagesOut.Inc()
		c.metrics.through.Inc()
		c.drops.delivered()
		c.doneWriting(false)
		return true
	case n > 0: // in part: corkConn holds the rest, sent before any other byte
		c.metrics.messagesOut.Inc()
		c.metrics.split.Inc()
		c.drops.delivered()
		c.doneWriting(true)
		return true
	case err != nil && !errors.Is(err, syscall.EAGAIN):
		c.doneWriting(false)
		c.writeFailed(err)
		return true // the socket is gone; the frame counts as delivered to nobody, not as a slow client
	default:
		c.doneWriting(false)
		return false
	}
}

// doneWriting ends a write-through; split queues, at the head, the step
// that sends the frame's rest (corkConn.flushTail), and a drain starts if
// anything waits.
func (c *conn) doneWriting(split bool) {
	c.mu.Lock()
	if split {
		c.pending = append([]outFrame{{tail: true}}, c.pending...)
		c.metrics.queued.Inc()
	}
	if len(c.pending) == 0 || c.closed {
		c.writing = false
		c.mu.Unlock()
		return
	}
	c.mu.Unlock()
	go c.drain()
}

// midFrame reports whether the client is in the middle of a frame: the
// rest of a split write-through has not been sent.
func (c *conn) midFrame() bool {
	return c.cork != nil && c.cork.midFrame()
}
