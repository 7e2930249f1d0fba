package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// boardScores reads a classic board period as player id → score.
func boardScores(t *testing.T, s *postgres.Store, board, period string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	require.NoError(t, s.EachStanding(ctxT(t), persistence.BoardKey{Mode: "classic", Board: board, Period: period},
		func(st persistence.Standing) error {
			out[st.PlayerID] = st.Score
			return nil
		}))
	return out
}

// flaggedMatch commits a match of three players in which the last one
// cheated; it returns the players and the result.
func flaggedMatch(t *testing.T, s *postgres.Store, end time.Time) ([]persistence.Player, persistence.GameResult) {
	t.Helper()
	players := []persistence.Player{newGuest(t, s), newGuest(t, s), newGuest(t, s)}
	r := matchResult(t, s, end, players, []int64{7, 5, 9})
	for i := range r.Players {
		r.Players[i].Flags = 0
	}
	r.Flagged = true
	r.Players[2].Flags, r.Players[2].Flagged = 3, true
	r.Players[2].Evidence = &persistence.FlagEvidence{Reasons: map[string]int{"too_fast": 2, "rate_limited": 1},
		Flags: 3, Hits: 9, Misses: 1, MedianReactionMs: 95,
		Reactions: []persistence.ReactionBucket{{FromMs: 0, ToMs: 100, Count: 8}, {FromMs: 100, ToMs: 0, Count: 1}}}
	require.Equal(t, []persistence.CommitOutcome{persistence.Committed}, commit(t, s, r))
	return players, r
}

// openFlag is the single open flag.
func openFlag(t *testing.T, s *postgres.Store) persistence.Flag {
	t.Helper()
	page, err := s.ListFlags(ctxT(t), persistence.FlagQuery{Status: persistence.FlagOpen, Limit: 10})
	require.NoError(t, err)
	require.Len(t, page.Flags, 1)
	return page.Flags[0]
}

// TestStore_CommitResults_FlagsTheCheaterOnly: in a match, the cheater's
// result is stored flagged, with an open flag carrying its evidence, and
// reaches no board or profile score; the honest players' results count.
func TestStore_CommitResults_FlagsTheCheaterOnly(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	end := clk.Now()
	players, r := flaggedMatch(t, s, end)
	honest, cheat := players[:2], players[2]

	got, stored := storedPlayers(t, s, r.SessionID)
	require.True(t, got.Flagged)
	require.True(t, stored[cheat.ID].Flagged)
	require.EqualValues(t, 9, stored[cheat.ID].Score, "the flagged result is stored")
	for _, p := range honest {
		require.False(t, stored[p.ID].Flagged)
	}
	want := map[string]int64{honest[0].ID: 7, honest[1].ID: 5}
	require.Equal(t, want, boardScores(t, s, "global", "all"))
	require.Equal(t, want, boardScores(t, s, "daily", end.Format(time.DateOnly)))
	st, err := s.Stats(ctxT(t), cheat.ID)
	require.NoError(t, err)
	require.Equal(t, persistence.PlayerStats{GamesPlayed: 1}, st)
	st, err = s.Stats(ctxT(t), honest[0].ID)
	require.NoError(t, err)
	require.Equal(t, persistence.PlayerStats{GamesPlayed: 1, BestScore: 7, TotalScore: 7}, st)

	f := openFlag(t, s)
	require.Equal(t, r.SessionID, f.SessionID)
	require.Equal(t, cheat.ID, f.PlayerID)
	require.Equal(t, cheat.Username, f.Username)
	require.Equal(t, "classic", f.Mode)
	require.EqualValues(t, 9, f.Score)
	require.Equal(t, *r.Players[2].Evidence, f.Evidence)
	require.Equal(t, persistence.FlagOpen, f.Status)
	require.True(t, f.CreatedAt.Equal(clk.Now()))
	require.Empty(t, f.DecidedBy)

	require.Equal(t, []persistence.CommitOutcome{persistence.AlreadyCommitted}, commit(t, s, r))
	openFlag(t, s) // a retried commit opens no second flag
}

