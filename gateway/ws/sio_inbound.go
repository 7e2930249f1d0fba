package ws

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/gateway/ws/sio"
)

// CONNECT_ERROR codes (data.code), stable for clients to switch on.
const (
	ConnectUnauthorized = "unauthorized"  // missing or invalid token
	ConnectTokenExpired = "token_expired" // refresh the token, connect again
	ConnectRevoked      = "revoked"       // sign in again
	ConnectUnavailable  = "unavailable"   // revocation state unknown or shutting down: retry later
	ConnectBadRequest   = "bad_request"   // the auth payload is not an object with a string token
)

// handle processes one client packet received at at. The caller holds
// readMu.
func (s *sioSession) handle(p sio.Packet, at time.Time) {
	if s.ended {
		return
	}
	if s.isClosing() {
		if p.Type == sio.Close { // the client closes after our goodbye
			s.markCloseSent()
		}
		return
	}
	// Every packet but a pong spends the message rate (pongs answer our
	// pings and are ignored unless one is outstanding).
	if p.Type != sio.Pong && !s.allow(at) {
		return
	}
	switch p.Type {
	case sio.Pong:
		s.onPong(at)
	case sio.Message:
		s.onMessage(p.Data, at)
	case sio.Close:
		s.requestClose(CloseNormal, "", closePeerGone)
	case sio.Ping: // v3 clients ping; answering costs nothing
		s.control(append([]byte{byte(sio.Pong)}, p.Data...))
	default: // open, upgrade outside a probe, noop: nothing to do
	}
}

// onMessage handles a Socket.IO packet.
func (s *sioSession) onMessage(data []byte, at time.Time) {
	p, err := sio.DecodeSocketPacket(data)
	switch {
	case err != nil && len(data) > 0 && data[0] == byte(sio.Connect) && !s.connected.Load():
		// A CONNECT whose auth is not an object: the client hears it as a
		// connect_error, not an event of a namespace it has not joined.
		s.metrics.rejected.WithLabelValues(rejectBadFrame).Inc()
		s.control(sio.AppendConnectError(nil, Namespace, `auth must be {"token": string}`, ConnectBadRequest))
		return
	case err != nil:
		s.refusePacket(err)
		return
	}
	if p.Namespace != Namespace {
		if p.Kind == sio.Connect {
			s.control(sio.AppendConnectError(nil, p.Namespace, "Invalid namespace", ""))
		}
		return // the reference server ignores packets of namespaces not joined
	}
	switch p.Kind {
	case sio.Connect:
		onOwnStack(func() { s.onConnect(p.Data) })
	case sio.Disconnect:
		s.requestClose(CloseNormal, "", closePeerGone)
	case sio.Event:
		if s.connected.Load() {
			s.onEvent(p, at)
		}
	default: // acks of ours (we ask none), connect errors: nothing to do
	}
}

func (s *sioSession) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// allow applies /ws's message rate and flood close to Socket.IO packets.
func (s *sioSession) allow(at time.Time) bool {
	ok, answer, flood := s.budget.admit(at)
	if ok {
		return true
	}
	s.metrics.rejected.WithLabelValues(rejectRateLimited).Inc()
	switch {
	case flood:
		s.metrics.floodCloses.Inc()
		s.log.Info("socket.io closed for flooding", slog.Int("refused", s.budget.flood.refused))
		s.Close(CloseRateLimited, ReasonRateLimited)
	case answer:
		s.sendError(0, events.CodeRateLimited, "too many messages")
	}
	return false
}

func (s *sioSession) refusePacket(err error) {
	if errors.Is(err, sio.ErrBinary) {
		s.metrics.rejected.WithLabelValues(rejectBinary).Inc()
		s.sendError(0, events.CodeBadRequest, "binary packets are not supported")
		return
	}
	s.metrics.rejected.WithLabelValues(rejectBadFrame).Inc()
	s.sendError(0, events.CodeBadRequest, "invalid packet: "+err.Error())
}

// sendError answers request id (0: none) with an error: an error ACK when
// the emit asked for one, else an "error" event.
func (s *sioSession) sendError(id int64, code, message string) {
	s.Send(player.Frame{Type: events.TypeError, ID: id, Data: events.Encode(events.Error{Code: code, Message: message})})
}

// onOwnStack runs f on a goroutine of its own and waits for it. The
// CONNECT's work (token verification, the revocation check, spawning the
// player actor) has deep call chains: run on a websocket's reader, it grows
// that goroutine's stack to 8 KiB for the socket's whole life (idle
// Socket.IO sockets measured 4 KiB above /ws's, whose reader starts after
// the same work is done on net/http's goroutine). The caller's locks stay
// held meanwhile, and f's effects are visible to it when onOwnStack
// returns.
func onOwnStack(f func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	<-done
}

