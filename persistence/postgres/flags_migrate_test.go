package postgres_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// schemaBefore028SQL takes a database back to the schema of migration 027.
const schemaBefore028SQL = `DROP TABLE flags;
ALTER TABLE session_players DROP COLUMN flagged;
DELETE FROM schema_migrations WHERE version = 28`

// TestMigrate_FlagsBackfill: a match flagged as a whole before migration 028
// (no standings, as the old commit wrote none) gives each of its players an
// open flag; clearing the honest one puts them on the boards the game reached.
func TestMigrate_FlagsBackfill(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	end := clk.Now()
	players := []persistence.Player{newGuest(t, s), newGuest(t, s)}
	r := matchResult(t, s, end, players, []int64{7, 5})
	r.Players[0].Flags = 0
	r.Ranked = true
	require.Equal(t, []persistence.CommitOutcome{persistence.Committed}, commit(t, s, r))
	s.Close()
	// What the old commit stored: the game flagged, no standings.
	exec(t, url, schemaBefore028SQL)
	exec(t, url, `UPDATE sessions SET flagged = true WHERE id = $1`, r.SessionID)
	exec(t, url, `DELETE FROM leaderboard_records WHERE session_id = $1`, r.SessionID)

	applied, err := postgres.Migrate(ctxT(t), url)
	require.NoError(t, err)
	require.Equal(t, []int{28}, applied)
	migrated, err := postgres.Open(ctxT(t), config.Database{URL: url, MaxConns: 4}, testclock.New(end.Add(time.Hour)).Now)
	require.NoError(t, err)
	t.Cleanup(migrated.Close)
	require.NoError(t, migrated.CheckSchema(ctxT(t)))

	page, err := migrated.ListFlags(ctxT(t), persistence.FlagQuery{Status: persistence.FlagOpen, Limit: 10})
	require.NoError(t, err)
	require.Len(t, page.Flags, 2, "every player of the old flagged match is held for review")
	byPlayer := map[string]persistence.Flag{}
	for _, f := range page.Flags {
		byPlayer[f.PlayerID] = f
	}
	require.Empty(t, byPlayer[players[0].ID].Evidence.Reasons, "the honest player has no rejected whack")
	require.Equal(t, map[string]int{"unattributed": 1}, byPlayer[players[1].ID].Evidence.Reasons)

	_, err = migrated.ClearFlag(ctxT(t), persistence.SystemActor("test"), persistence.FlagDecision{FlagID: byPlayer[players[0].ID].ID,
		By: players[1].ID, Reason: "honest player of a match flagged whole"})
	require.NoError(t, err)
	for _, period := range []struct{ board, period string }{{"global", "all"}, {"daily", end.Format(time.DateOnly)}} {
		require.Equal(t, map[string]int64{players[0].ID: 7}, boardScores(t, migrated, period.board, period.period), period.board)
	}
	_, stored := storedPlayers(t, migrated, r.SessionID)
	require.False(t, stored[players[0].ID].Flagged)
	require.True(t, stored[players[1].ID].Flagged)
}