// TestStore_ClearFlag_RestoresOnce: clearing restores the held result to
// every open period, the profile and a game.finished row for the player
// alone, exactly once; a second decision conflicts; a period closed since
// keeps its standings.
func TestStore_ClearFlag_RestoresOnce(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	end := clk.Now()
	players, r := flaggedMatch(t, s, end)
	cheat, moderator := players[2], newGuest(t, s)
	f := openFlag(t, s)
	// The weekly board of the match is closed before the clear (as the
	// scheduler would at a rollover); the daily one is still open.
	r2 := flaggedHeldWeekly(t, url, f.ID, end)
	clk.Advance(time.Hour)

	cleared, err := s.ClearFlag(ctxT(t), persistence.SystemActor("test"), persistence.FlagDecision{FlagID: f.ID, By: moderator.ID, Reason: "lag spike, reviewed replay"})
	require.NoError(t, err)
	require.Equal(t, persistence.FlagCleared, cleared.Status)
	require.Equal(t, moderator.ID, cleared.DecidedBy)
	require.Equal(t, "lag spike, reviewed replay", cleared.Reason)
	require.True(t, cleared.DecidedAt.Equal(clk.Now()))

	require.EqualValues(t, 9, boardScores(t, s, "global", "all")[cheat.ID])
	require.EqualValues(t, 9, boardScores(t, s, "daily", end.Format(time.DateOnly))[cheat.ID])
	require.EqualValues(t, 9, boardScores(t, s, "monthly", end.Format("2006-01"))[cheat.ID])
	require.NotContains(t, boardScores(t, s, "weekly", r2), cheat.ID, "a closed period stays as it was")
	require.Empty(t, boardScores(t, s, "daily", end.AddDate(0, 0, -1).Format(time.DateOnly)), "a past period is not open")
	got, stored := storedPlayers(t, s, r.SessionID)
	require.False(t, got.Flagged)
	require.False(t, stored[cheat.ID].Flagged)
	st, err := s.Stats(ctxT(t), cheat.ID)
	require.NoError(t, err)
	require.Equal(t, persistence.PlayerStats{GamesPlayed: 1, BestScore: 9, TotalScore: 9}, st)

	for _, decide := range []func(context.Context, persistence.AuditActor, persistence.FlagDecision) (persistence.Flag, error){
		s.ClearFlag, s.ConfirmFlag} {
		_, err := decide(ctxT(t), persistence.SystemActor("test"), persistence.FlagDecision{FlagID: f.ID, By: moderator.ID, Reason: "again"})
		require.ErrorIs(t, err, persistence.ErrConflict)
	}
	st, err = s.Stats(ctxT(t), cheat.ID)
	require.NoError(t, err)
	require.EqualValues(t, 9, st.TotalScore, "restored once")

	items, err := s.ClaimOutbox(ctxT(t), "game.finished", 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, items, 1)
	require.Equal(t, r.SessionID+"/cleared/"+cheat.ID, items[0].Key)
	var payload struct {
		SessionID, Mode, State string
		Flagged                bool
		Players                []struct{ PlayerID string }
	}
	require.NoError(t, json.Unmarshal(items[0].Payload, &payload))
	require.Equal(t, r.SessionID, payload.SessionID)
	require.Equal(t, "finished", payload.State)
	require.False(t, payload.Flagged)
	require.Len(t, payload.Players, 1)
	require.Equal(t, cheat.ID, payload.Players[0].PlayerID)
}

