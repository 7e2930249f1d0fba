package ws

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/ws/sio"
)

// Namespace is the one Socket.IO namespace the gateway serves.
const Namespace = "/realtime"

// SocketIO serves /socket.io/: Engine.IO v4 (websocket and HTTP
// long-polling with upgrade) carrying Socket.IO v5 in namespace /realtime.
// It shares its Handler's deps, registry and metrics, so every control of
// /ws reaches its sockets (doc.go).
type SocketIO struct {
	h   *Handler
	cfg config.SocketIO

	mu       sync.Mutex
	sessions map[string]*sioSession // Engine.IO sessions by sid
}

func newSocketIO(h *Handler) *SocketIO {
	s := &SocketIO{h: h, cfg: h.deps.Config.SocketIO, sessions: make(map[string]*sioSession)}
	h.reg.onShutdown = append(h.reg.onShutdown, s.closeAll)
	return s
}

// SocketIO returns the handler of /socket.io/, which shares this handler's
// controls: CloseUser, CloseSignIn, Sweep, the revocation listener and
// Shutdown reach its sockets too.
func (h *Handler) SocketIO() *SocketIO { return h.sio }

// ServeHTTP routes an Engine.IO request: a handshake (no sid) opens a
// session on either transport; a request with a sid polls, posts or
// upgrades that session.
func (s *SocketIO) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("EIO") != "4" {
		s.refuse(w, sio.ErrUnsupportedProtocol, rejectBadRequest)
		return
	}
	transport := q.Get("transport")
	if transport != "polling" && transport != "websocket" {
		s.refuse(w, sio.ErrTransportUnknown, rejectBadRequest)
		return
	}
	if !s.h.originAllowed(r) {
		s.refuse(w, sio.ErrForbidden, rejectOrigin)
		return
	}
	sid := q.Get("sid")
	if sid == "" {
		s.handshake(w, r, transport)
		return
	}
	sess := s.session(sid)
	if sess == nil {
		s.refuse(w, sio.ErrSessionUnknown, rejectUnknownSession)
		return
	}
	if transport == "websocket" {
		sess.upgrade(w, r)
		return
	}
	switch r.Method {
	case http.MethodGet:
		sess.poll(w, r)
	case http.MethodPost:
		sess.post(w, r)
	default:
		s.refuse(w, sio.ErrBadRequest, rejectBadRequest)
	}
}

// handshake opens a session: on polling the open packet is the GET's body,
// on websocket its first message.
func (s *SocketIO) handshake(w http.ResponseWriter, r *http.Request, transport string) {
	isWS := r.Method == http.MethodGet && websocket.IsWebSocketUpgrade(r)
	switch {
	case transport == "polling" && r.Method != http.MethodGet:
		s.refuse(w, sio.ErrBadHandshakeMethod, rejectBadRequest)
		return
	case transport == "websocket" && !isWS:
		s.refuse(w, sio.ErrBadRequest, rejectBadRequest)
		return
	}
	if !s.h.reg.enter() {
		s.refuse(w, errShuttingDown, rejectShutdown)
		return
	}
	ctx := context.WithoutCancel(r.Context())
	text := s.h.texts(r)
	if transport == "polling" {
		sess := s.open(ctx, text)
		writePolling(w, sess.openPacket(false))
		return
	}
	ws, err := s.h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		s.h.reg.leave()
		return // Upgrade has answered
	}
	go s.open(ctx, text).serveWebSocket(ws)
}

// open creates and registers a session; the caller entered the registry,
// and the session leaves it when it ends.
func (s *SocketIO) open(ctx context.Context, text *Texts) *sioSession {
	sess := newSIOSession(ctx, s, newSID(), text)
	s.mu.Lock()
	s.sessions[sess.sid] = sess
	s.mu.Unlock()
	sess.start()
	return sess
}

func (s *SocketIO) session(sid string) *sioSession {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[sid]
}

func (s *SocketIO) forget(sid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, sid)
}

// closeAll closes every session with 1001 at Shutdown, also those not yet
// connected to the namespace (connected ones are in the registry too;
// a second Close is a no-op).
func (s *SocketIO) closeAll() {
	s.mu.Lock()
	all := make([]*sioSession, 0, len(s.sessions))
	for _, sess := range s.sessions {
		all = append(all, sess)
	}
	s.mu.Unlock()
	for _, sess := range all {
		sess.Close(CloseGoingAway, ReasonShuttingDown)
	}
}

// errShuttingDown answers handshakes once Shutdown began; the status tells
// load balancers and clients to go elsewhere.
var errShuttingDown = sio.HTTPError{Code: sio.ErrBadRequest.Code, Message: "Server shutting down", Status: http.StatusServiceUnavailable}

// refuse answers an Engine.IO request error with its JSON body.
func (s *SocketIO) refuse(w http.ResponseWriter, e sio.HTTPError, reason string) {
	s.h.deps.Metrics.sio.rejected.WithLabelValues(reason).Inc()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(e.Status)
	_, _ = w.Write(e.JSON())
}

// newSID is an unguessable session id: the sid is the only credential of a
// polling request until the CONNECT packet brings the token.
func newSID() string {
	var b [15]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// writePolling answers a polling request with an Engine.IO payload.
func writePolling(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body) //nolint:gosec // G705: an Engine.IO payload served as text/plain; the request only picks the language of error texts, which come from the translations table
}

// logSession names a session in log lines.
func logSession(sid string) slog.Attr { return slog.String("sid", sid) }

// heartbeatDeadline is how long a polling session may go without a request.
func (s *SocketIO) heartbeatDeadline() time.Duration { return s.cfg.PingInterval + s.cfg.PingTimeout }
