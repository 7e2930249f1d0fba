package persistence

import (
	"context"
	"time"
)

// SchedulerLease names the lease held by the node that runs the scheduler
// singleton; PeriodCloser fences its writes by this lease's epoch.
const SchedulerLease = "scheduler"

// Lease is one node's ownership of a cluster singleton. Epoch is the fencing
// token: it grows by one every time the lease changes hands (or is taken
// again after it expired), so a write carrying an older epoch comes from a
// leader that has been replaced.
type Lease struct {
	Name      string
	Holder    string
	Epoch     int64
	ExpiresAt time.Time
}

// LeaseStore elects one holder per singleton name across the cluster. Expiry
// is judged by the store's injected clock, never the database clock, so every
// node of a test shares one time line. A lease row is never deleted: epochs
// of a name only grow.
type LeaseStore interface {
	// AcquireLease takes the lease for holder for ttl. A free or expired lease
	// is taken with the next epoch (the first ever is epoch 1); a live lease
	// already held by holder is renewed and keeps its epoch. A live lease of
	// another holder answers ErrConflict and changes nothing. The check and
	// the write are one atomic statement.
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (Lease, error)
	// RenewLease extends holder's live lease of epoch to now+ttl. If the lease
	// expired, changed hands or moved to another epoch, it answers
	// ErrStaleEpoch and changes nothing: the caller is no longer the leader
	// and must stop the singleton's work at once.
	RenewLease(ctx context.Context, name, holder string, epoch int64, ttl time.Duration) (Lease, error)
	// ReleaseLease expires holder's lease of epoch now, so a peer takes it on
	// its next attempt instead of after the TTL. The epoch is kept. Releasing
	// twice is harmless; releasing a lease that has moved on answers
	// ErrStaleEpoch and changes nothing.
	ReleaseLease(ctx context.Context, name, holder string, epoch int64) error
}

// PeriodCloser records that a leaderboard period has ended, once per
// (mode, board, period), on behalf of the scheduler singleton.
type PeriodCloser interface {
	// ClosePeriod records the board period key as closed at at by holder. It is
	// fenced: unless holder still holds lease SchedulerLease at epoch (expired
	// but not yet taken over still counts: no newer leader exists), it answers
	// ErrStaleEpoch and writes nothing. The check and the insert are one
	// transaction that holds the lease row against a concurrent takeover.
	// closed is false when the period was already closed (by any epoch), so a
	// leader that takes over and repeats a close does nothing twice.
	ClosePeriod(ctx context.Context, key BoardKey, holder string, epoch int64, at time.Time) (closed bool, err error)
}
