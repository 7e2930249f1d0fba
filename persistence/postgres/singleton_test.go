package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

const leaseTTL = 3 * time.Second

func TestStore_AcquireLease(t *testing.T) {
	t.Parallel()
	// Each step runs in order on one lease; the clock moves between steps.
	steps := []struct {
		name      string
		advance   time.Duration
		holder    string
		wantEpoch int64
		wantErr   error
	}{
		{name: "first holder takes a free lease", holder: "node-a", wantEpoch: 1},
		{name: "another holder is refused while it lives", advance: time.Second, holder: "node-b", wantErr: persistence.ErrConflict},
		{name: "the holder renews in place", holder: "node-a", wantEpoch: 1},
		{name: "still refused just before expiry", advance: leaseTTL - time.Microsecond, holder: "node-b", wantErr: persistence.ErrConflict},
		{name: "an expired lease is taken with the next epoch", advance: time.Microsecond, holder: "node-b", wantEpoch: 2},
		{name: "the old holder is refused", holder: "node-a", wantErr: persistence.ErrConflict},
		{name: "the holder retaking its own expired lease gets a new epoch", advance: leaseTTL, holder: "node-b", wantEpoch: 3},
	}
	s, clk, _ := newStore(t)
	for _, st := range steps {
		clk.Advance(st.advance)
		l, err := s.AcquireLease(ctxT(t), "scheduler", st.holder, leaseTTL)
		if st.wantErr != nil {
			require.ErrorIs(t, err, st.wantErr, st.name)
			continue
		}
		require.NoError(t, err, st.name)
		require.Equal(t, persistence.Lease{Name: "scheduler", Holder: st.holder, Epoch: st.wantEpoch,
			ExpiresAt: clk.Now().Add(leaseTTL)}, l, st.name)
	}
	_, err := s.AcquireLease(ctxT(t), "chainwriter", "node-a", leaseTTL)
	require.NoError(t, err, "leases of different names are independent")
	_, err = s.AcquireLease(ctxT(t), "x", "node-a", 0)
	require.Error(t, err)
}

func TestStore_AcquireLease_OneWinnerUnderContention(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	const contenders = 8
	ctx := ctxT(t)
	var wg sync.WaitGroup
	errs := make([]error, contenders)
	for i := range contenders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.AcquireLease(ctx, "scheduler", "node-"+string(rune('a'+i)), leaseTTL)
		}()
	}
	wg.Wait()
	winners := 0
	for _, err := range errs {
		if err == nil {
			winners++
			continue
		}
		require.ErrorIs(t, err, persistence.ErrConflict)
	}
	require.Equal(t, 1, winners)
}

func TestStore_RenewLease(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	a, err := s.AcquireLease(ctxT(t), "scheduler", "node-a", leaseTTL)
	require.NoError(t, err)

	clk.Advance(2 * time.Second)
	renewed, err := s.RenewLease(ctxT(t), "scheduler", "node-a", a.Epoch, leaseTTL)
	require.NoError(t, err)
	require.Equal(t, a.Epoch, renewed.Epoch)
	require.True(t, renewed.ExpiresAt.Equal(clk.Now().Add(leaseTTL)))

	tests := []struct {
		name   string
		holder string
		epoch  int64
	}{
		{name: "wrong holder", holder: "node-b", epoch: a.Epoch},
		{name: "wrong epoch", holder: "node-a", epoch: a.Epoch + 1},
	}
	for _, tc := range tests {
		_, err := s.RenewLease(ctxT(t), "scheduler", tc.holder, tc.epoch, leaseTTL)
		require.ErrorIs(t, err, persistence.ErrStaleEpoch, tc.name)
	}

	clk.Advance(leaseTTL)
	_, err = s.RenewLease(ctxT(t), "scheduler", "node-a", a.Epoch, leaseTTL)
	require.ErrorIs(t, err, persistence.ErrStaleEpoch, "an expired lease is not renewed: the holder must step down")
	_, err = s.RenewLease(ctxT(t), "nothing", "node-a", 1, leaseTTL)
	require.ErrorIs(t, err, persistence.ErrStaleEpoch)
}

