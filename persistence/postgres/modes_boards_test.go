package postgres_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// modeSession creates a running session of mode.
func modeSession(t *testing.T, s *postgres.Store, mode, creator string, at time.Time) persistence.Session {
	t.Helper()
	ss := persistence.Session{
		ID: uuid.NewString(), Mode: mode, Kind: persistence.KindSolo, MaxPlayers: 1,
		CreatorID: creator, PlayerIDs: []string{creator}, State: persistence.StateRunning,
		Seed: 42, CreatedAt: at,
	}
	require.NoError(t, s.CreateSession(ctxT(t), ss))
	ss.Epoch = 1
	return ss
}

// modeResult is soloResult with its standings on mode's boards.
func modeResult(ss persistence.Session, p persistence.Player, score int64, end time.Time) persistence.GameResult {
	r := soloResult(ss, p, score, end)
	for i := range r.Standings {
		r.Standings[i].Mode = ss.Mode
	}
	return r
}

func standingsOf(t *testing.T, s *postgres.Store, mode, board, period string) map[string]int64 {
	t.Helper()
	got := map[string]int64{}
	key := persistence.BoardKey{Mode: mode, Board: board, Period: period}
	require.NoError(t, s.EachStanding(ctxT(t), key, func(st persistence.Standing) error {
		got[st.PlayerID] = st.Score
		return nil
	}))
	return got
}

// TestStore_CommitResults_PerModeBoards: a result reaches the boards of its
// mode only; the same player keeps one best per mode.
func TestStore_CommitResults_PerModeBoards(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ann, bob := newGuest(t, s), newGuest(t, s)
	end := clk.Now()
	_, err := s.CommitResults(ctxT(t), []persistence.GameResult{
		modeResult(modeSession(t, s, "classic", ann.ID, end.Add(-time.Minute)), ann, 30, end),
		modeResult(modeSession(t, s, "frenzy", ann.ID, end.Add(-time.Minute)), ann, 80, end),
		modeResult(modeSession(t, s, "frenzy", bob.ID, end.Add(-time.Minute)), bob, 50, end),
	})
	require.NoError(t, err)
	day := end.Format(time.DateOnly)
	require.Equal(t, map[string]int64{ann.ID: 30}, standingsOf(t, s, "classic", "daily", day))
	require.Equal(t, map[string]int64{ann.ID: 80, bob.ID: 50}, standingsOf(t, s, "frenzy", "daily", day))
	require.Equal(t, map[string]int64{ann.ID: 80, bob.ID: 50}, standingsOf(t, s, "frenzy", "global", "all"))
	require.Empty(t, standingsOf(t, s, "classic-hard", "global", "all"))

	since := map[string]int64{}
	_, err = s.StandingsSince(ctxT(t), persistence.BoardKey{Mode: "classic", Board: "global", Period: "all"}, 0,
		func(st persistence.Standing) error { since[st.PlayerID] = st.Score; return nil })
	require.NoError(t, err)
	require.Equal(t, map[string]int64{ann.ID: 30}, since)

	bad := modeResult(modeSession(t, s, "classic", bob.ID, end), bob, 1, end)
	bad.Standings[0].Mode = ""
	_, err = s.CommitResults(ctxT(t), []persistence.GameResult{bad})
	require.Error(t, err, "a standing without a mode is refused, not filed under classic")
}

