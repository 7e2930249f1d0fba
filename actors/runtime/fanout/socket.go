package fanout

import (
	"sync"

	"github.com/proofstell/proofstell/actors/protos"
)

// Socket is one subscriber's send queue on this node: the data path of a
// subscription. gateway/ws implements it on its connection; the player
// actor hands it to Hub.Subscribe with the subscription it decides.
//
// The contract:
//   - Deliver never blocks: the hub calls it for every local subscriber of
//     a topic in turn, from the bus goroutine, under the hub's read lock.
//     It must not call back into the Hub.
//   - It reports whether the frame was taken (written at once, or queued).
//     A false is a drop (the queue was full, or the socket is closing); the
//     socket applies its own slow-client policy, the same as for any other
//     frame.
//   - Frames delivered by one goroutine are written in delivery order.
//   - b is shared by every subscriber and must be treated as read-only;
//     its wire form is built once through Broadcast.Frame.
type Socket interface {
	Deliver(b *Broadcast) bool
}

// Broadcast is one event on its way to this node's subscribers of a topic.
// The hub builds one per bus message and offers the same value to every
// local Socket, so the event is decoded once and its frame encoded once per
// node, however many sockets receive it.
type Broadcast struct {
	// Topic is the topic the event was published on.
	Topic string
	// Event is the decoded event; read-only.
	Event *protos.ClientEvent

	once  sync.Once
	frame any
}

// Frame returns the event's wire frame, built by build on the first call
// only; every later call, from any socket, returns that same value. The
// node has one gateway, so every caller passes the same build, and the
// value's type is the gateway's (a prepared WebSocket message).
func (b *Broadcast) Frame(build func(*protos.ClientEvent) any) any {
	b.once.Do(func() { b.frame = build(b.Event) })
	return b.frame
}
