// Package player is the per-connection actor: one per WebSocket, local to the
// node holding the socket.
//
// Takes (from gateway/ws through Attach): *Command, whose body is the payload
// of a client message, and *Disconnected once the socket is gone.
//
// The client protocol is one table (protocol.go): for each client message
// type, its payload type and check (payloads.go) and its handler here
// (sessions.go, subscriptions.go). Gateways decode payloads through it
// (ClientMessageOf), the actor dispatches commands through it; a new client
// message touches the table, its payload type and its handler, nothing else.
// Takes (from session grains and the fanout hub): *protos.ClientEvent, which it
// writes to the socket unchanged (the request id maps the reply to the client's
// message), except the ack that answers its own re-attach (below).
// Takes (from the actor system): *actor.Terminated for the watched session
// activation; its own sessionResolved, codeResolved and retryResolve messages.
// Subscribes its connection to Topic ("player:<id>") on Started and
// unsubscribes on Stopping, so per-player events (badge:awarded) reach every
// socket of the player on any node. Right after subscribing it asks
// Deps.Alerts, off the mailbox, for the notifications the player missed
// while offline (its own missedAlerts message) and writes them to the
// socket as notification:alert.
// Emits: protos.CreateSession, JoinSession, BeginSession, WhackMole and
// LeaveSession to session grains; subscriptions to the fanout hub.
//
// Matchmaking (matchmaking.go, matched.go, party.go): matchmaking:join
// checks the busy door, then off the mailbox checks the mode, reads the
// skill (Deps.Ratings; a party's leader reads its members from the party
// grain and all their skills) and resolves the mode's matchmaker grain,
// to which it sends protos.EnqueueTicket, and watches that activation.
// Takes from the matchmaker *protos.ClientEvent (ack, error,
// matchmaking:status; their session id is the ticket id) and
// *protos.MatchFound: the host (first member of the oldest ticket) opens
// the session with CreateSession (request id 0) and, on its ack, sends
// *protos.MatchReady to the other members, who join with JoinSession
// (request id 0); the session's acks to those are not shown (the client
// heard matchmaking:matched). A member not told within Deps.ReadyTimeout,
// or told the host failed (MatchReady abandoned), queues its ticket again;
// so does every ticket whose matchmaker activation dies (*actor.Terminated
// of the watched PID: matchmaking:status "moving", then the grain's
// "requeued"). A ticket is cancelled (protos.DequeueTicket) by
// matchmaking:leave, the socket closing, and game:start, game:create or
// game:join. Parties: party:create/join/leave send protos.PartyJoin and
// PartyLeave to the party grain and forward its frames (session id
// "party:<code>"); a member of a queued party adopts the party's ticket
// when MatchFound reaches it.
//
// Following a session that moves: once a session's PID is known the actor
// watches it (a remote watch works across nodes: a dead node yields
// *actor.Terminated for every PID watched on it). When the current session's
// activation terminates before the game is over, the client gets
// game:state-change {state "paused", reason "moving"}, the PID is forgotten in
// the directory and the grain is resolved again, retrying with a bounded
// backoff (Deps.RetryBackoff, default 50 ms doubling to 1 s, as timer messages)
// until Deps.ReattachBudget (default 10 s) of waits is spent; then the client
// gets error "unavailable" and the binding is dropped. The new activation gets
// JoinSession with request id 0 and answers ack 0 (dropped: the client did not
// ask), then game:state-change "started" and the moles still up. Commands sent
// meanwhile wait in the pending queue. Counted in
// proofstell_player_session_reattach_total{outcome="resumed|ended|unavailable"}.
//
// Every request that binds the connection to a session (game:start,
// game:create, game:join, game:resume) is answered: the binding keeps it
// until the session replies with its request id. If the activation
// terminates first (it refused and stopped, it was frozen by a hand-off and
// dropped it, or it died), the connection finds the next activation as above
// but silently (no paused frame: the client is not in a game yet) and sends
// the request again, not the internal re-attach; a reply already on its way
// ends the binding first, a second reply to it is dropped, and giving up
// answers the request itself with unavailable.
//
// Invariants:
//   - A connection plays at most one session at a time; commands for any other
//     session are answered with not_in_session.
//   - The actor never blocks: grain resolution and join-code look-ups run in
//     goroutines and come back as messages; commands for a session whose grain
//     is still resolving wait in a bounded queue (overflow: reject with
//     unavailable).
//   - Only the current binding's activation is watched; dropping the binding
//     (game over, detaching error, disconnect, giving up) unwatches it, and a
//     Terminated for anything else (a session that passivated after game:over)
//     changes nothing.
//   - Whacks carry the gateway's receive time and the connection's RTT; the
//     session judges with them.
//   - The actor lives as long as its socket, idle or not, so it holds little:
//     the node's Deps by pointer, the player's id and name, and a linked
//     mailbox (no preallocated ring). Client commands in it are bounded by
//     Spawner.MailboxSize (overflow: drop, counted).
//
// Supervision: the actor is spawned at the root; a panic restarts it with its
// state lost, so the socket keeps working but the client must resume its game.
package player
