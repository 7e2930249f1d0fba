// Package player is the per-connection actor: one per WebSocket, local to the
// node holding the socket.
//
// Takes (from gateway/ws through Attach): *Command with one of the command
// bodies of api.go, and *Disconnected once the socket is gone.
// Takes (from session grains and the fanout hub): *protos.ClientEvent, which it
// writes to the socket unchanged (the request id maps the reply to the client's
// message).
// Emits: protos.CreateSession, JoinSession, BeginSession, WhackMole and
// LeaveSession to session grains; subscriptions to the fanout hub.
//
// Invariants:
//   - A connection plays at most one session at a time; commands for any other
//     session are answered with not_in_session.
//   - The actor never blocks: grain resolution and join-code look-ups run in
//     goroutines and come back as messages; commands for a session whose grain
//     is still resolving wait in a bounded queue (overflow: reject with
//     unavailable).
//   - Whacks carry the gateway's receive time and the connection's RTT; the
//     session judges with them.
//
// Supervision: the actor is spawned at the root; a panic restarts it with its
// state lost, so the socket keeps working but the client must resume its game.
package player
