package ws

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/gorilla/websocket"

	"github.com/proofstell/proofstell/gateway/ws/sio"
)

// pingPacket is the Engine.IO v4 server ping.
var pingPacket = []byte{byte(sio.Ping)}

// requestClose records the first close request, queues the goodbye the
// mode allows and starts finish. closeAbort drops the queued frames first:
// the client is not reading them.
func (s *sioSession) requestClose(code int, reason string, mode closeMode) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed, s.code, s.reason, s.mode = true, code, reason, mode
	s.stopTimersLocked()
	if mode == closeAbort {
		s.takeLocked()
	}
	if mode != closePeerGone && s.connected.Load() {
		s.queue = append(s.queue, goodbye(code, reason)...)
	}
	s.mu.Unlock()
	s.signal()
	go s.finish()
}

func (s *sioSession) stopTimersLocked() {
	for _, t := range []*time.Timer{s.heartbeat, s.connectTimer, s.expiry} {
		if t != nil {
			t.Stop()
		}
	}
}

// finish delivers the goodbye on the current transport, closes it and ends
// the session.
func (s *sioSession) finish() {
	s.mu.Lock()
	ws, probing, readerDone, mode, code, reason := s.ws, s.probing, s.readerDone, s.mode, s.code, s.reason
	s.mu.Unlock()
	if probing != nil {
		_ = probing.Close()
	}
	switch {
	case mode == closePeerGone:
	case ws != nil:
		s.writeGoodbye(ws, readerDone, mode, code, reason)
	default:
		s.awaitPoll()
	}
	if ws != nil {
		_ = ws.Close()
	}
	s.end()
	s.log.Debug("socket.io session closed", slog.Int("code", code), slog.String("reason", reason))
}

// writeGoodbye writes what is queued (the goodbye last), then a close frame
// with the native code, and gives the client time to answer it.
func (s *sioSession) writeGoodbye(ws *websocket.Conn, readerDone chan struct{}, mode closeMode, code int, reason string) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	wait := s.srv.h.deps.Config.WriteWait
	if mode == closeAbort {
		wait = abortWait
	}
	deadline := time.Now().Add(wait)
	s.mu.Lock()
	batch := s.takeLocked()
	s.mu.Unlock()
	if s.writeWS(ws, batch, deadline) != nil {
		return
	}
	if len(reason) > maxCloseReason {
		reason = reason[:maxCloseReason]
	}
	if ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), deadline) != nil {
		return
	}
	timer := time.NewTimer(min(maxCloseGrace, s.srv.h.deps.Config.WriteWait))
	defer timer.Stop()
	select {
	case <-readerDone:
	case <-timer.C:
	}
}

// awaitPoll waits, bounded by WriteWait, until GETs took the goodbye and
// then the Engine.IO close packet. They go in separate responses, as the
// reference server sends them: socket.io-client handles Socket.IO packets
// a tick after the Engine.IO packets of the same payload, so a close in
// the goodbye's payload would end the socket before it heard why.
func (s *sioSession) awaitPoll() {
	timer := time.NewTimer(s.srv.h.deps.Config.WriteWait)
	defer timer.Stop()
	select {
	case <-s.closeSent:
	case <-timer.C:
	}
}

// markCloseSent records that the client has the whole goodbye.
func (s *sioSession) markCloseSent() {
	s.sentOnce.Do(func() { close(s.closeSent) })
}

// end releases the session exactly once: after it nothing reaches the
// actor (readMu), the actor is detached and the registry forgets it.
func (s *sioSession) end() {
	s.endOnce.Do(func() {
		s.srv.forget(s.sid)
		s.readMu.Lock()
		s.ended = true
		detach := s.detach
		s.readMu.Unlock()
		s.mu.Lock()
		s.takeLocked()
		s.stopTimersLocked()
		s.mu.Unlock()
		if s.connected.Load() {
			s.srv.h.reg.remove(s)
			s.metrics.connections.Dec()
			if detach != nil {
				detach()
			}
		}
		close(s.done)
		s.srv.h.reg.leave()
	})
}

// drain writes queued packets to the websocket until the queue is empty or
// a close is requested (finish then writes the rest).
func (s *sioSession) drain() {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	for {
		s.mu.Lock()
		if s.closed || len(s.queue) == 0 {
			s.writing = false
			s.mu.Unlock()
			return
		}
		batch, ws := s.takeLocked(), s.ws
		s.mu.Unlock()
		if err := s.writeWS(ws, batch, time.Now().Add(s.srv.h.deps.Config.WriteWait)); err != nil {
			s.log.Debug("socket.io write failed", slog.String("error", err.Error()))
			s.requestClose(CloseGoingAway, "", closePeerGone)
		}
	}
}

// writeWS writes packets as websocket text messages, one each.
func (s *sioSession) writeWS(ws *websocket.Conn, batch []sioPacket, deadline time.Time) error {
	if err := ws.SetWriteDeadline(deadline); err != nil {
		return fmt.Errorf("set write deadline: %w", err)
	}
	for _, p := range batch {
		var err error
		if p.prepared != nil {
			err = ws.WritePreparedMessage(p.prepared)
		} else {
			err = ws.WriteMessage(websocket.TextMessage, p.data)
		}
		if err != nil {
			return fmt.Errorf("write packet: %w", err)
		}
		if p.frame {
			s.metrics.messagesOut.Inc()
		}
	}
	return nil
}

// onHeartbeat pings every PingInterval and closes a session whose pong did
// not come within PingTimeout, or, on polling, that made no request for
// PingInterval + PingTimeout.
func (s *sioSession) onHeartbeat() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	idlePoll := s.ws == nil && !s.getActive && time.Since(s.lastGet) > s.srv.heartbeatDeadline()
	if s.awaitingPong || idlePoll {
		s.mu.Unlock()
		s.log.Debug("socket.io heartbeat timed out", slog.Bool("polling_idle", idlePoll))
		s.requestClose(CloseGoingAway, "", closePeerGone)
		return
	}
	s.pingLocked()
	s.mu.Unlock()
	s.control(pingPacket)
}

// pingNow pings at once unless a ping is outstanding: at CONNECT, so the
// RTT is known before the first game.
func (s *sioSession) pingNow() {
	s.mu.Lock()
	if s.closed || s.awaitingPong {
		s.mu.Unlock()
		return
	}
	s.pingLocked()
	s.mu.Unlock()
	s.control(pingPacket)
}

// pingLocked records a ping about to be queued and arms the pong deadline.
func (s *sioSession) pingLocked() {
	s.awaitingPong = true
	s.pingSentAt = s.srv.h.deps.Now()
	s.heartbeat.Reset(s.srv.cfg.PingTimeout)
}

// onPong answers the outstanding ping: it yields an RTT sample and
// schedules the next ping. Pongs nobody asked for are ignored.
func (s *sioSession) onPong(at time.Time) {
	s.mu.Lock()
	if s.closed || !s.awaitingPong {
		s.mu.Unlock()
		return
	}
	s.awaitingPong = false
	sample := at.Sub(s.pingSentAt)
	s.heartbeat.Reset(s.srv.cfg.PingInterval)
	s.mu.Unlock()
	if sample >= 0 {
		s.metrics.rtt.Observe(sample.Seconds())
		s.updateRTT(sample)
	}
}

// onConnectTimeout closes a session that never connected to the namespace.
func (s *sioSession) onConnectTimeout() {
	if !s.connected.Load() {
		s.requestClose(CloseNormal, "", closeGraceful)
	}
}

// closeExpired closes the session because its access token expired.
func (s *sioSession) closeExpired() { s.Close(CloseAuthExpired, ReasonTokenExpired) }
