package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// insertOutbox writes one outbox row through q (a connection or an open
// transaction), as every producer does: tx comes from the column default.
func insertOutbox(t testing.TB, q interface {
	Exec(context.Context, string, ...any) (pgconn.CommandTag, error)
}, topic, key string) {
	t.Helper()
	_, err := q.Exec(context.Background(), `INSERT INTO outbox (topic, key, payload) VALUES ($1, $2, '{}')`, topic, key)
	require.NoError(t, err)
}

func connect(t testing.TB, url string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	return c
}

// readAtLeast reads consumer's rows until n are readable. Transaction ids
// are cluster-wide, so a transaction open in any database of the shared
// server (another test's) holds the horizon back for a moment.
func readAtLeast(t testing.TB, s *postgres.Store, consumer string, topics []string, limit, n int) ([]persistence.OutboxRow, persistence.OutboxCursor) {
	t.Helper()
	var (
		rows []persistence.OutboxRow
		cur  persistence.OutboxCursor
	)
	require.Eventually(t, func() bool {
		var err error
		rows, cur, err = s.ReadAfter(context.Background(), consumer, topics, limit)
		require.NoError(t, err)
		return len(rows) >= n
	}, 20*time.Second, 5*time.Millisecond, "%d rows of %v readable", n, topics)
	return rows, cur
}

func keys(rows []persistence.OutboxRow) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, r.Key)
	}
	return out
}

func TestStore_ReadAfter(t *testing.T) {
	t.Parallel()
	s, _, url := newStore(t)
	c := connect(t, url)
	ctx := ctxT(t)
	for _, k := range []string{"a", "b", "c"} {
		insertOutbox(t, c, "game.finished", k)
	}
	insertOutbox(t, c, "other", "x")

	rows, cur := readAtLeast(t, s, "p", []string{"game.finished"}, 2, 2)
	require.Equal(t, persistence.OutboxCursor{}, cur, "a new consumer starts before every row")
	require.Equal(t, []string{"a", "b"}, keys(rows), "oldest first, up to limit, only the topics asked")
	require.True(t, rows[0].At.Less(rows[1].At))
	require.Equal(t, "game.finished", rows[0].Topic)
	require.JSONEq(t, `{}`, string(rows[0].Payload))

	again, _, err := s.ReadAfter(ctx, "p", []string{"game.finished"}, 2)
	require.NoError(t, err)
	require.Equal(t, keys(rows), keys(again), "reading changes nothing")

	require.NoError(t, s.Advance(ctx, "p", rows[1].At))
	rest, cur := readAtLeast(t, s, "p", []string{"game.finished", "other"}, 10, 2)
	require.Equal(t, rows[1].At, cur)
	require.Equal(t, []string{"c", "x"}, keys(rest))

	require.NoError(t, s.Advance(ctx, "p", rows[0].At), "a late advance is harmless")
	_, cur, err = s.ReadAfter(ctx, "p", []string{"game.finished"}, 10)
	require.NoError(t, err)
	require.Equal(t, rows[1].At, cur, "a cursor never moves backward")
	require.NoError(t, s.Advance(ctx, "p", rows[1].At), "advancing to the same place twice is harmless")

	other, _ := readAtLeast(t, s, "q", []string{"game.finished"}, 10, 3)
	require.Equal(t, []string{"a", "b", "c"}, keys(other), "each consumer has its own cursor")

	for _, bad := range []struct {
		topics []string
		limit  int
	}{{nil, 1}, {[]string{"t"}, 0}} {
		_, _, err := s.ReadAfter(ctx, "p", bad.topics, bad.limit)
		require.Error(t, err)
	}
}

