// Package matchmaker is the matchmaker grain: one per mode (identity: the
// mode name) anywhere in the cluster. It queues tickets (a solo player, or
// a party that plays together), widens each ticket's skill window with its
// waiting time and forms matches with the pure rules of package queue.
//
// Takes (from player actors, protos): *protos.EnqueueTicket (answered with
// a ClientEvent ack {"ticketId"} or an error, already_queued when one of
// its players holds another ticket, busy when MaxTickets are waiting; a
// re-queue of a known or a lost ticket keeps its id and age and is told to
// its players as matchmaking:status reason "requeued"),
// *protos.DequeueTicket (a member cancels; unknown tickets are ignored).
// Takes (from Stats, for GET /api/v1/matchmaking/stats):
// *protos.QueueStatsQuery, answered with *protos.QueueStatsReply (tickets
// and players waiting, median and p95 of the waiting tickets' waits so
// far, matches formed in the last minute).
// Takes (its own timer, every Config.TickInterval): tick, which forms the
// matches Form allows now and, every Config.StatusInterval, sends each
// waiting player matchmaking:status {waitedMs, window}.
// Emits: protos.ClientEvent (ack, error, matchmaking:status; the event's
// session_id is the ticket id so the player actor can tell its ticket's
// frames apart) and protos.MatchFound to every member of a formed match:
// the same matchmaking:matched bytes for all, a fresh session id and the
// host (the first member of the oldest ticket). The matchmaker does not
// touch the session: the host's player actor creates it as game:create
// does (admission, binding, acks), then tells the others (MatchReady), who
// join it as game:join does. A member whose host never says so within
// ReadyTimeout, or whose host could not create it, queues again.
//
// Durability: tickets live only in the activation's memory. Every player
// actor watches the activation it queued on; when it dies (node lost,
// grain moved) the player is told (matchmaking:status reason "moving") and
// sends its ticket again, same id and enqueue time, to the next
// activation, which answers with "requeued". So a lost activation costs
// its tickets nothing but the time to re-resolve, and nobody waits on a
// dead grain, without a table to keep in step with the queue. The cost: a
// player whose own node died loses its ticket with its socket, which is
// what a closed socket means anyway.
//
// Supervision: a panic would restart the activation with an empty queue
// and no death its players could see, so on *actor.Restarting the grain
// stops itself instead: its watchers see it die and re-queue on the next
// activation.
//
// Invariants:
//   - A player holds at most one ticket in a mode's queue.
//   - Form is deterministic: the same tickets at the same time form the same
//     matches; a ticket leaves the queue when matched, left or refused.
//   - The grain never blocks: it does no I/O (ratings are read by the player
//     actor before it queues).
package matchmaker
