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

	_, err = s.PeriodRoot(ctx, persistence.BoardKey{Mode: "classic", Board: "daily", Period: "2026-11-23"})
	require.ErrorIs(t, err, persistence.ErrNotFound)
	root := persistence.PeriodRoot{Mode: "classic", Board: "daily", Period: "2026-11-23", Root: "0xabc", LeafCount: 3}
	st := frozenStandings(3)

	saved, err := s.SavePeriodRoot(ctx, root, st, old.Holder, old.Epoch)
	require.ErrorIs(t, err, persistence.ErrStaleEpoch)
	require.False(t, saved)
	_, err = s.PeriodRoot(ctx, persistence.BoardKey{Mode: "classic", Board: "daily", Period: "2026-11-23"})
	require.ErrorIs(t, err, persistence.ErrNotFound, "a fenced save writes nothing")

	_, err = s.SavePeriodRoot(ctx, root, st[:2], lease.Holder, lease.Epoch)
	require.Error(t, err, "standings must match the leaf count")

	saved, err = s.SavePeriodRoot(ctx, root, st, lease.Holder, lease.Epoch)
	require.NoError(t, err)
	require.True(t, saved)
	got, err := s.PeriodRoot(ctx, persistence.BoardKey{Mode: "classic", Board: "daily", Period: "2026-11-23"})
	require.NoError(t, err)
	require.Equal(t, persistence.PeriodRoot{Mode: "classic", Board: "daily", Period: "2026-11-23", Root: "0xabc", LeafCount: 3, LeafVersion: 1,
		Status: persistence.RootPending, CreatedAt: clk.Now()}, withUTCRoot(got))

	again := root
	again.Root = "0xdef"
	saved, err = s.SavePeriodRoot(ctx, again, frozenStandings(3), lease.Holder, lease.Epoch)
	require.NoError(t, err)
	require.False(t, saved)
	unchanged, err := s.PeriodRoot(ctx, persistence.BoardKey{Mode: "classic", Board: "daily", Period: "2026-11-23"})
	require.NoError(t, err)
	require.Equal(t, got, unchanged)
	back, err := s.PeriodStandings(ctx, persistence.BoardKey{Mode: "classic", Board: "daily", Period: "2026-11-23"})
	require.NoError(t, err)
	for i := range back {
		back[i].AchievedAt = back[i].AchievedAt.UTC()
	}
	require.Equal(t, st, back)

	none, err := s.PeriodStandings(ctx, persistence.BoardKey{Mode: "classic", Board: "weekly", Period: "2026-W47"})
	require.NoError(t, err)
	require.Empty(t, none)
}

func withUTCRoot(r persistence.PeriodRoot) persistence.PeriodRoot {
	r.CreatedAt = r.CreatedAt.UTC()
	return r
}

// TestPeriodRoots_SaveQueuesPeriodFrozenOnce: only the save that stores
// the root writes the period.frozen outbox row; a fenced save and a
// repeat write none.
func TestPeriodRoots_SaveQueuesPeriodFrozenOnce(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := ctxT(t)
	old, err := s.AcquireLease(ctx, persistence.SchedulerLease, "node-a", time.Second)
	require.NoError(t, err)
	clk.Advance(2 * time.Second)
	lease, err := s.AcquireLease(ctx, persistence.SchedulerLease, "node-b", time.Minute)
	require.NoError(t, err)
	root := persistence.PeriodRoot{Mode: "classic", Board: "daily", Period: "2026-11-23", Root: "0xabc", LeafCount: 3}

	_, err = s.SavePeriodRoot(ctx, root, frozenStandings(3), old.Holder, old.Epoch)
	require.ErrorIs(t, err, persistence.ErrStaleEpoch)
	for range 2 {
		_, err = s.SavePeriodRoot(ctx, root, frozenStandings(3), lease.Holder, lease.Epoch)
		require.NoError(t, err)
	}

	items, err := s.ClaimOutbox(ctx, persistence.TopicPeriodFrozen, 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, items, 1)
	require.Equal(t, "classic/daily/2026-11-23", items[0].Key)
	require.JSONEq(t, `{"mode":"classic","board":"daily","period":"2026-11-23","leafCount":3}`, string(items[0].Payload))
	games, err := s.ClaimOutbox(ctx, "game.finished", 10, time.Minute)
	require.NoError(t, err)
	require.Empty(t, games, "the row is on its own topic")
}

