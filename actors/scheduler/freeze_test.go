package scheduler_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
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

// record is one seeded leaderboard_records row.
type record struct {
	PlayerID   string
	Score      int64
	AchievedAt time.Time
	SessionID  string // the game that set it (no replay: a v2 leaf holds zeros)
}

// seedRecords writes n players' best scores for board/period, with many
// equal scores and some equal times so every tie-break rule is exercised.
func seedRecords(t *testing.T, w *world, board, period string, n int) []record {
	t.Helper()
	return seedModeRecords(t, w, "classic", board, period, n, 7)
}

// seedModeRecords is seedRecords for any mode's board, with players drawn
// from seed.
func seedModeRecords(t *testing.T, w *world, mode, board, period string, n int, seed uint64) []record {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 11))
	base := ts("2026-11-23T08:00:00Z")
	recs := make([]record, n)
	for i := range recs {
		var id uuid.UUID
		for j := range id {
			id[j] = byte(rng.UintN(256))
		}
		recs[i] = record{PlayerID: id.String(), Score: int64(rng.IntN(20)),
			AchievedAt: base.Add(time.Duration(rng.IntN(5)) * time.Minute), SessionID: uuid.NewString()}
	}
	withConn(t, w, func(conn *pgx.Conn) {
		for _, r := range recs {
			_, err := conn.Exec(w.ctx, `INSERT INTO leaderboard_records
				(mode, board, period, player_id, username, score, achieved_at, session_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
				mode, board, period, r.PlayerID, "p-"+r.PlayerID[:8], r.Score, r.AchievedAt, r.SessionID)
			require.NoError(t, err)
		}
	})
	return recs
}

// expectedRanking ranks the records by the documented rule, written out
// here rather than through actors/leaderboard/standings.
func expectedRanking(recs []record) []record {
	out := slices.Clone(recs)
	slices.SortFunc(out, func(a, b record) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), a.AchievedAt.Compare(b.AchievedAt), cmp.Compare(a.PlayerID, b.PlayerID))
	})
	return out
}

type rootRow struct {
	Root      string
	LeafCount int
	Status    string
	TxHash    *string
	CreatedAt time.Time
}

func readRoots(t *testing.T, w *world) map[string]rootRow {
	t.Helper()
	out := map[string]rootRow{}
	withConn(t, w, func(conn *pgx.Conn) {
		rows, err := conn.Query(w.ctx, `SELECT mode || '/' || board || '/' || period, root, leaf_count, status, tx_hash, created_at FROM period_roots`)
		require.NoError(t, err)
		for rows.Next() {
			var key string
			var r rootRow
			require.NoError(t, rows.Scan(&key, &r.Root, &r.LeafCount, &r.Status, &r.TxHash, &r.CreatedAt))
			out[key] = r
		}
		require.NoError(t, rows.Err())
	})
	return out
}

func readFrozen(t *testing.T, w *world, board, period string) []persistence.PeriodStanding {
	t.Helper()
	return readModeFrozen(t, w, "classic", board, period)
}

func readModeFrozen(t *testing.T, w *world, mode, board, period string) []persistence.PeriodStanding {
	t.Helper()
	got, err := w.store.PeriodStandings(w.ctx, persistence.BoardKey{Mode: mode, Board: board, Period: period})
	require.NoError(t, err)
	return got
}

func (j *job) freezes(board, outcome string) float64 {
	return testutil.ToFloat64(j.metrics.Freezes.WithLabelValues(board, outcome))
}

// spawnFreezing is spawn with the freeze wired, as cmd does.
func (w *world) spawnFreezing(lease persistence.Lease, start time.Time) *job {
	return w.spawnWith(lease, start, func(d *scheduler.Deps) { d.Standings, d.Periods = w.store, w.store })
}

// TestScheduler_FreezesAClosedPeriodOnce: the close freezes the period's
// standings in ranking order and stores one pending root; a takeover that
// repeats the close stores and changes nothing; empty periods get no root.
func TestScheduler_FreezesAClosedPeriodOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	recs := seedRecords(t, w, "daily", "2026-11-23", 200)

	a := w.spawnFreezing(w.lead("node-a"), ts("2026-11-24T23:59:59Z"))
	a.tickAt(ts("2026-11-24T23:59:59Z"), 3)
	require.Len(t, a.pub.take(), 3, "closes are still announced")
	require.Equal(t, 1.0, a.freezes("daily", "frozen"))
	require.Equal(t, 1.0, a.freezes("weekly", "empty"))
	require.Equal(t, 1.0, a.freezes("monthly", "empty"))

	want := expectedRanking(recs)
	frozen := readFrozen(t, w, "daily", "2026-11-23")
	require.Len(t, frozen, len(want))
	leaves := make([]merkle.Leaf, len(want))
	for i, r := range want {
		require.Equal(t, persistence.PeriodStanding{Rank: i + 1, PlayerID: r.PlayerID, Score: r.Score,
			AchievedAt: r.AchievedAt, SessionID: r.SessionID}, withUTC(frozen[i]), "rank %d", i+1)
		leaves[i] = merkle.Leaf{Rank: uint64(i + 1), Player: uuid.MustParse(r.PlayerID), Score: uint64(r.Score)}
	}
	tree, err := merkle.Build(merkle.LeafV2, leaves)
	require.NoError(t, err)
	roots := readRoots(t, w)
	require.Len(t, roots, 1)
	first := roots["classic/daily/2026-11-23"]
	require.Equal(t, tree.Root(), first.Root)
	require.Equal(t, 200, first.LeafCount)
	require.Equal(t, "pending", first.Status)
	require.Nil(t, first.TxHash)

	// A takeover re-runs the same closes: nothing new is stored, even after
	// a late record would change the ranking.
	withConn(t, w, func(conn *pgx.Conn) {
		_, err := conn.Exec(w.ctx, `UPDATE leaderboard_records SET score = score + 100 WHERE period = '2026-11-23'
			AND player_id = $1`, want[len(want)-1].PlayerID)
		require.NoError(t, err)
	})
	b := w.spawnFreezing(w.lead("node-b"), ts("2026-11-24T23:59:59Z"))
	b.tickAt(ts("2026-11-24T23:59:59Z"), 3)
	require.Empty(t, b.pub.take())
	require.Equal(t, 1.0, b.freezes("daily", "already_frozen"))
	require.Equal(t, 0.0, b.freezes("daily", "frozen"))
	require.Equal(t, map[string]rootRow{"classic/daily/2026-11-23": first}, readRoots(t, w))
	require.Equal(t, frozen, readFrozen(t, w, "daily", "2026-11-23"))
}

// TestScheduler_RetriesAFailedFreeze keeps a closed period pending while its
// freeze fails and freezes it on a later tick without announcing twice.
func TestScheduler_RetriesAFailedFreeze(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	seedRecords(t, w, "daily", "2026-11-24", 5)
	j := w.spawnFreezing(w.lead("node-a"), ts("2026-11-24T23:59:59Z"))
	j.tickAt(ts("2026-11-24T23:59:59Z"), 3)
	j.pub.take()

	renameTable(t, w, "period_roots", "period_roots_away")
	j.tickAt(ts("2026-11-25T00:00:01Z"), 1)
	require.Equal(t, 1.0, j.freezes("daily", "error"))
	require.Equal(t, []announcement{closedAnn("daily", "2026-11-24")}, j.pub.take())
	renameTable(t, w, "period_roots_away", "period_roots")

	j.tickAt(ts("2026-11-25T00:00:02Z"), 1)
	require.Equal(t, 1.0, j.count("daily", "already_closed"), "the retry repeats the close")
	require.Equal(t, 1.0, j.freezes("daily", "frozen"))
	require.Empty(t, j.pub.take(), "and announces nothing again")
	require.Contains(t, readRoots(t, w), "classic/daily/2026-11-24")
	j.tickAt(ts("2026-11-25T00:00:03Z"), 0)
}

func renameTable(t *testing.T, w *world, from, to string) {
	t.Helper()
	withConn(t, w, func(conn *pgx.Conn) {
		_, err := conn.Exec(w.ctx, fmt.Sprintf(`ALTER TABLE %s RENAME TO %s`, from, to))
		require.NoError(t, err)
	})
}

func withUTC(st persistence.PeriodStanding) persistence.PeriodStanding {
	st.AchievedAt = st.AchievedAt.UTC()
	return st
}
