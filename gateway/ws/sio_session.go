package ws

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/actors/runtime/fanout"
	"github.com/proofstell/proofstell/gateway/ws/sio"
)

// maxOutstandingAcks bounds the ack ids a session remembers; a reply to a
// request forgotten past it arrives as an event instead of an ack.
const maxOutstandingAcks = 256

// sioPacket is one queued Engine.IO packet.
type sioPacket struct {
	data []byte
	// prepared is a broadcast's framed message, shared by every websocket.
	prepared *websocket.PreparedMessage
	// frame marks a player frame, which counts against SendQueue; control
	// packets (ping, CONNECT reply, goodbye) are few and always queued.
	frame bool
}

// sioSession is one Engine.IO session: player.Conn for the actor once the
// client connected to the namespace, on the polling transport, then (after
// an upgrade, or from the start) on a websocket. The send queue, overflow
// policy, rate limit and close codes are /ws's (doc.go).
type sioSession struct {
	srv     *SocketIO
	sid     string
	ctx     context.Context // the handshake request's values, never cancelled
	texts   *Texts          // the opening request's language (error frames, alerts)
	metrics *gatewayMetrics
	log     *slog.Logger

	// writeMu serializes websocket writes: one drain, then the goodbye.
	writeMu sync.Mutex
	// readMu serializes client packets (a websocket reader, polling POSTs)
	// and end, so nothing is delivered to the actor after its detach.
	readMu sync.Mutex
	// Owned under readMu.
	budget  rateGuard
	deliver func(player.Command)
	detach  func()
	ended   bool

	// connected is set once the CONNECT packet was accepted; id is final
	// from then on.
	connected atomic.Bool
	id        player.Identity

	mu           sync.Mutex // guards the fields below
	queue        []sioPacket
	frames       int             // player frames in queue (bounded by SendQueue)
	ws           *websocket.Conn // the websocket transport; nil while polling
	readerDone   chan struct{}   // closed when ws's reader returns
	upgrading    bool            // an upgrade request is being answered or probed
	probing      *websocket.Conn // the websocket being probed
	writing      bool            // a websocket drain runs
	getActive    bool
	lastGet      time.Time
	closed       bool
	code         int
	reason       string
	mode         closeMode
	awaitingPong bool
	pingSentAt   time.Time
	heartbeat    *time.Timer
	connectTimer *time.Timer
	expiry       *time.Timer
	acks         map[int64]struct{} // request ids (ack id + 1) awaiting their ack
	ackOrder     []int64            // acks in arrival order, to forget the oldest

	wake chan struct{} // a waiting GET has something to take
	done chan struct{} // closed when the session ended
	// closeSent is closed when the client has all of the goodbye: a GET
	// took the Engine.IO close packet, or the client sent its own.
	closeSent chan struct{}
	endOnce   sync.Once
	sentOnce  sync.Once

	drops dropStreak
	rtt   atomic.Int64 // smoothed round trip, nanoseconds
}

var _ player.Conn = (*sioSession)(nil)

func newSIOSession(ctx context.Context, srv *SocketIO, sid string, text *Texts) *sioSession {
	h := srv.h
	return &sioSession{
		srv: srv, sid: sid, ctx: ctx, texts: text, metrics: h.deps.Metrics.sio,
		log:    h.deps.Logger.With(logSession(sid)),
		budget: newRateGuard(h.deps.Config),
		wake:   make(chan struct{}, 1), done: make(chan struct{}), closeSent: make(chan struct{}),
	}
}

// start arms the heartbeat and the deadline of the CONNECT packet.
func (s *sioSession) start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastGet = time.Now()
	s.heartbeat = time.AfterFunc(s.srv.cfg.PingInterval, s.onHeartbeat)
	s.connectTimer = time.AfterFunc(s.srv.h.deps.Config.HandshakeWait, s.onConnectTimeout)
}

// openPacket is the Engine.IO handshake; a polling session may upgrade.
func (s *sioSession) openPacket(onWebSocket bool) []byte {
	upgrades := []string{"websocket"}
	if onWebSocket {
		upgrades = []string{}
	}
	return sio.AppendOpen(nil, sio.Handshake{
		SID: s.sid, Upgrades: upgrades, PingInterval: s.srv.cfg.PingInterval,
		PingTimeout: s.srv.cfg.PingTimeout, MaxPayload: s.srv.cfg.MaxPayload,
	})
}

// identity is the player and token of the CONNECT packet.
func (s *sioSession) identity() player.Identity { return s.id }

// Send encodes f as an ACK when it answers an emit that asked for one,
// else as an event, and queues it under /ws's overflow policy.
func (s *sioSession) Send(f player.Frame) bool {
	return s.enqueue(sioPacket{data: s.encodeFrame(s.texts.localize(f)), frame: true})
}

