package wsclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/gateway/ws/sio"
)

// namespace is the gateway's Socket.IO namespace (gateway/ws.Namespace;
// this package cannot import gateway/ws, whose tests import it).
const namespace = "/realtime"

// The request types whose acks stand for a reply other than "ack"
// (actors/player.TypeWhack and TypePing; docs/PROTOCOL.md §8a).
const (
	requestWhack = "game:whack"
	requestPing  = "ping"
)

// pongPacket answers an Engine.IO ping.
var pongPacket = []byte{byte(sio.Pong)}

// ErrSessionClosed is returned by Next when the server closes the
// Engine.IO session with a close packet rather than the transport.
var ErrSessionClosed = errors.New("socket.io session closed by the server")

// ConnectError is the gateway's refusal of the namespace CONNECT, what
// socket.io-client reports as connect_error. Code is its data.code
// ("unauthorized", "token_expired", "revoked", "unavailable",
// "bad_request"; docs/PROTOCOL.md §8a), empty when it has none.
type ConnectError struct {
	Code    string
	Message string
}

func (e *ConnectError) Error() string {
	return fmt.Sprintf("socket.io connect refused: %s: %s", e.Code, e.Message)
}

// DialSocketIO opens a Socket.IO session at baseURL's /socket.io/ on the
// websocket transport (Engine.IO v4) and connects it to the namespace
// /realtime with auth {"token": token}, as socket.io-client 4.x does with
// transports: ["websocket"]. A refused CONNECT is a *ConnectError.
//
// The Client then speaks native frames: Request(typ, id, payload) emits
// 42/realtime,<id-1>["typ",payload] (no ack id when id is 0), and Next
// turns the ACK answering request id into a Frame of that id, its type
// inferred from the request (game:whack: game:hit, or game:miss when the
// payload has a reason; ping: pong; otherwise ack; {"error":{..}}: error
// with the inner object), and every EVENT ["type",payload] into
// Frame{T: type, D: payload}. Next answers the server's pings while it
// waits. After the server's connection:close event, Next's error carries
// the transport's close code (CloseCode).
func DialSocketIO(ctx context.Context, baseURL, token string) (*Client, error) {
	target, err := socketURL(baseURL, "/socket.io/", "EIO=4&transport=websocket")
	if err != nil {
		return nil, err
	}
	conn, err := dialSocket(ctx, target, nil)
	if err != nil {
		return nil, err
	}
	c := &Client{conn: conn, sio: &sioCodec{pending: map[int64]string{}}}
	if err := c.connectNamespace(ctx, token); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("connect %s to %s: %w", target, namespace, err)
	}
	return c, nil
}

// connectNamespace reads the open packet, sends CONNECT with the token and
// waits for the answer, within handshakeTimeout.
func (c *Client) connectNamespace(ctx context.Context, token string) error {
	ctx, cancel := context.WithTimeout(ctx, handshakeTimeout)
	defer cancel()
	deadline, _ := ctx.Deadline()
	if err := c.conn.SetReadDeadline(deadline); err != nil {
		return fmt.Errorf("set read deadline: %w", err)
	}
	stop := context.AfterFunc(ctx, func() { _ = c.conn.SetReadDeadline(time.Now()) })
	defer stop()
	if err := c.readOpen(ctx); err != nil {
		return err
	}
	auth, err := json.Marshal(struct {
		Token string `json:"token"`
	}{token})
	if err != nil {
		return fmt.Errorf("encode auth: %w", err)
	}
	if err := c.write(ctx, "connect", sio.AppendConnectAuth(nil, namespace, auth)); err != nil {
		return err
	}
	for {
		st, _, err := c.step(ctx)
		if err != nil || st == stepConnected {
			return err
		}
	}
}

// readOpen reads the Engine.IO open packet the server sends first.
func (c *Client) readOpen(ctx context.Context) error {
	msg, err := c.read(ctx)
	if err != nil {
		return err
	}
	p, err := sio.ParsePacket(msg)
	if err != nil || p.Type != sio.Open {
		return fmt.Errorf("expected an open packet, got %.40q", msg)
	}
	if _, err := sio.ParseOpen(p.Data); err != nil {
		return fmt.Errorf("read open packet: %w", err)
	}
	return nil
}

// nextSocketIO is Next on Socket.IO: packets until one that is a frame.
func (c *Client) nextSocketIO(ctx context.Context) (Frame, error) {
	for {
		st, f, err := c.step(ctx)
		if err != nil || st == stepFrame {
			return f, err
		}
	}
}

