package ws

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/config"
)

// Deps is what the WebSocket handler needs from the node.
type Deps struct {
	Config config.WebSocket
	// AllowedOrigins lists exact browser origins allowed besides the node's
	// own (same origin is always allowed). Requests without an Origin header (non-browser
	// clients) are allowed: origin checks protect browsers' cookies and
	// ambient credentials, and the token is required anyway.
	AllowedOrigins []string
	// Authenticate verifies the access JWT and returns its identity. A
	// non-zero Identity.ExpiresAt closes the socket with 4001 at that time.
	Authenticate func(token string) (player.Identity, error)
	// Admit checks, with the request's context, that the token has not been
	// revoked (denylist, per-player watermark); nil admits every verified
	// token. An error wrapping auth.ErrRevocationUnavailable refuses with
	// 503, any other with 401 "revoked".
	Admit func(ctx context.Context, token string) error
	// Recheck re-checks the revocation of an open socket's identity for
	// Sweep; nil makes Sweep a no-op. An error wrapping auth.ErrRevoked
	// closes the socket (4003); auth.ErrRevocationUnavailable ends the
	// sweep, keeping the sockets (they were admitted; the next sweep or
	// the event closes them).
	Recheck func(ctx context.Context, id player.Identity) error
	// Attach starts the player actor of each new connection. Required.
	Attach Attacher
	// Now stamps received frames, rate limits and RTT; time.Now when nil.
	Now func() time.Time
	// Logger defaults to discarding.
	Logger *slog.Logger
	// Metrics defaults to unregistered collectors; cmd passes NewMetrics(reg).
	Metrics *Metrics
	// Texts, when set, gives each connection the words of its handshake's
	// language (?lang=, then Accept-Language, negotiated leniently like
	// REST): its error frames' messages and its notification alerts. nil
	// keeps every frame as written.
	Texts func(query, acceptLanguage string) *Texts
}

// Attacher starts a player actor for a new connection. deliver hands it a
// decoded command and never blocks; detach is called exactly once when the
// socket is gone.
type Attacher interface {
	Attach(id player.Identity, conn player.Conn) (deliver func(player.Command), detach func())
}

// Handler serves GET /ws: it checks origin and token, upgrades, and runs one
// connection per player socket until it closes or the handler shuts down.
type Handler struct {
	deps     Deps
	upgrader websocket.Upgrader
	reg      *registry
	sio      *SocketIO
	env      *connEnv // shared by every /ws socket
}

// NewHandler builds the /ws handler. Zero config fields take their defaults
// from config.Default.
func NewHandler(deps Deps) *Handler {
	deps.Config = withDefaults(deps.Config)
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	// Every connection derives a logger naming its player; resolving those
	// attributes only when a line is written keeps them off idle sockets.
	deps.Logger = slog.New(deferAttrs{base: deps.Logger.Handler()})
	if deps.Metrics == nil {
		deps.Metrics = newMetrics()
	}
	h := &Handler{
		deps: deps,
		upgrader: websocket.Upgrader{
			HandshakeTimeout: deps.Config.HandshakeWait,
			// A small read buffer of our own instead of net/http's 4 KiB one:
			// frames are small, and larger ones are read through it.
			ReadBufferSize: readBufferSize,
			// Idle sockets (most of a lobby) hold no write buffer.
			WriteBufferPool: &sync.Pool{},
			// The origin was checked before Upgrade, with our own rules.
			CheckOrigin: func(*http.Request) bool { return true },
		},
		reg: newRegistry(),
	}
	h.env = &connEnv{cfg: deps.Config, now: deps.Now, metrics: deps.Metrics.native, log: deps.Logger}
	h.sio = newSocketIO(h)
	return h
}

// readBufferSize is each socket's read buffer, held for the socket's life.
// Client frames are small (a whack is about 100 bytes with its header);
// larger ones are read through it in several reads. gorilla needs room for
// a control frame's payload (125 bytes) and raises smaller sizes to that.
const readBufferSize = 128

// withDefaults fills zero fields so that a partial config cannot produce an
// unbuffered queue or a zero deadline.
func withDefaults(c config.WebSocket) config.WebSocket {
	d := config.Default().WS
	fill := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	fillDur := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	fill(&c.SendQueue, d.SendQueue)
	fill(&c.DropLimit, d.DropLimit)
	fill(&c.MessageBurst, d.MessageBurst)
	fill(&c.FloodLimit, d.FloodLimit)
	fillDur(&c.FloodWindow, d.FloodWindow)
	fillDur(&c.PingInterval, d.PingInterval)
	fillDur(&c.PongWait, d.PongWait)
	fillDur(&c.WriteWait, d.WriteWait)
	fillDur(&c.HandshakeWait, d.HandshakeWait)
	if c.ReadLimit <= 0 {
		c.ReadLimit = d.ReadLimit
	}
	if c.MessageRate <= 0 {
		c.MessageRate = d.MessageRate
	}
	fillDur(&c.SocketIO.PingInterval, d.SocketIO.PingInterval)
	fillDur(&c.SocketIO.PingTimeout, d.SocketIO.PingTimeout)
	if c.SocketIO.MaxPayload <= 0 {
		c.SocketIO.MaxPayload = d.SocketIO.MaxPayload
	}
	return c
}

