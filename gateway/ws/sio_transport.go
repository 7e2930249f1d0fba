package ws

import (
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/gorilla/websocket"

	"github.com/proofstell/proofstell/gateway/ws/sio"
)

// noopPacket ends a waiting GET without data (upgrade in progress).
var noopPacket = []byte{byte(sio.Noop)}

// serveWebSocket runs a session opened on a websocket: the open packet,
// then the read loop. The websocket becomes the transport first, so that
// a close requested meanwhile writes its close frame on it.
func (s *sioSession) serveWebSocket(ws *websocket.Conn) {
	readerDone := make(chan struct{})
	if !s.attachWS(ws, readerDone) {
		s.mu.Lock()
		code, reason := s.code, s.reason
		s.mu.Unlock()
		_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(abortWait))
		_ = ws.Close()
		return
	}
	s.control(s.openPacket(true))
	s.readWS(ws, readerDone)
}

// attachWS makes ws the session's transport and flushes what waits on it;
// false when the session is already closing.
func (s *sioSession) attachWS(ws *websocket.Conn, readerDone chan struct{}) bool {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return false
	}
	s.ws, s.readerDone, s.probing, s.upgrading = ws, readerDone, nil, false
	startDrain := len(s.queue) > 0 && !s.writing
	s.writing = s.writing || startDrain
	s.mu.Unlock()
	s.signal() // a GET still waiting returns a noop
	if startDrain {
		go s.drain()
	}
	return true
}

// readWS reads Engine.IO packets, one per text message, until the socket
// fails or closes. Messages over MaxPayload close it with 1009 (gorilla).
func (s *sioSession) readWS(ws *websocket.Conn, readerDone chan struct{}) {
	defer close(readerDone)
	ws.SetReadLimit(s.srv.cfg.MaxPayload)
	for {
		_ = ws.SetReadDeadline(time.Now().Add(s.srv.heartbeatDeadline()))
		kind, data, err := ws.ReadMessage()
		if err != nil {
			s.requestClose(CloseGoingAway, "", closePeerGone)
			return
		}
		at := s.srv.h.deps.Now()
		s.readMu.Lock()
		s.onWSMessage(kind, data, at)
		s.readMu.Unlock()
	}
}

func (s *sioSession) onWSMessage(kind int, data []byte, at time.Time) {
	p, err := sio.ParsePacket(data)
	if kind != websocket.TextMessage {
		err = sio.ErrBinary
	}
	if err != nil {
		if !s.ended && s.allow(at) {
			s.refusePacket(err)
		}
		return
	}
	s.handle(p, at)
}

// upgrade takes a websocket for a polling session: the probe ("2probe",
// "3probe"), a noop to release the client's pending GET, then "5" moves the
// session onto the websocket.
func (s *sioSession) upgrade(w http.ResponseWriter, r *http.Request) {
	if !websocket.IsWebSocketUpgrade(r) {
		s.srv.refuse(w, sio.ErrBadRequest, rejectBadRequest)
		return
	}
	s.mu.Lock()
	if s.ws != nil || s.upgrading || s.closed {
		s.mu.Unlock()
		s.srv.refuse(w, sio.ErrBadRequest, rejectBadRequest)
		return
	}
	s.upgrading = true // one upgrade at a time
	s.mu.Unlock()
	ws, err := s.srv.h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		s.upgradeFailed(nil)
		return // Upgrade has answered
	}
	s.mu.Lock()
	closed := s.closed
	if !closed {
		s.probing = ws // finish closes it
	}
	s.mu.Unlock()
	if closed {
		_ = ws.Close()
		return
	}
	go s.runUpgrade(ws)
}

// upgradeFailed lets the session stay on polling and try again.
func (s *sioSession) upgradeFailed(ws *websocket.Conn) {
	s.mu.Lock()
	s.upgrading, s.probing = false, nil
	s.mu.Unlock()
	if ws != nil {
		_ = ws.Close()
	}
}

func (s *sioSession) runUpgrade(ws *websocket.Conn) {
	if !s.probe(ws) {
		s.upgradeFailed(ws)
		return
	}
	readerDone := make(chan struct{})
	if !s.attachWS(ws, readerDone) {
		_ = ws.Close()
		return
	}
	s.readWS(ws, readerDone)
}

