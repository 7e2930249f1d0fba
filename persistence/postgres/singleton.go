package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

// Conformance of Store to the singleton contracts.
var (
	_ persistence.LeaseStore   = (*Store)(nil)
	_ persistence.PeriodCloser = (*Store)(nil)
)

// acquireLeaseSQL takes a free or expired lease with the next epoch, or
// renews the holder's live one in place; a live lease of another holder
// matches the WHERE of DO UPDATE, which then returns no row. $3 is now, $4
// the new expiry.
const acquireLeaseSQL = `INSERT INTO singleton_leases AS l (name, holder, epoch, expires_at)
VALUES ($1, $2, 1, $4)
ON CONFLICT (name) DO UPDATE SET
	holder = excluded.holder,
	epoch = CASE WHEN l.holder = excluded.holder AND l.expires_at > $3 THEN l.epoch ELSE l.epoch + 1 END,
	expires_at = excluded.expires_at
WHERE l.holder = excluded.holder OR l.expires_at <= $3
RETURNING l.epoch, l.expires_at`

// renewLeaseSQL extends only a live lease of this holder and epoch.
const renewLeaseSQL = `UPDATE singleton_leases SET expires_at = $5
WHERE name = $1 AND holder = $2 AND epoch = $3 AND expires_at > $4
RETURNING expires_at`

// releaseLeaseSQL expires the lease now (never later than it already was).
const releaseLeaseSQL = `UPDATE singleton_leases SET expires_at = least(expires_at, $4)
WHERE name = $1 AND holder = $2 AND epoch = $3`

// leaseHolderSQL reads the fencing state of a lease, locking the row FOR
// SHARE so a takeover (an UPDATE of the row) waits until the fenced write
// has committed or rolled back.
const leaseHolderSQL = `SELECT holder, epoch FROM singleton_leases WHERE name = $1 FOR SHARE`

const insertPeriodCloseSQL = `INSERT INTO leaderboard_period_closes (mode, board, period, closed_at, closed_by, epoch)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (mode, board, period) DO NOTHING`

// AcquireLease implements persistence.LeaseStore.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (persistence.Lease, error) {
	defer observe("acquire_lease", time.Now())
	if ttl <= 0 {
		return persistence.Lease{}, fmt.Errorf("acquire lease %s: ttl %s must be positive", name, ttl)
	}
	now := s.stamp()
	l := persistence.Lease{Name: name, Holder: holder}
	err := s.pool.QueryRow(ctx, acquireLeaseSQL, name, holder, now, now.Add(ttl)).Scan(&l.Epoch, &l.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return persistence.Lease{}, fmt.Errorf("acquire lease %s for %s: held by another node: %w", name, holder, persistence.ErrConflict)
	}
	if err != nil {
		return persistence.Lease{}, mapErr("acquire lease "+name, err)
	}
	return l, nil
}

// RenewLease implements persistence.LeaseStore.
func (s *Store) RenewLease(ctx context.Context, name, holder string, epoch int64, ttl time.Duration) (persistence.Lease, error) {
	defer observe("renew_lease", time.Now())
	if ttl <= 0 {
		return persistence.Lease{}, fmt.Errorf("renew lease %s: ttl %s must be positive", name, ttl)
	}
	now := s.stamp()
	l := persistence.Lease{Name: name, Holder: holder, Epoch: epoch}
	err := s.pool.QueryRow(ctx, renewLeaseSQL, name, holder, epoch, now, now.Add(ttl)).Scan(&l.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return persistence.Lease{}, fmt.Errorf("renew lease %s epoch %d for %s: lost: %w", name, epoch, holder, persistence.ErrStaleEpoch)
	}
	if err != nil {
		return persistence.Lease{}, mapErr("renew lease "+name, err)
	}
	return l, nil
}

// ReleaseLease implements persistence.LeaseStore.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string, epoch int64) error {
	defer observe("release_lease", time.Now())
	tag, err := s.pool.Exec(ctx, releaseLeaseSQL, name, holder, epoch, s.stamp())
	if err != nil {
		return mapErr("release lease "+name, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("release lease %s epoch %d for %s: not held: %w", name, epoch, holder, persistence.ErrStaleEpoch)
	}
	return nil
}

// ClosePeriod implements persistence.PeriodCloser.
func (s *Store) ClosePeriod(ctx context.Context, key persistence.BoardKey, holder string, epoch int64, at time.Time) (bool, error) {
	defer observe("close_period", time.Now())
	op := "close period " + key.String()
	if key.Mode == "" {
		return false, fmt.Errorf("%s: no mode", op)
	}
	var closed bool
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkFence(ctx, tx, persistence.SchedulerLease, holder, epoch); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, insertPeriodCloseSQL, key.Mode, key.Board, key.Period, at.UTC().Truncate(time.Microsecond),
			holder, epoch)
		if err != nil {
			return mapErr(op, err)
		}
		closed = tag.RowsAffected() == 1
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("%s: %w", op, err)
	}
	return closed, nil
}

// checkFence fails with ErrStaleEpoch unless holder holds lease name at
// epoch, and keeps the lease row locked until tx ends.
func checkFence(ctx context.Context, tx pgx.Tx, name, holder string, epoch int64) error {
	var curHolder string
	var curEpoch int64
	err := tx.QueryRow(ctx, leaseHolderSQL, name).Scan(&curHolder, &curEpoch)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("lease %s was never taken: %w", name, persistence.ErrStaleEpoch)
	}
	if err != nil {
		return mapErr("read lease "+name, err)
	}
	if curHolder != holder || curEpoch != epoch {
		return fmt.Errorf("lease %s: %s epoch %d, current %s epoch %d: %w",
			name, holder, epoch, curHolder, curEpoch, persistence.ErrStaleEpoch)
	}
	return nil
}
