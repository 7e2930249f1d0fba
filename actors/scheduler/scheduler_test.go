package scheduler_test

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// TestScheduler_ClosesEachPeriodOnceAcrossATakeover: a leader closes the day
// at midnight; a new leader crossing the same midnight closes and announces
// nothing again; the old leader, fenced, writes nothing and stops.
func TestScheduler_ClosesEachPeriodOnceAcrossATakeover(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	leaseA := w.lead("node-a")
	a := w.spawn(leaseA, ts("2026-11-24T23:59:59Z"))

	// The first tick of a leadership catches up on the last ended periods.
	a.tickAt(ts("2026-11-24T23:59:59Z"), 3)
	require.ElementsMatch(t, []announcement{
		closedAnn("daily", "2026-11-23"), closedAnn("weekly", "2026-W47"), closedAnn("monthly", "2026-10"),
	}, a.pub.take())
	a.tickAt(ts("2026-11-24T23:59:59.5Z"), 0)
	a.tickAt(ts("2026-11-25T00:00:01Z"), 1)
	require.Equal(t, []announcement{closedAnn("daily", "2026-11-24")}, a.pub.take())
	require.Equal(t, 4.0, a.count("daily", "closed")+a.count("weekly", "closed")+a.count("monthly", "closed"))

	// Node A's lease expires and B takes over; B's scheduler runs through
	// the same midnight (its clock a little behind).
	leaseB := w.lead("node-b")
	require.Equal(t, leaseA.Epoch+1, leaseB.Epoch)
	b := w.spawn(leaseB, ts("2026-11-24T23:59:58Z"))
	b.tickAt(ts("2026-11-24T23:59:58Z"), 3)
	b.tickAt(ts("2026-11-25T00:00:02Z"), 1)
	require.Empty(t, b.pub.take(), "a takeover announces nothing twice")
	require.Equal(t, 4.0, b.count("daily", "already_closed")+b.count("weekly", "already_closed")+
		b.count("monthly", "already_closed"))

	// A, still running, crosses the next midnight with its old epoch.
	a.tickAt(ts("2026-11-26T00:00:01Z"), 1)
	require.Equal(t, 1.0, a.count("daily", "stale_epoch"))
	require.Empty(t, a.pub.take())
	require.Eventually(t, func() bool { return !a.alive() }, wait, time.Millisecond, "a fenced scheduler stops")

	b.tickAt(ts("2026-11-26T00:00:03Z"), 1)
	require.Equal(t, []announcement{closedAnn("daily", "2026-11-25")}, b.pub.take())

	require.Equal(t, []closeRow{
		{"daily", "2026-11-23", "node-a", 1}, {"daily", "2026-11-24", "node-a", 1}, {"daily", "2026-11-25", "node-b", 2},
		{"monthly", "2026-10", "node-a", 1}, {"weekly", "2026-W47", "node-a", 1},
	}, readCloses(t, w))
}

// TestScheduler_Boundaries crosses each kind of rollover once, after a first
// tick whose catch-up is set aside.
func TestScheduler_Boundaries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		from, to  string
		announced []announcement
	}{
		{name: "midnight", from: "2026-11-24T23:59:59Z", to: "2026-11-25T00:00:00Z",
			announced: []announcement{closedAnn("daily", "2026-11-24")}},
		{name: "end of ISO week", from: "2026-11-29T23:59:59Z", to: "2026-11-30T00:00:01Z",
			announced: []announcement{closedAnn("daily", "2026-11-29"), closedAnn("weekly", "2026-W48")}},
		{name: "end of month", from: "2026-11-30T23:59:59Z", to: "2026-12-01T00:00:01Z",
			announced: []announcement{closedAnn("daily", "2026-11-30"), closedAnn("monthly", "2026-11")}},
		{name: "end of year inside ISO week 53", from: "2026-12-31T23:59:59Z", to: "2027-01-01T00:00:01Z",
			announced: []announcement{closedAnn("daily", "2026-12-31"), closedAnn("monthly", "2026-12")}},
		{name: "no boundary", from: "2026-11-24T00:00:01Z", to: "2026-11-24T23:59:59Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			j := w.spawn(w.lead("node-a"), ts(tc.from))
			j.tickAt(ts(tc.from), 3)
			j.pub.take()
			j.tickAt(ts(tc.to), len(tc.announced))
			require.ElementsMatch(t, tc.announced, j.pub.take())
		})
	}
}

// TestScheduler_RetriesAFailedClose keeps a period pending while the
// database is unreachable and closes it on a later tick.
func TestScheduler_RetriesAFailedClose(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	j := w.spawn(w.lead("node-a"), ts("2026-11-24T23:59:59Z"))
	j.tickAt(ts("2026-11-24T23:59:59Z"), 3)
	j.pub.take()

	blockCloses(t, w)
	j.tickAt(ts("2026-11-25T00:00:01Z"), 1)
	require.Equal(t, 1.0, j.count("daily", "error"))
	require.Empty(t, j.pub.take())
	unblockCloses(t, w)
	j.tickAt(ts("2026-11-25T00:00:02Z"), 1)
	require.Equal(t, 2.0, j.count("daily", "closed"), "the catch-up close and the retried one")
	require.Equal(t, []announcement{closedAnn("daily", "2026-11-24")}, j.pub.take())
}

type closeRow struct {
	Board, Period, ClosedBy string
	Epoch                   int64
}

func readCloses(t *testing.T, w *world) []closeRow {
	t.Helper()
	var out []closeRow
	withConn(t, w, func(conn *pgx.Conn) {
		rows, err := conn.Query(w.ctx, `SELECT board, period, closed_by, epoch FROM leaderboard_period_closes ORDER BY board, period`)
		require.NoError(t, err)
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[closeRow])
		require.NoError(t, err)
	})
	return out
}

// blockCloses makes every close fail, as an unreachable table would.
func blockCloses(t *testing.T, w *world) {
	t.Helper()
	withConn(t, w, func(conn *pgx.Conn) {
		_, err := conn.Exec(w.ctx, `ALTER TABLE leaderboard_period_closes RENAME TO period_closes_away`)
		require.NoError(t, err)
	})
}

func unblockCloses(t *testing.T, w *world) {
	t.Helper()
	withConn(t, w, func(conn *pgx.Conn) {
		_, err := conn.Exec(w.ctx, `ALTER TABLE period_closes_away RENAME TO leaderboard_period_closes`)
		require.NoError(t, err)
	})
}

func withConn(t *testing.T, w *world, fn func(*pgx.Conn)) {
	t.Helper()
	conn, err := pgx.Connect(w.ctx, w.url)
	require.NoError(t, err)
	defer func() { _ = conn.Close(w.ctx) }()
	fn(conn)
}