func TestPeriodTop(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	ctx := ctxT(t)
	lease, err := s.AcquireLease(ctx, persistence.SchedulerLease, "node-a", time.Minute)
	require.NoError(t, err)
	st := frozenStandings(12)
	_, err = s.SavePeriodRoot(ctx, persistence.PeriodRoot{Mode: "classic", Board: "daily", Period: "2026-11-23", Root: "0x1",
		LeafCount: 12}, st, lease.Holder, lease.Epoch)
	require.NoError(t, err)
	_, err = s.SavePeriodRoot(ctx, persistence.PeriodRoot{Mode: "classic", Board: "daily", Period: "2026-11-24", Root: "0x2",
		LeafCount: 2}, frozenStandings(2), lease.Holder, lease.Epoch)
	require.NoError(t, err)

	tests := []struct {
		name    string
		board   string
		period  string
		maxRank int
		want    []persistence.PeriodStanding
	}{
		{name: "head in rank order", board: "daily", period: "2026-11-23", maxRank: 10, want: st[:10]},
		{name: "first only", board: "daily", period: "2026-11-23", maxRank: 1, want: st[:1]},
		{name: "past the last rank", board: "daily", period: "2026-11-23", maxRank: 50, want: st},
		{name: "no rank", board: "daily", period: "2026-11-23", maxRank: 0, want: []persistence.PeriodStanding{}},
		{name: "not frozen", board: "weekly", period: "2026-W47", maxRank: 10, want: []persistence.PeriodStanding{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Its own deadline: a parallel subtest may wait its turn
			// longer than the parent's context lives.
			got, err := s.PeriodTop(ctxT(t), persistence.BoardKey{Mode: "classic", Board: tc.board, Period: tc.period}, tc.maxRank)
			require.NoError(t, err)
			for i := range got {
				got[i].AchievedAt = got[i].AchievedAt.UTC()
			}
			require.Equal(t, tc.want, got)
		})
	}
}

// TestPeriodRoots_PerMode: the same board period of two modes (and a
// challenge board) closes, freezes and reads back apart; period.frozen
// names the mode.
func TestPeriodRoots_PerMode(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	ctx := context.Background()
	lease, err := s.AcquireLease(ctx, persistence.SchedulerLease, "node-a", time.Minute)
	require.NoError(t, err)
	at := time.Date(2026, 11, 24, 0, 0, 1, 0, time.UTC)
	keys := []persistence.BoardKey{
		{Mode: "classic", Board: "daily", Period: "2026-11-23"},
		{Mode: "frenzy", Board: "daily", Period: "2026-11-23"},
		{Mode: "frenzy", Board: "challenge", Period: "daily-2026-11-23"},
	}
	frozen := map[persistence.BoardKey][]persistence.PeriodStanding{}
	for i, k := range keys {
		closed, err := s.ClosePeriod(ctx, k, lease.Holder, lease.Epoch, at)
		require.NoError(t, err)
		require.True(t, closed, "%s closes on its own", k)
		frozen[k] = frozenStandings(i + 1)
		saved, err := s.SavePeriodRoot(ctx, persistence.PeriodRoot{Mode: k.Mode, Board: k.Board, Period: k.Period,
			Root: "0x" + string(rune('a'+i)), LeafCount: i + 1}, frozen[k], lease.Holder, lease.Epoch)
		require.NoError(t, err)
		require.True(t, saved, "%s freezes on its own", k)
	}
	_, err = s.SavePeriodRoot(ctx, persistence.PeriodRoot{Board: "daily", Period: "2026-11-22", Root: "0x1", LeafCount: 1},
		frozenStandings(1), lease.Holder, lease.Epoch)
	require.Error(t, err, "a root names its mode")
	for i, k := range keys {
		r, err := s.PeriodRoot(ctx, k)
		require.NoError(t, err)
		require.Equal(t, k, r.Key())
		require.Equal(t, "0x"+string(rune('a'+i)), r.Root)
		back, err := s.PeriodStandings(ctx, k)
		require.NoError(t, err)
		require.Len(t, back, i+1)
		require.Equal(t, frozen[k][0].PlayerID, back[0].PlayerID)
		top, err := s.PeriodTop(ctx, k, 1)
		require.NoError(t, err)
		require.Len(t, top, 1)
		require.Equal(t, frozen[k][0].PlayerID, top[0].PlayerID)
	}
	_, err = s.PeriodRoot(ctx, persistence.BoardKey{Mode: "classic-easy", Board: "daily", Period: "2026-11-23"})
	require.ErrorIs(t, err, persistence.ErrNotFound)

	items, err := s.ClaimOutbox(ctx, persistence.TopicPeriodFrozen, 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, items, 3)
	require.Equal(t, "frenzy/daily/2026-11-23", items[1].Key)
	require.JSONEq(t, `{"mode":"frenzy","board":"daily","period":"2026-11-23","leafCount":2}`, string(items[1].Payload))
}