// step reads and handles one packet, answering a ping.
func (c *Client) step(ctx context.Context) (step, Frame, error) {
	msg, err := c.read(ctx)
	if err != nil {
		return stepNone, Frame{}, err
	}
	st, f, err := c.sio.decode(msg)
	if err == nil && st == stepPong {
		err = c.write(ctx, "pong", pongPacket)
	}
	return st, f, err
}

// step is what one received packet asks of the client.
type step int

const (
	stepNone      step = iota // nothing: a noop, a DISCONNECT (the transport close follows)
	stepPong                  // an Engine.IO ping: answer it
	stepFrame                 // a frame for the caller
	stepConnected             // the namespace accepted the CONNECT
)

// sioCodec translates between native frames and Socket.IO packets. It
// remembers the type of every request awaiting its ACK, because the ACK
// carries only the payload.
type sioCodec struct {
	mu      sync.Mutex
	pending map[int64]string // request id → request type
}

// emit encodes Request(typ, id, data): an EVENT asking for ack id-1 when
// id > 0 (socket.io-client numbers acks from 0; the gateway adds 1).
func (s *sioCodec) emit(typ string, id int64, data []byte) []byte {
	ackID := sio.NoAck
	if id > 0 {
		ackID = id - 1
		s.mu.Lock()
		s.pending[id] = typ // before the write, so the ACK always finds it
		s.mu.Unlock()
	}
	return sio.AppendEmit(nil, namespace, ackID, typ, data)
}

// decode reads one Engine.IO packet.
func (s *sioCodec) decode(msg []byte) (step, Frame, error) {
	p, err := sio.ParsePacket(msg)
	if err != nil {
		return stepNone, Frame{}, fmt.Errorf("decode packet: %w", err)
	}
	switch p.Type {
	case sio.Ping:
		return stepPong, Frame{}, nil
	case sio.Close:
		return stepNone, Frame{}, ErrSessionClosed
	case sio.Message:
		return s.decodeMessage(p.Data)
	default: // open, pong, upgrade, noop
		return stepNone, Frame{}, nil
	}
}

// decodeMessage reads one Socket.IO packet of the namespace.
func (s *sioCodec) decodeMessage(data []byte) (step, Frame, error) {
	p, err := sio.DecodeSocketPacket(data)
	if err != nil {
		return stepNone, Frame{}, fmt.Errorf("decode packet: %w", err)
	}
	if p.Namespace != namespace {
		return stepNone, Frame{}, nil
	}
	switch p.Kind {
	case sio.Event:
		f, err := eventFrame(p.Data)
		return stepFrame, f, err
	case sio.Ack:
		f, err := s.ackFrame(p.ID+1, p.Data)
		return stepFrame, f, err
	case sio.Connect:
		return stepConnected, Frame{}, nil
	case sio.ConnectError:
		message, code, err := sio.DecodeConnectError(p.Data)
		if err != nil {
			return stepNone, Frame{}, fmt.Errorf("decode connect error: %w", err)
		}
		return stepNone, Frame{}, &ConnectError{Code: code, Message: message}
	default: // DISCONNECT: the transport close follows, carrying the code
		return stepNone, Frame{}, nil
	}
}

// eventFrame is an EVENT ["type", payload] as a frame without id.
func eventFrame(data json.RawMessage) (Frame, error) {
	name, arg, err := sio.DecodeEvent(data)
	if err != nil {
		return Frame{}, fmt.Errorf("decode event: %w", err)
	}
	return Frame{T: name, D: arg}, nil
}

// ackFrame is the ACK answering request id as the native reply.
func (s *sioCodec) ackFrame(id int64, data json.RawMessage) (Frame, error) {
	arg, err := sio.DecodeAck(data)
	if err != nil {
		return Frame{}, fmt.Errorf("decode ack: %w", err)
	}
	s.mu.Lock()
	request := s.pending[id]
	delete(s.pending, id)
	s.mu.Unlock()
	typ, d := replyOf(request, arg)
	return Frame{T: typ, ID: id, D: d}, nil
}

// replyOf infers the native type of the reply an ACK carries to request,
// and its payload (docs/PROTOCOL.md §8a).
func replyOf(request string, arg json.RawMessage) (string, json.RawMessage) {
	var shape struct {
		Error  json.RawMessage `json:"error"`
		Reason json.RawMessage `json:"reason"`
	}
	_ = json.Unmarshal(arg, &shape) // a payload that is no object is a plain reply
	switch {
	case shape.Error != nil:
		return events.TypeError, shape.Error
	case request == requestWhack && shape.Reason != nil:
		return events.TypeMiss, arg
	case request == requestWhack:
		return events.TypeHit, arg
	case request == requestPing:
		return events.TypePong, arg
	default:
		return events.TypeAck, arg
	}
}
