package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// counts reads how many rows a committed game wrote, to prove nothing was
// written twice or at all.
type counts struct{ players, standings, outbox int }

func countRows(t *testing.T, url, sessionID string) counts {
	t.Helper()
	conn, err := pgx.Connect(ctxT(t), url)
	require.NoError(t, err)
	defer func() { _ = conn.Close(context.Background()) }()
	var c counts
	require.NoError(t, conn.QueryRow(ctxT(t), `SELECT
		(SELECT count(*) FROM session_players WHERE session_id = $1),
		(SELECT count(*) FROM leaderboard_records WHERE session_id = $1),
		(SELECT count(*) FROM outbox WHERE key LIKE $1::text || '%' AND topic <> 'game.started')`, sessionID).Scan(&c.players, &c.standings, &c.outbox))
	return c
}

func commit(t *testing.T, s *postgres.Store, results ...persistence.GameResult) []persistence.CommitOutcome {
	t.Helper()
	out, err := s.CommitResults(ctxT(t), results)
	require.NoError(t, err)
	require.Len(t, out, len(results))
	return out
}

func TestStore_CommitResults_Outcomes(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	p := newGuest(t, s)
	now := clk.Now()

	fresh := newSession(t, s, p.ID, now)
	stale := newSession(t, s, p.ID, now)
	_, err := s.ClaimSession(ctxT(t), stale.ID) // a newer activation owns it: epoch 2
	require.NoError(t, err)
	missing := persistence.Session{ID: uuid.NewString(), Epoch: 1}
	malformed := persistence.Session{ID: "nope", Epoch: 1}

	out := commit(t, s, soloResult(fresh, p, 10, now), soloResult(stale, p, 50, now),
		soloResult(missing, p, 1, now), soloResult(malformed, p, 1, now))
	require.Equal(t, []persistence.CommitOutcome{
		persistence.Committed, persistence.StaleEpoch, persistence.Missing, persistence.Missing,
	}, out)
	require.Equal(t, counts{players: 1, standings: 2, outbox: 1}, countRows(t, url, fresh.ID))
	require.Equal(t, counts{}, countRows(t, url, stale.ID), "a stale epoch writes nothing")

	// A retry after a lost reply changes nothing.
	again := commit(t, s, soloResult(fresh, p, 10, now))
	require.Equal(t, []persistence.CommitOutcome{persistence.AlreadyCommitted}, again)
	require.Equal(t, counts{players: 1, standings: 2, outbox: 1}, countRows(t, url, fresh.ID))
	st, err := s.Stats(ctxT(t), p.ID)
	require.NoError(t, err)
	require.Equal(t, persistence.PlayerStats{GamesPlayed: 1, BestScore: 10, TotalScore: 10}, st, "no double counting")
}

// A stale activation whose session a newer one already finished must hear
// StaleEpoch, not AlreadyCommitted: it would otherwise announce its own,
// unrecorded result as final.
func TestStore_CommitResults_StaleAfterNewerFinished(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	p := newGuest(t, s)
	old := newSession(t, s, p.ID, clk.Now())
	newer, err := s.ClaimSession(ctxT(t), old.ID)
	require.NoError(t, err)
	require.Equal(t, []persistence.CommitOutcome{persistence.Committed}, commit(t, s, soloResult(newer, p, 7, clk.Now())))

	out := commit(t, s, soloResult(old, p, 99, clk.Now()))
	require.Equal(t, []persistence.CommitOutcome{persistence.StaleEpoch}, out)
	require.Equal(t, counts{players: 1, standings: 2, outbox: 1}, countRows(t, url, old.ID), "only the newer result exists")
	st, err := s.Stats(ctxT(t), p.ID)
	require.NoError(t, err)
	require.Equal(t, int64(7), st.BestScore)
}

func TestStore_CommitResults_DuplicateInOneCall(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	p := newGuest(t, s)
	ss := newSession(t, s, p.ID, clk.Now())
	r := soloResult(ss, p, 4, clk.Now())
	out := commit(t, s, r, r)
	require.Equal(t, []persistence.CommitOutcome{persistence.Committed, persistence.AlreadyCommitted}, out)
	require.Equal(t, counts{players: 1, standings: 2, outbox: 1}, countRows(t, url, ss.ID))
	st, err := s.Stats(ctxT(t), p.ID)
	require.NoError(t, err)
	require.Equal(t, int64(1), st.GamesPlayed)
}

func TestStore_CommitResults_Stats(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	p := newGuest(t, s)
	now := clk.Now()
	results := []persistence.GameResult{
		soloResult(newSession(t, s, p.ID, now), p, 10, now),
		soloResult(newSession(t, s, p.ID, now), p, 30, now),
	}
	flagged := soloResult(newSession(t, s, p.ID, now), p, 99, now)
	flagged.Flagged, flagged.Players[0].Flagged = true, true // its standings are held, not written
	aborted := soloResult(newSession(t, s, p.ID, now), p, 77, now)
	aborted.State, aborted.Standings = persistence.StateAborted, nil
	out := commit(t, s, append(results, flagged, aborted)...)
	for _, o := range out {
		require.Equal(t, persistence.Committed, o)
	}
	st, err := s.Stats(ctxT(t), p.ID)
	require.NoError(t, err)
	require.Equal(t, persistence.PlayerStats{GamesPlayed: 3, BestScore: 30, TotalScore: 40}, st,
		"flagged counts as played only; aborted does not count")
	require.Equal(t, map[string]int64{p.ID: 30}, boardScores(t, s, "global", "all"), "the flagged 99 is held")

	got, err := s.Session(ctxT(t), flagged.SessionID)
	require.NoError(t, err)
	require.True(t, got.Flagged)
}

