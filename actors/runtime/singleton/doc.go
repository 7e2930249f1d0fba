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
//   - A failed or refused renewal stops the job at once (StopFuture, waited
//     for), before anything else: a leader that cannot prove its lease assumes
//     it is gone. If the lease was in fact still ours (a database hiccup), the
//     next attempt re-acquires it under the same epoch and restarts the job.
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
// singleton_leader{name} is 1 on the leading node; singleton_takeovers_total
// {name} counts leaderships this node gained with a new epoch.
package singleton
