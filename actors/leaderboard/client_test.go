package leaderboard

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/actors/runtime/grains"
	"github.com/proofstell/proofstell/persistence"
)

func TestClient_RoundTrip(t *testing.T) {
	t.Parallel()
	var rows []persistence.Standing
	for i := range 7 {
		rows = append(rows, standing(fmt.Sprintf("p%d", i), int64(100-i), i))
	}
	h := newHarness(t, storeWith(today, rows...), nil)
	ctx := testCtx(t)

	require.NoError(t, h.client.Apply(ctx, key("daily", "2026-11-24"), []standings.Entry{entryOf(standing("p6", 200, 0))}))

	var pages [][]string
	var after *standings.Entry
	for {
		page, err := h.client.Top(ctx, key("daily", "2026-11-24"), 3, after)
		require.NoError(t, err)
		require.Equal(t, 7, page.Total)
		pages = append(pages, ids(page.Entries))
		if page.NextCursor == "" {
			break
		}
		key, err := standings.DecodeCursor(page.NextCursor)
		require.NoError(t, err)
		after = &key
	}
	require.Equal(t, [][]string{
		{"1:p6", "2:p0", "3:p1"},
		{"4:p2", "5:p3", "6:p4"},
		{"7:p5"},
	}, pages)

	ranked, total, found, err := h.client.Rank(ctx, key("daily", "2026-11-24"), "p2")
	require.NoError(t, err)
	require.True(t, found)
	require.Equal(t, 7, total)
	require.Equal(t, 4, ranked.Rank)
	require.Equal(t, "u-p2", ranked.Username)
	require.True(t, ranked.AchievedAt.Equal(rows[2].AchievedAt))

	_, _, found, err = h.client.Rank(ctx, key("daily", "2026-11-24"), "nobody")
	require.NoError(t, err)
	require.False(t, found)

	around, total, found, err := h.client.Around(ctx, key("daily", "2026-11-24"), "p6", 1)
	require.NoError(t, err)
	require.True(t, found)
	require.Equal(t, 7, total)
	require.Equal(t, []string{"1:p6", "2:p0"}, ids(around))
}

func TestClient_BadQueries(t *testing.T) {
	t.Parallel()
	h := newHarness(t, storeWith(today), nil)
	ctx := testCtx(t)
	tests := []struct {
		name string
		call func() error
	}{
		{"unknown board", func() error { _, err := h.client.Top(ctx, key("yearly", "2026"), 10, nil); return err }},
		{"bad period", func() error { _, err := h.client.Top(ctx, key("daily", "2026-W48"), 10, nil); return err }},
		{"zero limit", func() error { _, err := h.client.Top(ctx, key("daily", "2026-11-24"), 0, nil); return err }},
		{"limit too large", func() error { _, err := h.client.Top(ctx, key("daily", "2026-11-24"), MaxPageSize+1, nil); return err }},
		{"negative radius", func() error { _, _, _, err := h.client.Around(ctx, key("global", "all"), "p", -1); return err }},
		{"radius too large", func() error { _, _, _, err := h.client.Around(ctx, key("global", "all"), "p", MaxRadius+1); return err }},
		{"rank bad period", func() error { _, _, _, err := h.client.Rank(ctx, key("monthly", "2026-13"), "p"); return err }},
		{"apply bad period", func() error { return h.client.Apply(ctx, key("weekly", "2026-W54"), nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.ErrorIs(t, tt.call(), ErrBadQuery)
		})
	}
}

func TestClient_Unavailable(t *testing.T) {
	t.Parallel()
	store := storeWith(today)
	store.failures = 1
	h := newHarness(t, store, nil)
	_, err := h.client.Top(testCtx(t), key("daily", "2026-11-24"), 5, nil)
	require.ErrorIs(t, err, grains.ErrUnavailable)
}

func TestParseIdentity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id   string
		want standings.Key
		ok   bool
	}{
		{"classic/daily/2026-11-24", standings.Key{Mode: "classic", Board: standings.Daily, Period: "2026-11-24"}, true},
		{"frenzy/weekly/2026-W48", standings.Key{Mode: "frenzy", Board: standings.Weekly, Period: "2026-W48"}, true},
		{"classic-hard/monthly/2026-11", standings.Key{Mode: "classic-hard", Board: standings.Monthly, Period: "2026-11"}, true},
		{"classic/global/all", standings.Key{Mode: "classic", Board: standings.Global, Period: "all"}, true},
		{"daily/2026-11-24", standings.Key{}, false},
		{"global/all", standings.Key{}, false},
		{"classic/daily/2026-11-24/x", standings.Key{}, false},
		{"classic/hourly/2026", standings.Key{}, false},
		{"Classic/daily/2026-11-24", standings.Key{}, false},
		{"/daily/2026-11-24", standings.Key{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			k, err := ParseIdentity(tt.id)
			if !tt.ok {
				require.ErrorIs(t, err, ErrBadQuery)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, k)
			require.Equal(t, tt.id, k.Identity())
		})
	}
}

// TestClient_RenameReachesLiveGrains: a rename shows on a live grain at
// once, in place (same rank), on every current board where the player
// stands; boards without the player are left alone.
func TestClient_RenameReachesLiveGrains(t *testing.T) {
	t.Parallel()
	h := newHarness(t, storeWith(today, standing("p0", 100, 0), standing("p1", 90, 1)), nil)
	ctx := testCtx(t)
	before, _, found, err := h.client.Rank(ctx, key("daily", "2026-11-24"), "p1")
	require.NoError(t, err)
	require.True(t, found)
	require.Equal(t, "u-p1", before.Username)

	require.NoError(t, h.client.Rename(ctx, []string{"classic"}, "p1", "new-name", now))
	after, _, found, err := h.client.Rank(ctx, key("daily", "2026-11-24"), "p1")
	require.NoError(t, err)
	require.True(t, found)
	require.Equal(t, "new-name", after.Username)
	require.Equal(t, before.Rank, after.Rank)
	require.Equal(t, before.Score, after.Score)
	page, err := h.client.Top(ctx, key("daily", "2026-11-24"), 10, nil)
	require.NoError(t, err)
	require.Equal(t, []string{"u-p0", "new-name"}, []string{page.Entries[0].Username, page.Entries[1].Username})
	_, _, found, err = h.client.Rank(ctx, key("weekly", standings.Weekly.PeriodKey(now)), "p1")
	require.NoError(t, err)
	require.False(t, found, "a board the player is not on gains no entry")
}
