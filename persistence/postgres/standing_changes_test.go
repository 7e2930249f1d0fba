package postgres_test

import (
	"context"
	"sort"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// since reads the global board's entries written since mark, as
// "player=score" sorted, and the next mark.
func since(t *testing.T, s *postgres.Store, mark persistence.StandingMark) ([]string, persistence.StandingMark) {
	t.Helper()
	var got []string
	next, err := s.StandingsSince(ctxT(t), persistence.BoardKey{Mode: "classic", Board: "global", Period: "all"}, mark, func(st persistence.Standing) error {
		got = append(got, st.Username+"="+strconv.FormatInt(st.Score, 10))
		return nil
	})
	require.NoError(t, err)
	sort.Strings(got)
	return got, next
}

// TestStore_StandingsSince proves the high-water mark misses no write, even
// one whose transaction began before the mark and committed after it.
func TestStore_StandingsSince(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	now := clk.Now()
	a, b, c := newGuest(t, s), newGuest(t, s), newGuest(t, s)
	commit(t, s, soloResult(newSession(t, s, a.ID, now), a, 1, now), soloResult(newSession(t, s, b.ID, now), b, 2, now))

	all, mark := since(t, s, 0)
	require.ElementsMatch(t, []string{a.Username + "=1", b.Username + "=2"}, all, "zero reads every entry")
	// Entries may be read again (any transaction still open in the cluster
	// holds the mark back), so only what must be read is asserted.

	// A writer that is still open when the next mark is taken...
	conn, err := pgx.Connect(ctxT(t), url)
	require.NoError(t, err)
	defer func() { _ = conn.Close(context.Background()) }()
	tx, err := conn.Begin(ctxT(t))
	require.NoError(t, err)
	_, err = tx.Exec(ctxT(t), `UPDATE leaderboard_records SET score = 9 WHERE player_id = $1 AND board = 'global'`, a.ID)
	require.NoError(t, err)
	// ...while a later one commits first.
	commit(t, s, soloResult(newSession(t, s, c.ID, now), c, 3, now))
	got, mark := since(t, s, mark)
	require.Contains(t, got, c.Username+"=3")
	require.NotContains(t, got, a.Username+"=9", "the open write is not visible yet")

	require.NoError(t, tx.Commit(ctxT(t)))
	got, _ = since(t, s, mark)
	require.Contains(t, got, a.Username+"=9", "the write that committed late is read by the next call")
	_, next := since(t, s, mark)
	require.GreaterOrEqual(t, next, mark, "marks never go back")
}

// A better score committed later is read after the mark: the commit's
// upsert stamps its own write (migration 016's trigger skips such rows).
func TestStore_StandingsSince_BetterScoreIsStamped(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	now := clk.Now()
	b := newGuest(t, s)
	commit(t, s, soloResult(newSession(t, s, b.ID, now), b, 2, now))
	_, mark := since(t, s, 0)
	commit(t, s, soloResult(newSession(t, s, b.ID, now), b, 5, now))
	got, _ := since(t, s, mark)
	require.Contains(t, got, b.Username+"=5")
}
