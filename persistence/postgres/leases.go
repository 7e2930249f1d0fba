package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence"
)

// LeasePoolConns is the size of the pool OpenLeasePool opens: one renewal
// per singleton runner at a time, and a spare for a takeover attempt.
const LeasePoolConns = 2

var _ persistence.LeaseStore = (*LeasePool)(nil)

// LeasePool is a LeaseStore on a pool of its own. Under overload the main
// pool's connections are all busy with game writes and a renewal that waits
// for one can miss its deadline, losing a healthy leader its lease; the
// singleton runners renew through this pool instead, so load cannot starve
// them. The jobs' fenced writes stay on the main pool: they are work, not
// liveness.
type LeasePool struct{ s *Store }

// OpenLeasePool opens a LeasePool of LeasePoolConns connections to cfg.URL
// (cfg.MaxConns is ignored), judging expiry by now.
func OpenLeasePool(ctx context.Context, cfg config.Database, now func() time.Time) (*LeasePool, error) {
	cfg.MaxConns = LeasePoolConns
	s, err := Open(ctx, cfg, now)
	if err != nil {
		return nil, fmt.Errorf("open lease pool: %w", err)
	}
	return &LeasePool{s: s}, nil
}

// AcquireLease implements persistence.LeaseStore.
func (p *LeasePool) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (persistence.Lease, error) {
	return p.s.AcquireLease(ctx, name, holder, ttl)
}

// RenewLease implements persistence.LeaseStore.
func (p *LeasePool) RenewLease(ctx context.Context, name, holder string, epoch int64, ttl time.Duration) (persistence.Lease, error) {
	return p.s.RenewLease(ctx, name, holder, epoch, ttl)
}

// ReleaseLease implements persistence.LeaseStore.
func (p *LeasePool) ReleaseLease(ctx context.Context, name, holder string, epoch int64) error {
	return p.s.ReleaseLease(ctx, name, holder, epoch)
}

// Ping checks the database is reachable through this pool, which load on
// the main pool cannot make wait.
func (p *LeasePool) Ping(ctx context.Context) error { return p.s.Ping(ctx) }

// Close closes the pool.
func (p *LeasePool) Close() { p.s.Close() }

// AcquireWait reports the main pool's cumulative acquires and the total
// time they waited for a free connection: the admission controller's
// measure of how far the pool is past capacity.
func (s *Store) AcquireWait() (acquires int64, waited time.Duration) {
	st := s.pool.Stat()
	return st.AcquireCount(), st.EmptyAcquireWaitTime()
}
