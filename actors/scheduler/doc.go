// Package scheduler is the job actor of the "scheduler" cluster singleton
// (persistence.SchedulerLease, run by actors/singleton.Runner on exactly one
// node). Today it closes leaderboard periods at their UTC rollover; daily
// challenge generation and on-chain period commits will join it, each
// idempotent by its period key.
//
// # Messages taken
//
//   - *Tick (own timer every Deps.TickInterval, the first at once; tests send
//     it after moving Deps.Now): works out which daily, weekly and monthly
//     periods ended since the previous tick and closes each one not already
//     being closed. The first tick of a leadership also re-checks the last
//     ended period of each board, in case the previous leader died first.
//   - periodClosed (unexported, from the actor's own close goroutines).
//
// # Messages emitted
//
//   - Publisher.Publish("leaderboard:<board>", ClientEvent{
//     leaderboard:period-closed, {"board","period"}}) once per period, only
//     from the call that actually recorded the close.
//
// # Invariants
//
//   - Idempotent by (board, period): persistence.PeriodCloser records a close
//     once, so a takeover that repeats a close writes and announces nothing.
//   - Fenced: every close carries the lease epoch the job was started with; a
//     stale epoch (a newer leader exists) writes nothing and stops the actor.
//   - The mailbox never blocks: closes run in goroutines bounded by
//     Deps.IOTimeout under Deps.Base and report by message. A failed close
//     stays pending and is retried on the next tick; pending holds at most
//     the periods that ended while Postgres was unreachable.
//
// # Supervision
//
// Default (restart by the parent). A restarted instance loses its last tick
// and so re-checks the last ended periods, which is harmless. The singleton
// runner stops the actor when its leadership ends and starts it again if it
// stops by itself while the lease is still held.
package scheduler
