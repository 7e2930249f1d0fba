package leaderboard

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/persistence"
)

// TestClient_BoardsPerMode: the same board and period of two modes are two
// grains over two sets of standings; applies, reads (through the node's
// views and through requests) and live updates never cross between them.
func TestClient_BoardsPerMode(t *testing.T) {
	t.Parallel()
	frenzyToday := "frenzy/daily/2026-11-24"
	store := storeWith(today, standing("alice", 50, 0))
	store.put(frenzyToday, standing("bob", 90, 0))
	for _, views := range []*Views{nil, NewViews()} {
		h := newHarness(t, store, func(d *Deps) { d.Views = views })
		ctx := testCtx(t)
		frenzy := standings.Key{Mode: "frenzy", Board: standings.Daily, Period: "2026-11-24"}
		classic := key("daily", "2026-11-24")

		require.NoError(t, h.client.Apply(ctx, frenzy, []standings.Entry{entryOf(standing("carol", 70, 0))}))
		page, err := h.client.Top(ctx, frenzy, 10, nil)
		require.NoError(t, err)
		require.Equal(t, []string{"1:bob", "2:carol"}, ids(page.Entries))
		page, err = h.client.Top(ctx, classic, 10, nil)
		require.NoError(t, err)
		require.Equal(t, []string{"1:alice"}, ids(page.Entries))
		_, _, found, err := h.client.Rank(ctx, classic, "bob")
		require.NoError(t, err)
		require.False(t, found, "bob played frenzy only")

		h.root.Send(h.pid(t, frenzyToday), &PublishTick{})
		h.ask(t, h.pid(t, frenzyToday), &protos.RankQuery{})
		h.pub.mu.Lock()
		require.Equal(t, []string{"leaderboard:frenzy/daily"}, h.pub.topics, "classic published nothing")
		var update events.LeaderboardUpdate
		require.NoError(t, json.Unmarshal(h.pub.events[0].GetData(), &update))
		h.pub.mu.Unlock()
		require.Equal(t, "frenzy", update.Mode)
		require.Equal(t, "daily", update.LeaderboardID)
	}
}

// TestClient_RejectsBadKeys: a key with a malformed mode never reaches a
// grain.
func TestClient_RejectsBadKeys(t *testing.T) {
	t.Parallel()
	h := newHarness(t, storeWith(today), nil)
	for _, mode := range []string{"", "Frenzy", "a/b", "x-very-long-mode-name-of-24"} {
		_, err := h.client.Top(testCtx(t), standings.Key{Mode: mode, Board: standings.Daily, Period: "2026-11-24"}, 5, nil)
		require.ErrorIs(t, err, ErrBadQuery, mode)
	}
}

func TestKey_Series(t *testing.T) {
	t.Parallel()
	require.Equal(t, "daily", key("daily", "2026-11-24").Series())
	require.Equal(t, "frenzy/daily", standings.Key{Mode: "frenzy", Board: standings.Daily}.Series())
	require.Equal(t, "leaderboard:frenzy/weekly", Topic(standings.Key{Mode: "frenzy", Board: standings.Weekly}))
}

// TestModeNameRule: the rules package and the stores check mode names
// alike (neither may import the other).
func TestModeNameRule(t *testing.T) {
	t.Parallel()
	require.Equal(t, persistence.ModeNamePattern.String(), standings.ModeNamePattern())
}