// probe runs the upgrade handshake within PingTimeout.
func (s *sioSession) probe(ws *websocket.Conn) bool {
	deadline := time.Now().Add(s.srv.cfg.PingTimeout)
	ws.SetReadLimit(s.srv.cfg.MaxPayload)
	_ = ws.SetReadDeadline(deadline)
	_ = ws.SetWriteDeadline(deadline)
	if _, data, err := ws.ReadMessage(); err != nil || string(data) != "2"+sio.Probe {
		return false
	}
	if ws.WriteMessage(websocket.TextMessage, []byte("3"+sio.Probe)) != nil {
		return false
	}
	s.control(noopPacket)
	for {
		_, data, err := ws.ReadMessage()
		switch {
		case err != nil:
			return false
		case string(data) == string(sio.Upgrade):
			return true
		case string(data) != string(sio.Noop):
			return false
		}
	}
}

// poll answers a GET with what is queued, waiting until something is.
// Only one GET may wait: a second one closes the session, as the
// reference server does.
func (s *sioSession) poll(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	switch {
	case s.ws != nil:
		s.mu.Unlock()
		s.srv.refuse(w, sio.ErrBadRequest, rejectBadRequest)
		return
	case s.getActive:
		s.mu.Unlock()
		s.srv.refuse(w, sio.ErrBadRequest, rejectBadRequest)
		s.requestClose(CloseGoingAway, "", closePeerGone)
		return
	}
	s.getActive = true
	s.mu.Unlock()
	defer s.pollDone()
	// Held up to PingInterval (the next ping ends it), past the listener's
	// WriteTimeout for REST responses.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(s.srv.cfg.PingInterval + s.srv.h.deps.Config.WriteWait))
	for {
		if body, ok := s.takeForPoll(); ok {
			writePolling(w, body)
			return
		}
		select {
		case <-s.wake:
		case <-s.done:
		case <-r.Context().Done():
			return
		}
	}
}

func (s *sioSession) pollDone() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.getActive = false
	s.lastGet = time.Now()
}

// takeForPoll returns the payload a GET should answer with, if any: the
// queue, a close packet once the session is gone, a noop once it upgraded.
func (s *sioSession) takeForPoll() ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.ws != nil: // upgraded: what waits is the websocket's to write
		return noopPacket, true
	case len(s.queue) > 0:
	case s.closed:
		s.markCloseSent()
		return []byte{byte(sio.Close)}, true
	default:
		return nil, false
	}
	batch := s.takeLocked()
	parts := make([][]byte, len(batch))
	for i, p := range batch {
		parts[i] = p.data
		if p.frame {
			s.metrics.messagesOut.Inc()
		}
	}
	return sio.JoinPayload(parts), true
}

// post reads a polling request body (at most MaxPayload bytes; more closes
// the session, as the reference server does) and handles its packets.
func (s *sioSession) post(w http.ResponseWriter, r *http.Request) {
	if s.onWebSocket() {
		s.srv.refuse(w, sio.ErrBadRequest, rejectBadRequest)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.srv.cfg.MaxPayload))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		s.srv.refuse(w, errPayloadTooLarge, rejectBadRequest)
		s.requestClose(CloseTooBig, "", closePeerGone)
		return
	case err != nil:
		s.srv.refuse(w, sio.ErrBadRequest, rejectBadRequest)
		return
	}
	packets, err := sio.SplitPayload(body, s.srv.cfg.MaxPayload)
	if err != nil {
		s.srv.refuse(w, sio.ErrBadRequest, rejectBadRequest)
		s.requestClose(CloseGoingAway, "", closePeerGone)
		return
	}
	at := s.srv.h.deps.Now()
	s.readMu.Lock()
	for _, p := range packets {
		s.handle(p, at)
	}
	s.readMu.Unlock()
	w.Header().Set("Content-Type", "text/html")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok"))
}

func (s *sioSession) onWebSocket() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ws != nil
}

// errPayloadTooLarge answers a POST body over MaxPayload.
var errPayloadTooLarge = sio.HTTPError{Code: sio.ErrBadRequest.Code, Message: "Payload too large", Status: http.StatusRequestEntityTooLarge}
