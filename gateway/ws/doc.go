// Package ws is the player gateway: the native WebSocket protocol at GET /ws
// and Socket.IO v4 at /socket.io/ (SocketIO, below). It is the only package
// tree that imports gorilla/websocket.
//
// # Handshake
//
// Before upgrading, the handler checks, in order: shutdown (503), the Origin
// header against the allowlist (403; no Origin header and the node's own
// origin are always allowed), and the access token from
// "Authorization: Bearer <jwt>" or "?token=<jwt>" (401). Refusals use the
// REST error shape {"error":{"code","message"}} and never upgrade.
//
// # Frames
//
// Every frame is a JSON text message {"t": type, "id": n, "d": payload}.
// "id" is optional on client frames and echoed on the reply; server frames
// omit it when 0. Client frames are decoded strictly by DecodeCommand
// (unknown fields, wrong types, missing fields and trailing data are
// refused): the envelope here, the payload by the client protocol table of
// actors/player, which lists every client message type. A refused frame is answered with
// {"t":"error","id":n,"d":{"code","message"}} and the connection stays open.
// Binary frames are answered with an error frame, code "bad_request" (not
// closed with 1003, so one stray frame does not cost a player the game).
// "ping" is answered by the gateway with {"t":"pong","id":n,"d":{"serverTime":ms}}.
// Error frames' messages, the gateway's and the player actor's alike, and
// notification:alert titles and bodies speak the language the handshake
// asked for (?lang=, then Accept-Language, leniently: Deps.Texts; cmd's
// translations, errors keyed by code, alerts through gateway/notices); on
// Socket.IO the opening request's. Codes never change. A connection in
// another language than the alerts' own builds its alert frames itself
// instead of sharing the broadcast's prepared frame.
// docs/asyncapi.yaml describes every frame with its schema; tests check it.
//
// # Flow control
//
//   - Inbound: a token bucket per connection (MessageRate, MessageBurst) on
//     the injected clock. An over-limit frame is dropped; the first 3 of a
//     flood window (FloodWindow, opened by a refusal) are answered with an
//     error frame, code "rate_limited", later ones silently (no
//     amplification). More than FloodLimit refusals in one window close the
//     socket with 4008 (flood.go), counted in proofstell_ws_flood_closes_total.
//   - Outbound: a bounded send queue (SendQueue) drained with WriteWait
//     deadlines by a goroutine that runs only while frames wait (an idle
//     socket holds no queue and no writer stack). Overflow policy: drop the frame
//     and count it in proofstell_ws_send_queue_drops_total; DropLimit drops in a row
//     close the socket with 4009. Fan-out broadcasts enter the same queue
//     through Conn.Deliver (fanout.Socket), their frame prepared once per
//     broadcast for every socket, except on an idle socket, which takes the
//     frame in one non-blocking write on the hub's goroutine (through.go). A drain writes all the frames it took in
//     one system call: the upgrade wraps the TCP connection in a corkConn
//     (cork.go) whose pooled buffer exists only while a drain writes.
//   - Liveness: the writer pings at connect and every PingInterval; the ping
//     carries its send time and the pong yields the RTT (EWMA, weight 1/4,
//     exposed by player.Conn.RTT). The read deadline is PongWait, refreshed
//     by every pong. Messages larger than ReadLimit close with 1009.
//
// # Close codes
//
// Every close code and reason the gateway sends is declared in close.go,
// with what each means and what a client should do.
//
// # Revocation and expiry
//
// The handshake also runs Deps.Admit (denylist, per-player watermark and
// revoked refresh families, from Redis or, when Redis is lost or down, from
// PostgreSQL; 401 "revoked", or 503 when neither can answer: it fails
// closed). An open socket closes with 4001 when its access token expires
// (timer from Identity.ExpiresAt), and on every node when a revocation event
// arrives on the bus (RevocationListener, topic prefix
// auth.RevocationTopicPrefix): logout closes the sockets of that sign-in
// (opened with that token or any token of its refresh family, 4003), a
// refresh-token reuse the sockets of the family (4003), logout-all every
// socket of the player (4003), a ban every socket of the player (1008,
// reason "banned"). Events are delivered at most once, so cmd also runs
// Handler.Sweep every WS_REVOCATION_SWEEP: it re-checks each open socket
// (Deps.Recheck) and closes the revoked ones with 4003.
//
// # Lifecycle
//
// ServeHTTP returns right after the upgrade, so net/http's per-request
// state is freed. Each connection then runs one reader goroutine; writes
// happen on a drain goroutine started only while frames wait, pings on a
// timer. Whatever ends the connection (client close, error, Conn.Close,
// CloseUser, Shutdown, slow client, flood), the first close request starts
// finish, which waits for a running drain, performs the close, and the
// Attacher's detach runs exactly once after the reader and finish are done. Handler.Shutdown refuses new handshakes, closes every
// socket with 1001 and waits for all of them, bounded by its context.
//
// # Socket.IO
//
// Handler.SocketIO serves Engine.IO v4 carrying Socket.IO v5, namespace
// /realtime (Namespace), what socket.io-client 4.x speaks; the codec is the
// pure package gateway/ws/sio, which also says why no Go library was used.
// A session (sio_session.go) is opened by a handshake on either transport:
// HTTP long-polling (GET waits for queued packets, one GET at a time, a
// second concurrent one closes the session; POST bodies up to
// SOCKETIO_MAX_PAYLOAD) with an upgrade to websocket (probe "2probe" /
// "3probe", a noop releasing the pending GET, then "5"), or a websocket
// from the start. Request errors use Engine.IO's codes: 400 {"code":1,
// "message":"Session ID unknown"} for an unknown sid (sessions live on one
// node: long-polling needs sticky routing, docs/CLUSTER.md), 0 transport
// unknown, 2 bad handshake method, 3 bad request, 5 unsupported protocol
// version, 403 code 4 for an origin outside the allowlist.
//
// The session is the player.Conn, made when the CONNECT packet's auth
// {"token"} passes the same checks as a /ws handshake (Deps.Authenticate,
// then Deps.Admit); a refusal is a CONNECT_ERROR whose data.code is
// "unauthorized", "token_expired", "revoked", "unavailable" or
// "bad_request". The controls are /ws's, shared rather than copied: the
// session is in the same registry (CloseUser, CloseSignIn, Sweep, the
// revocation listener and Shutdown reach it), the same rateGuard (token
// bucket, flood close with 4008) reads its packets, its send queue has the
// same bound and slow-client policy (4009), the token-expiry timer is the
// same, and its metrics are the same collectors with gateway="socketio".
// An emit is decoded through the protocol table of actors/player like a
// /ws frame; its command's request id is the ack id + 1 (the client numbers
// acks from 0, and 0 means none). The first frame answering an acked emit
// is the ACK ([d], or [{"error":{..}}] for an error); every other frame is
// an event ["type", d]. Broadcasts are encoded for Socket.IO once per
// broadcast, and only when a Socket.IO socket takes one (broadcastFrame),
// so /ws's write-through path is unchanged. Liveness is Engine.IO's: the
// server pings every SOCKETIO_PING_INTERVAL (and at CONNECT, for the RTT)
// and closes after SOCKETIO_PING_TIMEOUT without a pong, or when a polling
// session makes no request for their sum. A server-initiated close tells
// the client why before it goes: the event "connection:close"
// {"code","reason"} with the codes of close.go, then DISCONNECT, then the
// transport closes (a websocket with that close code).
package ws