// onConnect checks the CONNECT packet's token as /ws checks its handshake,
// then attaches the player actor. The CONNECT reply is queued before the
// actor exists, so it precedes every frame the actor sends.
func (s *sioSession) onConnect(data json.RawMessage) {
	if s.connected.Load() {
		return
	}
	id, code, message := s.authorize(data)
	if code != "" {
		s.control(sio.AppendConnectError(nil, Namespace, message, code))
		return
	}
	s.id = id
	s.connected.Store(true)
	if !s.srv.h.reg.add(s) {
		s.connected.Store(false)
		s.control(sio.AppendConnectError(nil, Namespace, "server shutting down", ConnectUnavailable))
		return
	}
	s.control(sio.AppendConnect(nil, Namespace, newSID()))
	s.metrics.connections.Inc()
	s.log.Debug("socket.io connected", slog.String("player_id", id.PlayerID))
	s.deliver, s.detach = s.srv.h.deps.Attach.Attach(id, s)
	s.mu.Lock()
	if s.connectTimer != nil {
		s.connectTimer.Stop()
	}
	if !id.ExpiresAt.IsZero() && !s.closed {
		s.expiry = time.AfterFunc(max(id.ExpiresAt.Sub(s.srv.h.deps.Now()), 0), s.closeExpired)
	}
	s.mu.Unlock()
	s.pingNow()
}

// authorize returns the identity of the CONNECT packet's {"token": ..} or
// the CONNECT_ERROR code and message refusing it.
func (s *sioSession) authorize(data json.RawMessage) (player.Identity, string, string) {
	var a struct {
		Token string `json:"token"`
	}
	if len(data) > 0 && json.Unmarshal(data, &a) != nil {
		s.metrics.rejected.WithLabelValues(rejectBadFrame).Inc()
		return player.Identity{}, ConnectBadRequest, `auth must be {"token": string}`
	}
	id, err := s.srv.h.verify(a.Token)
	switch {
	case err == nil:
		return s.admit(id, a.Token)
	case a.Token == "":
		s.metrics.rejected.WithLabelValues(rejectUnauthorized).Inc()
		return player.Identity{}, ConnectUnauthorized, "missing access token"
	case errors.Is(err, auth.ErrExpiredToken):
		s.metrics.rejected.WithLabelValues(rejectUnauthorized).Inc()
		return player.Identity{}, ConnectTokenExpired, "access token expired"
	default:
		s.metrics.rejected.WithLabelValues(rejectUnauthorized).Inc()
		return player.Identity{}, ConnectUnauthorized, "invalid access token"
	}
}

// admit runs /ws's revocation check (Handler.checkAdmission), failing
// closed as /ws does.
func (s *sioSession) admit(id player.Identity, token string) (player.Identity, string, string) {
	h := s.srv.h
	ctx, cancel := context.WithTimeout(s.ctx, h.deps.Config.HandshakeWait)
	defer cancel()
	switch h.checkAdmission(ctx, token) {
	case admitUnavailable:
		s.metrics.rejected.WithLabelValues(rejectShutdown).Inc()
		return player.Identity{}, ConnectUnavailable, "service temporarily unavailable"
	case admitRevoked:
		s.metrics.rejected.WithLabelValues(rejectRevoked).Inc()
		return player.Identity{}, ConnectRevoked, "access token revoked"
	default:
		return id, "", ""
	}
}

// onEvent decodes an emit through the protocol table and delivers it. The
// command's request id is the ack id + 1 (socket.io-client numbers acks
// from 0, and 0 means "no id" to the actor), or 0 without an ack.
func (s *sioSession) onEvent(p sio.SocketPacket, at time.Time) {
	var id int64
	if p.ID != sio.NoAck {
		id = p.ID + 1
		s.expectAck(id)
	}
	name, arg, err := sio.DecodeEvent(p.Data)
	if err != nil {
		s.metrics.rejected.WithLabelValues(rejectBadFrame).Inc()
		s.sendError(id, events.CodeBadRequest, err.Error())
		return
	}
	msg, ok := player.ClientMessageOf(name)
	if !ok {
		s.metrics.rejected.WithLabelValues(rejectBadFrame).Inc()
		s.sendError(id, events.CodeUnknownType, "unknown event type")
		return
	}
	body, err := msg.Decode(arg)
	if err != nil {
		s.metrics.rejected.WithLabelValues(rejectBadFrame).Inc()
		s.sendError(id, events.CodeBadRequest, "invalid payload: "+describeArg(err))
		return
	}
	s.metrics.messageIn(msg)
	if _, isPing := body.(Ping); isPing {
		s.Send(player.Frame{Type: TypePong, ID: id, Data: events.Encode(Pong{ServerTime: at.UnixMilli()})})
		return
	}
	s.deliver(player.Command{ID: id, ReceivedAt: at, Body: body})
}

// describeArg is describe in Socket.IO's words: the payload is the emit's
// argument, not "d".
func describeArg(err error) string {
	switch {
	case errors.Is(err, player.ErrNoPayload):
		return "missing payload argument"
	case errors.Is(err, player.ErrPayloadNotObject):
		return "payload must be an object"
	default:
		return describe(err)
	}
}