func TestStore_ReleaseLease(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	a, err := s.AcquireLease(ctxT(t), "scheduler", "node-a", leaseTTL)
	require.NoError(t, err)
	require.ErrorIs(t, s.ReleaseLease(ctxT(t), "scheduler", "node-b", a.Epoch), persistence.ErrStaleEpoch)
	_, err = s.AcquireLease(ctxT(t), "scheduler", "node-b", leaseTTL)
	require.ErrorIs(t, err, persistence.ErrConflict, "a refused release leaves the lease live")

	require.NoError(t, s.ReleaseLease(ctxT(t), "scheduler", "node-a", a.Epoch))
	clk.Advance(time.Second)
	require.NoError(t, s.ReleaseLease(ctxT(t), "scheduler", "node-a", a.Epoch), "releasing twice is harmless")

	b, err := s.AcquireLease(ctxT(t), "scheduler", "node-b", leaseTTL)
	require.NoError(t, err, "a released lease is free at once, not after the TTL")
	require.Equal(t, a.Epoch+1, b.Epoch, "release keeps the epoch so fencing still holds")
	require.ErrorIs(t, s.ReleaseLease(ctxT(t), "scheduler", "node-a", a.Epoch), persistence.ErrStaleEpoch)
}

func TestStore_ClosePeriod(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	at := time.Date(2026, 11, 25, 0, 0, 1, 0, time.UTC)
	_, err := s.ClosePeriod(ctxT(t), persistence.BoardKey{Mode: "classic", Board: "daily", Period: "2026-11-24"}, "node-a", 1, at)
	require.ErrorIs(t, err, persistence.ErrStaleEpoch, "no scheduler lease was ever taken")

	a, err := s.AcquireLease(ctxT(t), persistence.SchedulerLease, "node-a", leaseTTL)
	require.NoError(t, err)
	closed, err := s.ClosePeriod(ctxT(t), persistence.BoardKey{Mode: "classic", Board: "daily", Period: "2026-11-24"}, "node-a", a.Epoch, at)
	require.NoError(t, err)
	require.True(t, closed)
	closed, err = s.ClosePeriod(ctxT(t), persistence.BoardKey{Mode: "classic", Board: "daily", Period: "2026-11-24"}, "node-a", a.Epoch, at.Add(time.Second))
	require.NoError(t, err)
	require.False(t, closed, "a period closes once")

	clk.Advance(leaseTTL)
	b, err := s.AcquireLease(ctxT(t), persistence.SchedulerLease, "node-b", leaseTTL)
	require.NoError(t, err)
	tests := []struct {
		name    string
		holder  string
		epoch   int64
		period  string
		want    bool
		wantErr error
	}{
		{name: "stale leader is fenced", holder: "node-a", epoch: a.Epoch, period: "2026-11-25", wantErr: persistence.ErrStaleEpoch},
		{name: "new epoch, wrong holder", holder: "node-a", epoch: b.Epoch, period: "2026-11-25", wantErr: persistence.ErrStaleEpoch},
		{name: "takeover repeats a close: nothing", holder: "node-b", epoch: b.Epoch, period: "2026-11-24"},
		{name: "new leader closes a new period", holder: "node-b", epoch: b.Epoch, period: "2026-11-25", want: true},
	}
	for _, tc := range tests {
		closed, err := s.ClosePeriod(ctxT(t), persistence.BoardKey{Mode: "classic", Board: "daily", Period: tc.period}, tc.holder, tc.epoch, at)
		if tc.wantErr != nil {
			require.ErrorIs(t, err, tc.wantErr, tc.name)
			continue
		}
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.want, closed, tc.name)
	}
	require.Equal(t, []periodClose{
		{Period: "2026-11-24", ClosedBy: "node-a", Epoch: a.Epoch, ClosedAt: at},
		{Period: "2026-11-25", ClosedBy: "node-b", Epoch: b.Epoch, ClosedAt: at},
	}, readCloses(t, url, "daily"))
}

