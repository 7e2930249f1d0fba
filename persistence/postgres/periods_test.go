package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

func frozenStandings(n int) []persistence.PeriodStanding {
	out := make([]persistence.PeriodStanding, n)
	at := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	for i := range out {
		out[i] = persistence.PeriodStanding{Rank: i + 1, PlayerID: uuid.NewString(), Score: int64(100 - i), AchievedAt: at}
	}
	return out
}

// TestPeriodRoots_SavedOnceAndFenced: the first save stores root and
// standings; a repeat (any root) changes nothing; a stale epoch writes
// nothing; an unfrozen period is not found.
func TestPeriodRoots_SavedOnceAndFenced(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := context.Background()
	old, err := s.AcquireLease(ctx, persistence.SchedulerLease, "node-a", time.Second)
	require.NoError(t, err)
	clk.Advance(2 * time.Second)
	lease, err := s.AcquireLease(ctx, persistence.SchedulerLease, "node-b", time.Minute)
	require.NoError(t, err)

	_, err = s.PeriodRoot(ctx, "daily", "2026-11-23")
	require.ErrorIs(t, err, persistence.ErrNotFound)
	root := persistence.PeriodRoot{Board: "daily", Period: "2026-11-23", Root: "0xabc", LeafCount: 3}
	st := frozenStandings(3)

	saved, err := s.SavePeriodRoot(ctx, root, st, old.Holder, old.Epoch)
	require.ErrorIs(t, err, persistence.ErrStaleEpoch)
	require.False(t, saved)
	_, err = s.PeriodRoot(ctx, "daily", "2026-11-23")
	require.ErrorIs(t, err, persistence.ErrNotFound, "a fenced save writes nothing")

	_, err = s.SavePeriodRoot(ctx, root, st[:2], lease.Holder, lease.Epoch)
	require.Error(t, err, "standings must match the leaf count")

	saved, err = s.SavePeriodRoot(ctx, root, st, lease.Holder, lease.Epoch)
	require.NoError(t, err)
	require.True(t, saved)
	got, err := s.PeriodRoot(ctx, "daily", "2026-11-23")
	require.NoError(t, err)
	require.Equal(t, persistence.PeriodRoot{Board: "daily", Period: "2026-11-23", Root: "0xabc", LeafCount: 3,
		Status: persistence.RootPending, CreatedAt: clk.Now()}, withUTCRoot(got))

	again := root
	again.Root = "0xdef"
	saved, err = s.SavePeriodRoot(ctx, again, frozenStandings(3), lease.Holder, lease.Epoch)
	require.NoError(t, err)
	require.False(t, saved)
	unchanged, err := s.PeriodRoot(ctx, "daily", "2026-11-23")
	require.NoError(t, err)
	require.Equal(t, got, unchanged)
	back, err := s.PeriodStandings(ctx, "daily", "2026-11-23")
	require.NoError(t, err)
	for i := range back {
		back[i].AchievedAt = back[i].AchievedAt.UTC()
	}
	require.Equal(t, st, back)

	none, err := s.PeriodStandings(ctx, "weekly", "2026-W47")
	require.NoError(t, err)
	require.Empty(t, none)
}

func withUTCRoot(r persistence.PeriodRoot) persistence.PeriodRoot {
	r.CreatedAt = r.CreatedAt.UTC()
	return r
}