// A row whose transaction commits after a later-numbered row's is neither
// skipped nor read early: the reader waits at the horizon, then reads the
// rows in transaction order.
func TestStore_ReadAfterLateCommit(t *testing.T) {
	t.Parallel()
	s, _, url := newStore(t)
	ctx := ctxT(t)
	a, b := connect(t, url), connect(t, url)

	txA, err := a.Begin(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = txA.Rollback(context.Background()) })
	_, err = txA.Exec(ctx, `SELECT pg_current_xact_id()`) // A's transaction id comes first
	require.NoError(t, err)
	insertOutbox(t, b, "t", "b-committed") // lower row id, later transaction, committed
	insertOutbox(t, txA, "t", "a-late")    // higher row id, earlier transaction, open

	rows, _, err := s.ReadAfter(ctx, "r", []string{"t"}, 10)
	require.NoError(t, err)
	require.Empty(t, rows, "an open earlier transaction holds readers back")
	require.NoError(t, s.Advance(ctx, "r", persistence.OutboxCursor{})) // nothing to pass yet

	require.NoError(t, txA.Commit(ctx))
	rows, _ = readAtLeast(t, s, "r", []string{"t"}, 10, 2)
	require.Equal(t, []string{"a-late", "b-committed"}, keys(rows), "transaction order, the late row included")
	require.Greater(t, rows[0].At.ID, rows[1].At.ID, "ids alone would have skipped the late row")

	require.NoError(t, s.Advance(ctx, "r", rows[1].At))
	rows, _, err = s.ReadAfter(ctx, "r", []string{"t"}, 10)
	require.NoError(t, err)
	require.Empty(t, rows)
}

// A rolled-back transaction's row never shows; the reader passes it.
func TestStore_ReadAfterRollback(t *testing.T) {
	t.Parallel()
	s, _, url := newStore(t)
	ctx := ctxT(t)
	c := connect(t, url)
	tx, err := c.Begin(ctx)
	require.NoError(t, err)
	insertOutbox(t, tx, "t", "gone")
	require.NoError(t, tx.Rollback(ctx))
	insertOutbox(t, c, "t", "kept")
	rows, _ := readAtLeast(t, s, "r", []string{"t"}, 10, 1)
	require.Equal(t, []string{"kept"}, keys(rows))
}

// A consumer part-way through a row reads that row again; a cursor moves
// from part to part, then to the whole row, never back.
func TestStore_AdvanceParts(t *testing.T) {
	t.Parallel()
	s, _, url := newStore(t)
	ctx := ctxT(t)
	c := connect(t, url)
	insertOutbox(t, c, "t", "a")
	insertOutbox(t, c, "t", "b")
	rows, _ := readAtLeast(t, s, "r", []string{"t"}, 10, 2)
	a := rows[0].At

	steps := []struct {
		at   persistence.OutboxCursor
		want persistence.OutboxCursor
		keys []string
	}{
		{at: persistence.OutboxCursor{Tx: a.Tx, ID: a.ID, Part: 1}, want: persistence.OutboxCursor{Tx: a.Tx, ID: a.ID, Part: 1}, keys: []string{"a", "b"}},
		{at: persistence.OutboxCursor{Tx: a.Tx, ID: a.ID, Part: 3}, want: persistence.OutboxCursor{Tx: a.Tx, ID: a.ID, Part: 3}, keys: []string{"a", "b"}},
		{at: persistence.OutboxCursor{Tx: a.Tx, ID: a.ID, Part: 2}, want: persistence.OutboxCursor{Tx: a.Tx, ID: a.ID, Part: 3}, keys: []string{"a", "b"}},
		{at: a, want: a, keys: []string{"b"}},
		{at: persistence.OutboxCursor{Tx: a.Tx, ID: a.ID, Part: 5}, want: a, keys: []string{"b"}},
	}
	for _, st := range steps {
		require.NoError(t, s.Advance(ctx, "r", st.at))
		got, cur, err := s.ReadAfter(ctx, "r", []string{"t"}, 10)
		require.NoError(t, err)
		require.Equal(t, st.want, cur, "after advancing to %+v", st.at)
		require.Equal(t, st.keys, keys(got))
	}
	require.Error(t, s.Advance(ctx, "r", persistence.OutboxCursor{Part: -1}))
}