// TestStore_ModeCatalogue: admins' creations and edits are checked, seen at
// once by this node, and never half-applied.
func TestStore_ModeCatalogue(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	zen := persistence.Mode{Name: "zen", Level: "easy", Rows: 2, Cols: 2, Duration: 10 * time.Second,
		SpawnInterval: time.Second, Visible: time.Second, MaxMolesUp: 1, HitPoints: 1, MaxPlayers: 1, Active: true}
	_, err := s.Mode(ctxT(t), "zen")
	require.ErrorIs(t, err, persistence.ErrNotFound)
	created, err := s.CreateMode(ctxT(t), persistence.SystemActor("test"), zen)
	require.NoError(t, err)
	zen.Version = 1
	require.Equal(t, zen, created)
	got, err := s.Mode(ctxT(t), "zen")
	require.NoError(t, err, "the creating node sees the mode at once")
	require.False(t, got.Ranked, "practice")
	_, err = s.CreateMode(ctxT(t), persistence.SystemActor("test"), zen)
	require.ErrorIs(t, err, persistence.ErrConflict)

	broken := zen
	broken.Name, broken.GoldenChance, broken.BombChance = "broken", 0.6, 0.6
	_, err = s.CreateMode(ctxT(t), persistence.SystemActor("test"), broken)
	var rule *persistence.ModeRuleError
	require.True(t, errors.As(err, &rule), "%v", err)
	require.Equal(t, "bombChance", rule.Field)

	rows, off := 5, false
	updated, err := s.UpdateMode(ctxT(t), persistence.SystemActor("test"), "zen", persistence.ModeUpdate{Rows: &rows, Active: &off})
	require.NoError(t, err)
	require.Equal(t, 5, updated.Rows)
	require.EqualValues(t, 2, updated.Version, "a change of rules is a new version")
	v1, err := s.ModeAt(ctxT(t), "zen", 1)
	require.NoError(t, err, "and the old one is kept")
	require.Equal(t, zen, v1)
	on := true
	again, err := s.UpdateMode(ctxT(t), persistence.SystemActor("test"), "zen", persistence.ModeUpdate{Active: &on})
	require.NoError(t, err)
	require.EqualValues(t, 2, again.Version, "retiring or reviving is not a change of rules")
	off = false
	_, err = s.UpdateMode(ctxT(t), persistence.SystemActor("test"), "zen", persistence.ModeUpdate{Active: &off})
	require.NoError(t, err)
	_, err = s.ModeAt(ctxT(t), "zen", 3)
	require.ErrorIs(t, err, persistence.ErrNotFound)
	_, err = s.Mode(ctxT(t), "zen")
	require.ErrorIs(t, err, persistence.ErrNotFound, "retired: no new games")
	retired, err := s.LookupMode(ctxT(t), "zen")
	require.NoError(t, err, "a retired mode is still known")
	require.Equal(t, 5, retired.Rows)

	moles := 40
	_, err = s.UpdateMode(ctxT(t), persistence.SystemActor("test"), "zen", persistence.ModeUpdate{MaxMolesUp: &moles})
	require.True(t, errors.As(err, &rule))
	require.Equal(t, "molesAtOnce", rule.Field)
	_, err = s.UpdateMode(ctxT(t), persistence.SystemActor("test"), "nosuch", persistence.ModeUpdate{Rows: &rows})
	require.ErrorIs(t, err, persistence.ErrNotFound)
}

// schemaBefore018SQL takes a database back to the schema of migration 017:
// what migration 018 adds is dropped and its version forgotten; the rows
// stay.
const schemaBefore018SQL = `ALTER TABLE mint_txs DROP CONSTRAINT mint_txs_root_fk, DROP COLUMN root_mode;
ALTER TABLE leaderboard_period_closes DROP COLUMN mode, ADD PRIMARY KEY (board, period);
ALTER TABLE period_roots DROP COLUMN mode, ADD PRIMARY KEY (board, period);
ALTER TABLE period_standings DROP COLUMN mode, ADD PRIMARY KEY (board, period, player_id), ADD UNIQUE (board, period, rank);
ALTER TABLE mint_txs ADD CONSTRAINT mint_txs_root_fk FOREIGN KEY (root_board, root_period) REFERENCES period_roots (board, period);
ALTER TABLE leaderboard_records DROP COLUMN mode, ADD PRIMARY KEY (board, period, player_id);
CREATE INDEX leaderboard_records_written_idx ON leaderboard_records (board, period, written_xid);
ALTER TABLE sessions DROP COLUMN mode_version;
DROP TRIGGER game_modes_keep_version ON game_modes;
DROP TRIGGER game_modes_bump_version ON game_modes;
DROP FUNCTION game_modes_keep_version();
DROP FUNCTION game_modes_bump_version();
DROP TABLE game_mode_versions;
ALTER TABLE game_modes DROP CONSTRAINT game_modes_name_check, DROP COLUMN ranked, DROP COLUMN version;
DELETE FROM schema_migrations WHERE version = 18`