// TestStore_ClosePeriod_HoldsOffTakeover proves the fence is not a
// check-then-act race: while a close is in flight (here: stuck behind an
// uncommitted insert of the same period), a takeover of the lease waits, so
// the close commits under an epoch that was still current.
func TestStore_ClosePeriod_HoldsOffTakeover(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	ctx := ctxT(t)
	a, err := s.AcquireLease(ctx, persistence.SchedulerLease, "node-a", leaseTTL)
	require.NoError(t, err)

	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	blocker, err := conn.Begin(ctx)
	require.NoError(t, err)
	_, err = blocker.Exec(ctx, `INSERT INTO leaderboard_period_closes (board, period, closed_at, closed_by, epoch)
		VALUES ('weekly', '2026-W48', now(), 'blocker', 0)`)
	require.NoError(t, err)

	closed := make(chan bool, 1)
	go func() {
		ok, err := s.ClosePeriod(ctx, persistence.BoardKey{Mode: "classic", Board: "weekly", Period: "2026-W48"}, "node-a", a.Epoch, clk.Now())
		closed <- ok && err == nil
	}()
	require.Eventually(t, func() bool { return lockWaiters(t, url) == 1 }, 10*time.Second, 5*time.Millisecond,
		"the close waits behind the uncommitted insert")
	clk.Advance(leaseTTL)
	took := make(chan int64, 1)
	go func() {
		l, err := s.AcquireLease(ctx, persistence.SchedulerLease, "node-b", leaseTTL)
		if err != nil {
			l.Epoch = -1
		}
		took <- l.Epoch
	}()
	require.Eventually(t, func() bool { return lockWaiters(t, url) == 2 }, 10*time.Second, 5*time.Millisecond,
		"the takeover waits for the in-flight close")
	require.NoError(t, blocker.Rollback(ctx))
	require.True(t, <-closed)
	require.Equal(t, a.Epoch+1, <-took)
	require.Equal(t, []periodClose{{Period: "2026-W48", ClosedBy: "node-a", Epoch: a.Epoch, ClosedAt: clk.Now().Add(-leaseTTL)}},
		readCloses(t, url, "weekly"))
	_, err = s.ClosePeriod(ctx, persistence.BoardKey{Mode: "classic", Board: "weekly", Period: "2026-W49"}, "node-a", a.Epoch, clk.Now())
	require.ErrorIs(t, err, persistence.ErrStaleEpoch, "after the takeover the old epoch is fenced")
}

type periodClose struct {
	Period, ClosedBy string
	Epoch            int64
	ClosedAt         time.Time
}

func readCloses(t *testing.T, url, board string) []periodClose {
	t.Helper()
	conn, err := pgx.Connect(ctxT(t), url)
	require.NoError(t, err)
	defer func() { _ = conn.Close(context.Background()) }()
	rows, err := conn.Query(ctxT(t), `SELECT period, closed_by, epoch, closed_at FROM leaderboard_period_closes
		WHERE board = $1 ORDER BY period`, board)
	require.NoError(t, err)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (periodClose, error) {
		var c periodClose
		err := r.Scan(&c.Period, &c.ClosedBy, &c.Epoch, &c.ClosedAt)
		c.ClosedAt = c.ClosedAt.UTC()
		return c, err
	})
	require.NoError(t, err)
	return out
}

// lockWaiters counts sessions of the test database waiting on a lock.
func lockWaiters(t *testing.T, url string) int {
	t.Helper()
	conn, err := pgx.Connect(ctxT(t), url)
	require.NoError(t, err)
	defer func() { _ = conn.Close(context.Background()) }()
	var n int
	require.NoError(t, conn.QueryRow(ctxT(t), `SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n))
	return n
}