// ServeHTTP checks the handshake, upgrades, and hands the connection to its
// own goroutine. It returns right after the upgrade so net/http's per-request
// state (buffers, request, the handler goroutine's grown stack) is freed:
// an idle socket then costs only what the connection itself holds.
// Refusals are plain HTTP responses: no upgrade happens.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.reg.enter() {
		h.refuse(w, http.StatusServiceUnavailable, rejectShutdown, "unavailable", "server shutting down")
		return
	}
	upgraded := false
	defer func() {
		if !upgraded {
			h.reg.leave()
		}
	}()
	if !h.originAllowed(r) {
		h.refuse(w, http.StatusForbidden, rejectOrigin, "forbidden", "origin not allowed")
		return
	}
	id, token, ok := h.authenticate(r)
	if !ok {
		h.refuse(w, http.StatusUnauthorized, rejectUnauthorized, "unauthorized", "missing or invalid access token")
		return
	}
	if !h.admit(w, r, token) {
		return
	}
	// corkResponse: the socket's drain writes its queued frames in one call.
	ws, err := h.upgrader.Upgrade(corkResponse{w}, r, nil)
	if err != nil {
		// Upgrade has already answered with an HTTP error.
		h.deps.Logger.Debug("websocket upgrade failed", slog.String("error", err.Error()))
		return
	}
	upgraded = true
	text := h.texts(r)
	go func() {
		defer h.reg.leave()
		h.serve(ws, id, text)
	}()
}

// originAllowed accepts no Origin, the node's own origin (the play page it
// serves at /play), and the listed ones. Same origin is always allowed: the
// page connects from wherever the node is reached (127.0.0.1, a LAN name),
// which an allowlist written for other front ends does not name.
func (h *Handler) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	if u, err := url.Parse(origin); err == nil && strings.EqualFold(u.Host, r.Host) {
		return true
	}
	return slices.Contains(h.deps.AllowedOrigins, origin)
}

// authenticate reads the token from "Authorization: Bearer" or, for
// browsers that cannot set headers on WebSocket requests, "?token=".
func (h *Handler) authenticate(r *http.Request) (player.Identity, string, bool) {
	token := bearerToken(r.Header.Get("Authorization"))
	if token == "" {
		token = r.URL.Query().Get("token")
	}
	id, err := h.verify(token)
	if err != nil {
		return player.Identity{}, "", false
	}
	return id, token, true
}

// errNoIdentity refuses a missing token, or one naming no player.
var errNoIdentity = errors.New("no player identity")

// verify checks an access token with Deps.Authenticate for either
// gateway; its error wraps Authenticate's (auth.ErrExpiredToken...).
func (h *Handler) verify(token string) (player.Identity, error) {
	if token == "" || h.deps.Authenticate == nil {
		return player.Identity{}, errNoIdentity
	}
	id, err := h.deps.Authenticate(token)
	switch {
	case err != nil:
		return player.Identity{}, fmt.Errorf("verify access token: %w", err)
	case id.PlayerID == "":
		return player.Identity{}, errNoIdentity
	}
	return id, nil
}

func bearerToken(header string) string {
	const prefix = "bearer "
	if len(header) <= len(prefix) || !strings.EqualFold(header[:len(prefix)], prefix) {
		return ""
	}
	return strings.TrimSpace(header[len(prefix):])
}

// httpError is the project's REST error shape, used for refused handshakes.
type httpError struct {
	Error httpErrorBody `json:"error"`
}

type httpErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (h *Handler) refuse(w http.ResponseWriter, status int, reason, code, message string) {
	h.deps.Metrics.native.rejected.WithLabelValues(reason).Inc()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(httpError{Error: httpErrorBody{Code: code, Message: message}})
}

// serve runs one upgraded connection to its end and detaches the player
// actor exactly once.
func (h *Handler) serve(ws *websocket.Conn, id player.Identity, text *Texts) {
	c := newConn(ws, id, h.env)
	c.texts = text
	if !h.reg.add(c) {
		// Shutdown began during the handshake.
		msg := websocket.FormatCloseMessage(CloseGoingAway, ReasonShuttingDown)
		_ = ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(abortWait))
		_ = ws.Close()
		return
	}
	defer h.reg.remove(c)
	h.deps.Metrics.native.connections.Inc()
	defer h.deps.Metrics.native.connections.Dec()
	c.logger().Debug("websocket connected")
	deliver, detach := h.deps.Attach.Attach(id, c)
	defer detach()
	if expiry := h.closeAtExpiry(c); expiry != nil {
		defer expiry.Stop()
	}
	c.startWriter()
	c.readLoop(deliver)
	c.requestClose(CloseGoingAway, "", closePeerGone)
	<-c.writerDone
}