// flaggedHeldWeekly marks the flag's weekly period closed and returns it.
func flaggedHeldWeekly(t *testing.T, url, flagID string, end time.Time) string {
	t.Helper()
	year, week := end.ISOWeek()
	period := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006") + "-W" + twoDigits(week)
	conn, err := pgx.Connect(ctxT(t), url)
	require.NoError(t, err)
	defer func() { _ = conn.Close(ctxT(t)) }()
	var sqlWeek string
	require.NoError(t, conn.QueryRow(ctxT(t), `SELECT to_char($1::timestamptz AT TIME ZONE 'UTC', 'IYYY-"W"IW')`, end).Scan(&sqlWeek))
	require.Equal(t, period, sqlWeek, "the restore names weeks as the boards do")
	held, err := json.Marshal([]map[string]any{
		{"mode": "classic", "board": "weekly", "period": period, "score": 9, "achievedAt": end},
		{"mode": "classic", "board": "monthly", "period": end.Format("2006-01"), "score": 9, "achievedAt": end},
		{"mode": "classic", "board": "daily", "period": end.AddDate(0, 0, -1).Format(time.DateOnly), "score": 9, "achievedAt": end},
	})
	require.NoError(t, err)
	_, err = conn.Exec(ctxT(t), `UPDATE flags SET standings = standings || $2::jsonb WHERE id = $1`, flagID, held)
	require.NoError(t, err)
	_, err = conn.Exec(ctxT(t), `INSERT INTO leaderboard_period_closes (mode, board, period, closed_at, closed_by, epoch)
		VALUES ('classic', 'weekly', $1, now(), 'test', 1)`, period)
	require.NoError(t, err)
	return period
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

// TestStore_ClearFlag_Concurrent: two moderators clear at once; one wins,
// the other hears ErrConflict, and the result is restored once.
func TestStore_ClearFlag_Concurrent(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	players, _ := flaggedMatch(t, s, clk.Now())
	f := openFlag(t, s)
	mods := []persistence.Player{newGuest(t, s), newGuest(t, s)}
	errs := make([]error, len(mods))
	var wg sync.WaitGroup
	for i, m := range mods {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.ClearFlag(ctxT(t), persistence.SystemActor("test"), persistence.FlagDecision{FlagID: f.ID, By: m.ID, Reason: "fine"})
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		require.ErrorIs(t, err, persistence.ErrConflict)
	}
	require.Equal(t, 1, won)
	st, err := s.Stats(ctxT(t), players[2].ID)
	require.NoError(t, err)
	require.EqualValues(t, 9, st.TotalScore)
	items, err := s.ClaimOutbox(ctxT(t), "game.finished", 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, items, 1)
}

// TestStore_ConfirmFlag_KeepsItVoid: a confirmed flag records the decision
// and restores nothing.
func TestStore_ConfirmFlag_KeepsItVoid(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	players, r := flaggedMatch(t, s, clk.Now())
	f := openFlag(t, s)
	mod := newGuest(t, s)
	confirmed, err := s.ConfirmFlag(ctxT(t), persistence.SystemActor("test"), persistence.FlagDecision{FlagID: f.ID, By: mod.ID, Reason: "bot timing"})
	require.NoError(t, err)
	require.Equal(t, persistence.FlagConfirmed, confirmed.Status)
	require.Equal(t, "bot timing", confirmed.Reason)
	require.NotContains(t, boardScores(t, s, "global", "all"), players[2].ID)
	_, stored := storedPlayers(t, s, r.SessionID)
	require.True(t, stored[players[2].ID].Flagged)
	page, err := s.ListFlags(ctxT(t), persistence.FlagQuery{Status: persistence.FlagConfirmed, Limit: 10})
	require.NoError(t, err)
	require.Len(t, page.Flags, 1)
	page, err = s.ListFlags(ctxT(t), persistence.FlagQuery{Status: persistence.FlagOpen, Limit: 10})
	require.NoError(t, err)
	require.Empty(t, page.Flags)
}

// TestStore_DecideFlag_Errors: unknown flags are not found; a decision
// without a reason or moderator is refused.
func TestStore_DecideFlag_Errors(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	flaggedMatch(t, s, clk.Now())
	f := openFlag(t, s)
	mod := newGuest(t, s)
	for name, tc := range map[string]struct {
		d    persistence.FlagDecision
		want error
	}{
		"unknown":   {persistence.FlagDecision{FlagID: "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", By: mod.ID, Reason: "x"}, persistence.ErrNotFound},
		"malformed": {persistence.FlagDecision{FlagID: "nope", By: mod.ID, Reason: "x"}, persistence.ErrNotFound},
		"no reason": {persistence.FlagDecision{FlagID: f.ID, By: mod.ID, Reason: " "}, nil},
	} {
		_, err := s.ClearFlag(ctxT(t), persistence.SystemActor("test"), tc.d)
		require.Error(t, err, name)
		if tc.want != nil {
			require.ErrorIs(t, err, tc.want, name)
		}
	}
	require.Equal(t, persistence.FlagOpen, openFlag(t, s).Status, "nothing was decided")
}

// TestStore_ListFlags_Pages: oldest first, cursor pages, a foreign cursor
// is ErrBadCursor.
func TestStore_ListFlags_Pages(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	var sessions []string
	for range 3 {
		_, r := flaggedMatch(t, s, clk.Now())
		sessions = append(sessions, r.SessionID)
		clk.Advance(time.Second)
	}
	var seen []string
	cursor := ""
	for range 2 {
		page, err := s.ListFlags(ctxT(t), persistence.FlagQuery{Status: persistence.FlagOpen, Limit: 2, Cursor: cursor})
		require.NoError(t, err)
		for _, f := range page.Flags {
			seen = append(seen, f.SessionID)
		}
		cursor = page.Next
	}
	require.Equal(t, sessions, seen)
	require.Empty(t, cursor)
	all, err := s.ListFlags(ctxT(t), persistence.FlagQuery{Status: persistence.FlagOpen})
	require.NoError(t, err)
	require.Len(t, all.Flags, 3, "no limit: the default page")
	_, err = s.ListFlags(ctxT(t), persistence.FlagQuery{Status: persistence.FlagOpen, Limit: 2, Cursor: "bm9wZQ"})
	require.True(t, errors.Is(err, persistence.ErrBadCursor))
}