// Deliver queues a fan-out broadcast, its Socket.IO form encoded once per
// broadcast for every Socket.IO socket of the node.
func (s *sioSession) Deliver(b *fanout.Broadcast) bool {
	if own, ok := s.texts.ownFrame(b); ok { // its own words: not the shared frame
		return s.enqueue(sioPacket{data: s.encodeFrame(own), frame: true})
	}
	f, _ := b.Frame(prepareBroadcast).(*broadcastFrame)
	if f == nil {
		return false
	}
	data, prepared := f.socketIO()
	return s.enqueue(sioPacket{data: data, prepared: prepared, frame: true})
}

// Close tells the client why (connection:close, then DISCONNECT) after the
// queued frames, then closes the transport. Only the first call counts.
func (s *sioSession) Close(code int, reason string) {
	s.requestClose(code, reason, closeGraceful)
}

// RTT is the smoothed Engine.IO ping/pong round trip; 0 before the first pong.
func (s *sioSession) RTT() time.Duration { return time.Duration(s.rtt.Load()) }

// encodeFrame maps a player frame onto Socket.IO: the first frame carrying
// a request id whose emit asked for an ack becomes that ACK (an error as
// [{"error":{..}}]); every other frame is an event ["type", data].
func (s *sioSession) encodeFrame(f player.Frame) []byte {
	if f.ID > 0 && s.takeAck(f.ID) {
		data := f.Data
		if f.Type == events.TypeError {
			data = append(append([]byte(`{"error":`), orEmpty(data)...), '}')
		}
		return sio.AppendAck(nil, Namespace, f.ID-1, data)
	}
	return sio.AppendEvent(nil, Namespace, f.Type, f.Data)
}

func orEmpty(data []byte) []byte {
	if len(data) == 0 {
		return []byte("{}")
	}
	return data
}

// expectAck remembers that request id awaits an ack. Past
// maxOutstandingAcks the oldest is forgotten (a request the actor never
// answered must not cost later ones their acks).
func (s *sioSession) expectAck(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.acks == nil { // most sockets never ask for an ack
		s.acks = make(map[int64]struct{})
	}
	s.acks[id] = struct{}{}
	s.ackOrder = append(s.ackOrder, id)
	if len(s.ackOrder) > maxOutstandingAcks {
		delete(s.acks, s.ackOrder[0])
		s.ackOrder = s.ackOrder[1:]
	}
}

func (s *sioSession) takeAck(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.acks[id]
	delete(s.acks, id)
	return ok
}

// enqueue applies the send queue's overflow policy to a player frame
// (drop; DropLimit drops in a row close with 4009) and queues control
// packets unconditionally. It never blocks.
func (s *sioSession) enqueue(p sioPacket) bool {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return false
	}
	if p.frame && s.frames >= s.srv.h.deps.Config.SendQueue {
		s.mu.Unlock()
		s.drops.drop(s.metrics, s.srv.h.deps.Config.DropLimit, s)
		return false
	}
	s.queue = append(s.queue, p)
	if p.frame {
		s.frames++
		s.metrics.queued.Inc()
		s.drops.delivered()
	}
	startDrain := s.ws != nil && !s.writing
	s.writing = s.writing || startDrain
	s.mu.Unlock()
	s.signal()
	if startDrain {
		go s.drain()
	}
	return true
}

// control queues an Engine.IO packet that is not a player frame.
func (s *sioSession) control(data []byte) {
	s.enqueue(sioPacket{data: data})
}

// signal wakes a waiting GET without blocking.
func (s *sioSession) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// takeLocked empties the queue and returns what it held.
func (s *sioSession) takeLocked() []sioPacket {
	q := s.queue
	s.queue = nil
	s.metrics.queued.Sub(float64(s.frames))
	s.frames = 0
	return q
}

// goodbye is what a client connected to the namespace hears before a
// server-initiated close: the native close code and reason as an event,
// then DISCONNECT.
func goodbye(code int, reason string) []sioPacket {
	data := events.Encode(struct {
		Code   int    `json:"code"`
		Reason string `json:"reason"`
	}{code, reason})
	return []sioPacket{
		{data: sio.AppendEvent(nil, Namespace, EventConnectionClose, data)},
		{data: sio.AppendDisconnect(nil, Namespace)},
	}
}

// EventConnectionClose is the Socket.IO event announcing a server-initiated
// close: {"code": native close code (close.go), "reason": native reason}.
const EventConnectionClose = "connection:close"

// updateRTT folds a sample into the smoothed RTT (as conn.updateRTT).
func (s *sioSession) updateRTT(sample time.Duration) {
	old := time.Duration(s.rtt.Load())
	if old == 0 {
		s.rtt.Store(int64(sample))
		return
	}
	s.rtt.Store(int64(old + (sample-old)/4))
}
