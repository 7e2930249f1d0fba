package postgres_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

func TestStore_PlayerSessions(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	p := newGuest(t, s)
	t0 := clk.Now()
	var want []string // newest first
	for i := range 5 {
		// Two sessions share a creation time: the id breaks the tie.
		created := t0.Add(time.Duration(i/2) * time.Minute)
		ss := newSession(t, s, p.ID, created)
		commit(t, s, soloResult(ss, p, int64(i), created.Add(30*time.Second)))
		want = append([]string{ss.ID}, want...)
	}
	newSession(t, s, p.ID, t0) // never finished: not in history

	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 5, "pagination must end")
		page, next, err := s.PlayerSessions(ctxT(t), p.ID, 2, cursor)
		require.NoError(t, err)
		for _, sum := range page {
			got = append(got, sum.ID)
			require.Equal(t, persistence.StateFinished, sum.State)
			require.Equal(t, "classic", sum.Mode)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	require.Len(t, got, 5)
	// Same-time sessions come back id-descending; check order by times and the set.
	require.ElementsMatch(t, want, got)
	all, next, err := s.PlayerSessions(ctxT(t), p.ID, 10, "")
	require.NoError(t, err)
	require.Empty(t, next)
	for i := 1; i < len(all); i++ {
		require.False(t, all[i].CreatedAt.After(all[i-1].CreatedAt), "newest first")
	}
	for i, sum := range all {
		require.Equal(t, got[i], sum.ID, "pages concatenate to the full list")
	}
}

func TestStore_PlayerSessions_Edges(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	page, next, err := s.PlayerSessions(ctxT(t), uuid.NewString(), 10, "")
	require.NoError(t, err)
	require.Empty(t, page)
	require.Empty(t, next)
	for _, bad := range []string{"%%%", "bm90LWEtY3Vyc29y"} {
		_, _, err = s.PlayerSessions(ctxT(t), uuid.NewString(), 10, bad)
		require.ErrorIs(t, err, persistence.ErrBadCursor)
	}
}
