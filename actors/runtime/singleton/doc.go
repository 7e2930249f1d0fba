// Package singleton runs work that must happen exactly once across the
// cluster (the period scheduler, later the chain writer) on whichever node
// holds a named Postgres lease.
//
// A Runner lives on every node. In its own goroutine it tries
// persistence.LeaseStore.AcquireLease every RenewEvery; the node that gets the
// lease spawns the job actor (Options.Job, given the lease and so its fencing
// epoch) in the node's actor system and renews the lease on the same cadence.
//
// # Leadership
//
//   - At most one runner leads at a time: the store grants a live lease to one
//     holder. A leader that dies stops renewing; its lease expires after TTL
//     and a peer takes it with the next epoch, so work resumes within TTL
//     plus one RenewEvery (about 4 s with the defaults).
//   - A refused renewal (ErrStaleEpoch) stops the job at once (StopFuture,
//     waited for). A failed one (a timeout, a lost connection) while the
//     lease is still live is late, not lost: it is logged and counted
//     (proofstell_singleton_renewals_late_total) and the job keeps running, unless the
//     next attempt would come after the step-down moment, half a RenewEvery
//     before the lease's earliest expiry (the start of the last successful
//     call plus TTL, by Options.Now); then the leader stops the job. A
//     renewal call never outlives that moment either. If the lease was in
//     fact still ours, the next attempt re-acquires it under the same epoch
//     and restarts the job.
//   - Renewal runs on the runner's own goroutine, not through an actor
//     mailbox; cmd gives the runners a PostgreSQL pool of their own
//     (postgres.LeasePool), so a main pool saturated by games cannot make a
//     renewal wait.
//   - Run ending (Stop or context) stops the job, then releases the lease, so
//     a peer takes over on its next attempt instead of after the TTL.
//   - A job that stops by itself while the lease is held is started again on
//     the next renewal, under the same epoch.
//
// # Fencing
//
// Two jobs can overlap briefly (a paused leader that has not yet noticed its
// lease expired). Jobs therefore stamp every write with their epoch and the
// store refuses stale epochs (persistence.ErrStaleEpoch), and every job must
// be idempotent by its own key (a period, a nonce) so a takeover that repeats
// the last piece of work does it only once.
//
// # Time
//
// Lease expiry is judged by the store's injected clock, never the database's;
// attempts happen on a ticker or on Options.Ticks, which tests drive.
//
// # Metrics
//
// proofstell_singleton_leader{name} is 1 on the leading node; proofstell_singleton_takeovers_total
// {name} counts leaderships this node gained with a new epoch;
// proofstell_singleton_renewals_late_total{name} and proofstell_singleton_leadership_lost_total
// {name} count late renewals and leaderships given up.
package singleton
