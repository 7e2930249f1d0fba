package player

import (
	"time"

	"github.com/proofstell/proofstell/actors/runtime/fanout"
)

// Identity is the authenticated player behind a connection, taken from the
// access token before the WebSocket upgrade.
type Identity struct {
	PlayerID string
	Username string
	Role     string
	// TokenID is the access token's jti, kept so revocation can find sockets.
	TokenID string
	// FamilyID is the token's refresh family (its sid claim): revoking the
	// family (logout, refresh-token reuse) closes the socket.
	FamilyID string
	// ExpiresAt is when the access token expires; the gateway closes the
	// socket then (4001). Zero means no expiry is enforced.
	ExpiresAt time.Time
	// IssuedAt is when the access token was issued: a revocation
	// watermark (logout everywhere, ban) revokes tokens issued before it.
	IssuedAt time.Time
}

// Frame is one server frame for the socket: {"t": Type, "id": ID, "d": Data}.
// ID 0 means an unsolicited event (the "id" key is omitted). Data is already
// JSON-encoded.
type Frame struct {
	Type string
	ID   int64
	Data []byte
}

// Conn is the player actor's view of its socket, implemented by gateway/ws.
// Every method is safe for concurrent use and never blocks.
type Conn interface {
	// Send queues a frame for writing. The queue is bounded: when it is full
	// the frame is dropped (and counted); too many drops in a row disconnect
	// the slow client. It reports whether the frame was queued.
	Send(f Frame) bool
	// Close ends the connection with a WebSocket close code and a short
	// reason; frames already queued are flushed first when possible.
	Close(code int, reason string)
	// RTT is the latest measured round trip (WebSocket ping/pong); 0 before
	// the first measurement.
	RTT() time.Duration
	// Socket is the fan-out data path: the hub queues the events of the
	// topics this actor subscribes directly on the socket, under the same
	// bounded queue and slow-client policy as Send.
	fanout.Socket
}

// Command is one decoded, validated client message. ReceivedAt is stamped by
// the gateway when the frame was read, before any queueing, because whacks
// are judged at arrival time. Body is the payload of one of the messages of
// the client protocol (protocol.go), as its check returned it.
type Command struct {
	ID         int64 // client's request id; 0 when the client sent none
	ReceivedAt time.Time
	Body       any
}

// Disconnected tells the player actor its socket is gone; it detaches from
// its sessions and stops.
type Disconnected struct{}
