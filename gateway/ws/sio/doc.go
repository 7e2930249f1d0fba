// Package sio is the pure codec of the Socket.IO gateway: Engine.IO v4
// packets and HTTP long-polling payloads, and Socket.IO v5 packets, the
// protocols npm socket.io-client 4.x speaks
// (github.com/socketio/engine.io-protocol, github.com/socketio/socket.io-protocol).
// It does no I/O; every decoder takes client bytes and returns an error, never
// panics (fuzz_test.go).
//
// Only the subset the gateway needs is here: text packets. Binary packets
// (Engine.IO "b" base64 messages, Socket.IO BINARY_EVENT and BINARY_ACK) are
// recognized so they can be refused with a clear error.
//
// # Why not a library
//
// github.com/zishang520/socket.io (v3.0.6) ports the Node server whole: its
// own engine with its own transports, write buffers and heartbeats, rooms,
// adapters and an event emitter whose handlers take ...any. It would own the
// connection, while here the player actor owns it and the gateway's controls
// (bounded send queue with the slow-client policy, token bucket and flood
// close, revocation, shutdown with a reconnect hint, gorilla/websocket with
// prepared broadcasts) must apply unchanged; wrapping it would mean
// re-implementing those around an engine we cannot bound. The protocol subset
// one namespace needs is small and specified, so it is written here on
// gorilla, with table tests and fuzz targets for every decoder.
package sio