func TestStore_CommitResults_Invalid(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	p := newGuest(t, s)
	ok := newSession(t, s, p.ID, clk.Now())
	bad := soloResult(newSession(t, s, p.ID, clk.Now()), p, 1, clk.Now())
	bad.Players[0].PlayerID = "not-a-uuid"
	notFinal := soloResult(newSession(t, s, p.ID, clk.Now()), p, 1, clk.Now())
	notFinal.State = persistence.StateRunning
	for _, r := range []persistence.GameResult{bad, notFinal} {
		_, err := s.CommitResults(ctxT(t), []persistence.GameResult{soloResult(ok, p, 1, clk.Now()), r})
		require.Error(t, err)
	}
	require.Equal(t, counts{}, countRows(t, url, ok.ID), "a failed call writes nothing")

	unknown := soloResult(newSession(t, s, p.ID, clk.Now()), p, 1, clk.Now())
	unknown.Players[0].PlayerID = uuid.NewString()
	require.Equal(t, []persistence.CommitOutcome{persistence.Committed}, commit(t, s, unknown),
		"an unknown player does not fail the batch")
}

func TestStore_CommitResults_Leaderboard(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	p := newGuest(t, s)
	t0 := clk.Now()
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	game := func(score int64, achieved time.Time) persistence.GameResult {
		r := soloResult(newSession(t, s, p.ID, t0), p, score, achieved)
		r.Standings = r.Standings[:1] // global/all
		return r
	}
	best := func() persistence.Standing {
		t.Helper()
		var got []persistence.Standing
		require.NoError(t, s.EachStanding(ctxT(t), persistence.BoardKey{Mode: "classic", Board: "global", Period: "all"}, func(st persistence.Standing) error {
			got = append(got, st)
			return nil
		}))
		require.Len(t, got, 1)
		return got[0]
	}
	steps := []struct {
		name      string
		games     []persistence.GameResult
		wantScore int64
		wantAt    time.Time
	}{
		{name: "first", games: []persistence.GameResult{game(10, at(10*time.Second))}, wantScore: 10, wantAt: at(10 * time.Second)},
		{name: "lower is ignored", games: []persistence.GameResult{game(5, at(20*time.Second))}, wantScore: 10, wantAt: at(10 * time.Second)},
		{name: "later tie keeps earlier", games: []persistence.GameResult{game(10, at(30*time.Second))}, wantScore: 10, wantAt: at(10 * time.Second)},
		{name: "earlier tie wins", games: []persistence.GameResult{game(10, at(5*time.Second))}, wantScore: 10, wantAt: at(5 * time.Second)},
		{name: "higher replaces", games: []persistence.GameResult{game(12, at(40*time.Second))}, wantScore: 12, wantAt: at(40 * time.Second)},
		{name: "best of one batch", games: []persistence.GameResult{
			game(20, at(60*time.Second)), game(25, at(70*time.Second)), game(25, at(65*time.Second)), game(15, at(50*time.Second)),
		}, wantScore: 25, wantAt: at(65 * time.Second)},
	}
	for _, step := range steps {
		commit(t, s, step.games...)
		got := best()
		require.Equal(t, step.wantScore, got.Score, step.name)
		require.True(t, step.wantAt.Equal(got.AchievedAt), "%s: achieved %v", step.name, got.AchievedAt)
		require.Equal(t, p.Username, got.Username)
	}
}

func TestStore_CommitResults_Match(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	a, b := newGuest(t, s), newGuest(t, s)
	now := clk.Now()
	ss := newSession(t, s, a.ID, now)
	r := soloResult(ss, a, 8, now)
	r.Players = append(r.Players, persistence.PlayerResult{PlayerID: b.ID, Username: b.Username, Score: 3, ReachedAt: now})
	r.Standings = append(r.Standings, persistence.StandingRecord{Mode: "classic", Board: "global", Period: "all", PlayerID: b.ID,
		Username: b.Username, Score: 3, AchievedAt: now})
	commit(t, s, r)
	got, err := s.Session(ctxT(t), ss.ID)
	require.NoError(t, err)
	require.Len(t, got.Results, 2)
	require.Equal(t, a.ID, got.Results[0].PlayerID, "results ordered by score")
	for _, id := range []string{a.ID, b.ID} {
		st, err := s.Stats(ctxT(t), id)
		require.NoError(t, err)
		require.Equal(t, int64(1), st.GamesPlayed)
	}
}