// TestMigrate_ModeBoardsBackfill: records written before migration 018
// move to the board of the mode their game was played in; a record whose
// session is gone, and every closed period, stay classic's; the schema is
// the one the store expects and results after it land per mode.
func TestMigrate_ModeBoardsBackfill(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	ann, bob, cat := newGuest(t, s), newGuest(t, s), newGuest(t, s)
	end := clk.Now()
	_, err := s.CommitResults(ctxT(t), []persistence.GameResult{
		modeResult(modeSession(t, s, "classic", ann.ID, end.Add(-time.Minute)), ann, 30, end),
		modeResult(modeSession(t, s, "frenzy", bob.ID, end.Add(-time.Minute)), bob, 80, end),
	})
	require.NoError(t, err)
	oldSession := modeSession(t, s, "classic", cat.ID, end).ID
	s.Close()
	exec(t, url, schemaBefore018SQL)
	exec(t, url, `INSERT INTO leaderboard_records (board, period, player_id, username, score, achieved_at, session_id)
		VALUES ('global', 'all', $1, 'cat', 5, now(), $2)`, cat.ID, uuid.NewString())
	exec(t, url, `INSERT INTO period_roots (board, period, root, leaf_count, created_at) VALUES ('daily', '2026-11-23', '0x1', 1, now())`)
	exec(t, url, `INSERT INTO period_standings (board, period, rank, player_id, score, achieved_at)
		VALUES ('daily', '2026-11-23', 1, $1, 7, now())`, ann.ID)

	applied, err := postgres.Migrate(ctxT(t), url)
	require.NoError(t, err)
	require.Equal(t, []int{18}, applied)
	migrated, err := postgres.Open(ctxT(t), config.Database{URL: url, MaxConns: 4}, clk.Now)
	require.NoError(t, err)
	t.Cleanup(migrated.Close)
	require.NoError(t, migrated.CheckSchema(ctxT(t)))

	day := end.Format(time.DateOnly)
	require.Equal(t, map[string]int64{ann.ID: 30, cat.ID: 5}, standingsOf(t, migrated, "classic", "global", "all"))
	require.Equal(t, map[string]int64{bob.ID: 80}, standingsOf(t, migrated, "frenzy", "global", "all"))
	require.Equal(t, map[string]int64{bob.ID: 80}, standingsOf(t, migrated, "frenzy", "daily", day))
	root, err := migrated.PeriodRoot(ctxT(t), persistence.BoardKey{Mode: "classic", Board: "daily", Period: "2026-11-23"})
	require.NoError(t, err, "closed periods stay classic's")
	require.Equal(t, "0x1", root.Root)
	m, err := migrated.Mode(ctxT(t), "frenzy")
	require.NoError(t, err)
	require.True(t, m.Ranked, "every existing mode is ranked")
	v1, err := migrated.ModeAt(ctxT(t), "frenzy", 1)
	require.NoError(t, err, "every existing mode's rules are its version 1")
	require.Equal(t, m, v1)
	old, err := migrated.Session(ctxT(t), oldSession)
	require.NoError(t, err)
	require.Zero(t, old.ModeVersion, "a session stored before versions names none")

	_, err = migrated.CommitResults(ctxT(t), []persistence.GameResult{
		modeResult(modeSession(t, migrated, "classic", bob.ID, end), bob, 20, end.Add(time.Second)),
	})
	require.NoError(t, err)
	require.Equal(t, map[string]int64{ann.ID: 30, bob.ID: 20, cat.ID: 5}, standingsOf(t, migrated, "classic", "global", "all"))
	require.Equal(t, map[string]int64{bob.ID: 80}, standingsOf(t, migrated, "frenzy", "global", "all"))
}
