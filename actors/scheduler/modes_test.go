package scheduler_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/scheduler"
	"github.com/proofstell/proofstell/chain/merkle"
	"github.com/proofstell/proofstell/persistence"
)

// failingModes is the real mode catalogue behind a switch that makes its
// listing fail, as an unreachable database would on a cold cache.
type failingModes struct {
	store scheduler.ModeLister
	fail  atomic.Bool
}

func (f *failingModes) AllModes(ctx context.Context) ([]persistence.Mode, error) {
	if f.fail.Load() {
		return nil, errors.New("catalogue unreachable")
	}
	return f.store.AllModes(ctx)
}

// setRanked makes a mode ranked or practice through the catalogue.
func setRanked(t *testing.T, w *world, mode string, ranked bool) {
	t.Helper()
	_, err := w.store.UpdateMode(w.ctx, persistence.SystemActor("test"), mode, persistence.ModeUpdate{Ranked: &ranked})
	require.NoError(t, err)
}

type modeCloseRow struct {
	Mode, Board, Period string
}

func readModeCloses(t *testing.T, w *world) []modeCloseRow {
	t.Helper()
	var out []modeCloseRow
	withConn(t, w, func(conn *pgx.Conn) {
		rows, err := conn.Query(w.ctx, `SELECT mode, board, period FROM leaderboard_period_closes ORDER BY mode, board, period`)
		require.NoError(t, err)
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[modeCloseRow])
		require.NoError(t, err)
	})
	return out
}

// rootOf is the Merkle root of records ranked by the documented rule.
func rootOf(t *testing.T, recs []record) string {
	t.Helper()
	ranked := expectedRanking(recs)
	leaves := make([]merkle.Leaf, len(ranked))
	for i, r := range ranked {
		leaves[i] = merkle.Leaf{Rank: uint64(i + 1), Player: uuid.MustParse(r.PlayerID), Score: uint64(r.Score)}
	}
	tree, err := merkle.Build(merkle.LeafV2, leaves)
	require.NoError(t, err)
	return tree.Root()
}

// TestScheduler_ClosesAndFreezesEachRankedMode: every ranked mode's periods
// close and freeze on their own (own close row, own root over its own
// records, own announcement on the mode's topic); practice modes' do not; a
// mode made ranked later is picked up at the next tick, and a failed
// listing of the modes keeps closing the known ones and is retried.
func TestScheduler_ClosesAndFreezesEachRankedMode(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	setRanked(t, w, "classic-easy", false)
	setRanked(t, w, "classic-hard", false)
	classic := seedModeRecords(t, w, "classic", "daily", "2026-11-23", 30, 7)
	frenzy := seedModeRecords(t, w, "frenzy", "daily", "2026-11-23", 20, 13)
	seedModeRecords(t, w, "classic-easy", "daily", "2026-11-23", 5, 17)
	modes := &failingModes{store: w.store}

	j := w.spawnWith(w.lead("node-a"), ts("2026-11-24T12:00:00Z"), func(d *scheduler.Deps) {
		d.Standings, d.Periods, d.Modes = w.store, w.store, modes
	})
	j.tickAt(ts("2026-11-24T12:00:00Z"), 6)
	require.ElementsMatch(t, []announcement{
		closedAnn("daily", "2026-11-23"), closedAnn("weekly", "2026-W47"), closedAnn("monthly", "2026-10"),
		modeClosedAnn("frenzy", "daily", "2026-11-23"), modeClosedAnn("frenzy", "weekly", "2026-W47"),
		modeClosedAnn("frenzy", "monthly", "2026-10"),
	}, j.pub.take())
	require.Equal(t, 1.0, j.freezes("daily", "frozen"))
	require.Equal(t, 1.0, j.freezes("frenzy/daily", "frozen"))

	roots := readRoots(t, w)
	require.Len(t, roots, 2, "practice modes get no root")
	require.Equal(t, rootOf(t, classic), roots["classic/daily/2026-11-23"].Root)
	require.Equal(t, rootOf(t, frenzy), roots["frenzy/daily/2026-11-23"].Root)
	require.NotEqual(t, roots["classic/daily/2026-11-23"].Root, roots["frenzy/daily/2026-11-23"].Root)
	require.Len(t, readModeFrozen(t, w, "frenzy", "daily", "2026-11-23"), 20)
	require.Len(t, readModeFrozen(t, w, "classic", "daily", "2026-11-23"), 30)

	// The catalogue fails over the next midnight: the known modes close.
	setRanked(t, w, "classic-easy", true)
	modes.fail.Store(true)
	j.tickAt(ts("2026-11-25T00:00:01Z"), 2)
	require.ElementsMatch(t, []announcement{
		closedAnn("daily", "2026-11-24"), modeClosedAnn("frenzy", "daily", "2026-11-24"),
	}, j.pub.take())
	require.Eventually(t, func() bool {
		return testutil.ToFloat64(j.metrics.ModeListings.WithLabelValues("error")) >= 1
	}, wait, time.Millisecond)

	// It answers again: the newly ranked mode re-checks its last periods.
	modes.fail.Store(false)
	j.tickAt(ts("2026-11-25T00:00:02Z"), 3)
	require.ElementsMatch(t, []announcement{
		modeClosedAnn("classic-easy", "daily", "2026-11-24"), modeClosedAnn("classic-easy", "weekly", "2026-W47"),
		modeClosedAnn("classic-easy", "monthly", "2026-10"),
	}, j.pub.take())
	j.tickAt(ts("2026-11-25T00:00:03Z"), 0)

	require.Equal(t, []modeCloseRow{
		{"classic", "daily", "2026-11-23"}, {"classic", "daily", "2026-11-24"}, {"classic", "monthly", "2026-10"},
		{"classic", "weekly", "2026-W47"},
		{"classic-easy", "daily", "2026-11-24"}, {"classic-easy", "monthly", "2026-10"}, {"classic-easy", "weekly", "2026-W47"},
		{"frenzy", "daily", "2026-11-23"}, {"frenzy", "daily", "2026-11-24"}, {"frenzy", "monthly", "2026-10"},
		{"frenzy", "weekly", "2026-W47"},
	}, readModeCloses(t, w))

	// A takeover repeats every ranked mode's closes and freezes: nothing
	// new is written or announced.
	b := w.spawnWith(w.lead("node-b"), ts("2026-11-25T00:00:04Z"), func(d *scheduler.Deps) {
		d.Standings, d.Periods, d.Modes = w.store, w.store, modes
	})
	b.tickAt(ts("2026-11-25T00:00:04Z"), 9)
	require.Empty(t, b.pub.take())
	require.Equal(t, 0.0, b.freezes("frenzy/daily", "frozen"))
	require.Len(t, readRoots(t, w), 2)
}
