// Package sio is the pure codec of the Socket.IO gateway: Engine.IO v4
// packets and HTTP long-polling payloads, and Socket.IO v5 packets, the
// protocols npm socket.io-client 4.x speaks
// (github.com/socketio/engine.io-protocol, github.com/socketio/socket.io-protocol).
// It does no I/O; every decoder takes client bytes and returns an error, never
// panics (fuzz_test.go).
//
// client.go holds the client's side (CONNECT with auth, emits with ack ids,
// the open packet, ACK arguments, CONNECT_ERROR), which
// gateway/ws/wsclient speaks.
//
// Only the subset the gateway needs is here: text packets. Binary packets
// (Engine.IO "b" base64 messages, Socket.IO BINARY_EVENT and BINARY_ACK) are
// recognized so they can be refused with a clear error.
//
// # Why not a library
//
// github.com/zishang520/socket.io (servers/socket v3.0.6, evaluated for this
// gateway) ports the Node server whole: its own Engine.IO server with its
// own transports (gorilla/websocket underneath, but owned by its engine),
// heartbeats, an unbounded per-socket write buffer (a growing slice of
// packets), rooms, adapters, and an event emitter whose handlers take
// ...any; it also pulls in quic-go, webtransport, msgpack and brotli. It
// would own the connection, while here the player actor owns it and the
// gateway's controls must apply unchanged: the bounded send queue with the
// slow-client policy, the token bucket and flood close, revocation and
// token expiry, shutdown with a reconnect hint, broadcasts prepared once per
// node. Wrapping it would mean re-implementing those around an engine we
// cannot bound. The subset one namespace needs (text packets, two
// transports, the upgrade) is small and specified, so it is written here,
// on the gorilla connections gateway/ws already manages, with table tests
// and fuzz targets for every decoder.
package sio
