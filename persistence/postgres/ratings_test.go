package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/rating"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// newMatchSession creates a running match of players in mode.
func newMatchSession(t testing.TB, s *postgres.Store, mode string, players []persistence.Player, at time.Time) persistence.Session {
	t.Helper()
	ids := make([]string, len(players))
	for i, p := range players {
		ids[i] = p.ID
	}
	ss := persistence.Session{
		ID: uuid.NewString(), Mode: mode, Kind: persistence.KindMatch, MaxPlayers: 8, JoinCode: "J" + uuid.NewString()[:7],
		CreatorID: ids[0], PlayerIDs: ids, State: persistence.StateRunning, Seed: 7, CreatedAt: at,
	}
	require.NoError(t, s.CreateSession(context.Background(), ss))
	ss.Epoch = 1
	return ss
}

// ratedMatch is a finished match: players[i] scored scores[i].
func ratedMatch(ss persistence.Session, players []persistence.Player, scores []int64, end time.Time) persistence.GameResult {
	r := persistence.GameResult{SessionID: ss.ID, Epoch: ss.Epoch, State: persistence.StateFinished,
		StartedAt: end.Add(-30 * time.Second), EndedAt: end, Ranked: true}
	for i, p := range players {
		r.Players = append(r.Players, persistence.PlayerResult{PlayerID: p.ID, Username: p.Username,
			Score: scores[i], Hits: int(scores[i]), ReachedAt: end})
	}
	return r
}

func guests(t testing.TB, s *postgres.Store, n int) []persistence.Player {
	t.Helper()
	out := make([]persistence.Player, n)
	for i := range out {
		out[i] = newGuest(t, s)
	}
	return out
}

func idsOf(players []persistence.Player) []string {
	out := make([]string, len(players))
	for i, p := range players {
		out[i] = p.ID
	}
	return out
}

// requireRatings checks the stored ratings of players in mode.
func requireRatings(t *testing.T, s *postgres.Store, mode string, players []persistence.Player, want []rating.Rating) {
	t.Helper()
	got, err := s.Ratings(ctxT(t), mode, idsOf(players))
	require.NoError(t, err)
	for i, p := range players {
		require.InDelta(t, want[i].Mu, got[p.ID].Mu, 1e-9, "mu of player %d", i)
		require.InDelta(t, want[i].Sigma, got[p.ID].Sigma, 1e-9, "sigma of player %d", i)
		require.Equal(t, want[i].Matches, got[p.ID].Matches, "matches of player %d", i)
	}
}

func priors(n int) []rating.Rating {
	out := make([]rating.Rating, n)
	for i := range out {
		out[i] = rating.Default()
	}
	return out
}

// TestStore_CommitResults_RatesMatches: a committed match of a ranked mode
// moves its players' ratings exactly as the model says (the model itself is
// checked against openskill.py in internal/rating), and the profile reads
// them.
func TestStore_CommitResults_RatesMatches(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		scores []int64
		want   []rating.Rating // openskill.py 6.2.0 (internal/rating/testdata/reference.py)
	}{
		{"two players", []int64{3, 1}, []rating.Rating{
			{Mu: 27.635389493140497, Sigma: 8.06590141354368, Matches: 1},
			{Mu: 22.364610506859503, Sigma: 8.06590141354368, Matches: 1}}},
		{"four players with a tie", []int64{10, 7, 7, 2}, []rating.Rating{
			{Mu: 27.795252672501135, Sigma: 8.263571791259416, Matches: 1},
			{Mu: 24.689416369722096, Sigma: 8.17961798837266, Matches: 1},
			{Mu: 24.689416369722096, Sigma: 8.17961798837266, Matches: 1},
			{Mu: 22.825914588054673, Sigma: 8.17961798837266, Matches: 1}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, clk, _ := newStore(t)
			ps := guests(t, s, len(tc.scores))
			ss := newMatchSession(t, s, "classic", ps, clk.Now())
			require.Equal(t, []persistence.CommitOutcome{persistence.Committed},
				commit(t, s, ratedMatch(ss, ps, tc.scores, clk.Now())))
			requireRatings(t, s, "classic", ps, tc.want)
			requireRatings(t, s, "classic-hard", ps, priors(len(ps)))
			st, err := s.Stats(ctxT(t), ps[0].ID)
			require.NoError(t, err)
			require.Len(t, st.Ratings, 1)
			require.Equal(t, "classic", st.Ratings[0].Mode)
			require.InDelta(t, tc.want[0].Mu, st.Ratings[0].Mu, 1e-9)
			require.InDelta(t, tc.want[0].Ordinal(), st.Ratings[0].Ordinal(), 1e-9)

			// A retry of the same result is AlreadyCommitted and rates nothing twice.
			commit(t, s, ratedMatch(ss, ps, tc.scores, clk.Now()))
			requireRatings(t, s, "classic", ps, tc.want)
		})
	}
}

// setUnranked makes mode a practice mode in the test's database.
func setUnranked(t *testing.T, url, mode string) {
	t.Helper()
	conn, err := pgx.Connect(ctxT(t), url)
	require.NoError(t, err)
	defer func() { _ = conn.Close(context.Background()) }()
	_, err = conn.Exec(ctxT(t), `UPDATE game_modes SET ranked = false WHERE name = $1`, mode)
	require.NoError(t, err)
}

// TestStore_CommitResults_UnratedGames: solo games, practice modes, aborted
// matches and matches left with fewer than two rated players (the others
// flagged or banned) move no rating and show none on the profile.
func TestStore_CommitResults_UnratedGames(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		build func(t *testing.T, s *postgres.Store, url string, ps []persistence.Player, now time.Time) persistence.GameResult
	}{
		{"solo game", func(t *testing.T, s *postgres.Store, _ string, ps []persistence.Player, now time.Time) persistence.GameResult {
			return soloResult(newSession(t, s, ps[0].ID, now), ps[0], 9, now)
		}},
		{"practice mode", func(t *testing.T, s *postgres.Store, url string, ps []persistence.Player, now time.Time) persistence.GameResult {
			setUnranked(t, url, "classic-easy")
			r := ratedMatch(newMatchSession(t, s, "classic-easy", ps, now), ps, []int64{5, 1}, now)
			r.Ranked = false // the session plays the practice mode's rules
			return r
		}},
		{"aborted match", func(t *testing.T, s *postgres.Store, _ string, ps []persistence.Player, now time.Time) persistence.GameResult {
			r := ratedMatch(newMatchSession(t, s, "classic", ps, now), ps, []int64{0, 0}, now)
			r.State, r.Reason = persistence.StateAborted, persistence.AbortBanned
			return r
		}},
		{"the other player flagged", func(t *testing.T, s *postgres.Store, _ string, ps []persistence.Player, now time.Time) persistence.GameResult {
			r := ratedMatch(newMatchSession(t, s, "classic", ps, now), ps, []int64{5, 9}, now)
			r.Flagged, r.Players[1].Flags = true, 2
			return r
		}},
		{"the other player banned", func(t *testing.T, s *postgres.Store, _ string, ps []persistence.Player, now time.Time) persistence.GameResult {
			ss := newMatchSession(t, s, "classic", ps, now)
			banAt(t, s, ps[1].ID, now)
			return ratedMatch(ss, ps, []int64{5, 9}, now)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, clk, url := newStore(t)
			ps := guests(t, s, 2)
			r := tc.build(t, s, url, ps, clk.Now())
			out := commit(t, s, r)
			require.Contains(t, []persistence.CommitOutcome{persistence.Committed, persistence.CommittedVoided}, out[0])
			for _, mode := range []string{"classic", "classic-easy"} {
				requireRatings(t, s, mode, ps, priors(2))
			}
			st, err := s.Stats(ctxT(t), ps[0].ID)
			require.NoError(t, err)
			require.Empty(t, st.Ratings)
		})
	}
}

// TestStore_CommitResults_RatesWithoutFlagged: a flagged player's result
// moves no rating, theirs included; the others are rated among themselves.
func TestStore_CommitResults_RatesWithoutFlagged(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ps := guests(t, s, 3)
	r := ratedMatch(newMatchSession(t, s, "classic", ps, clk.Now()), ps, []int64{3, 50, 1}, clk.Now())
	r.Flagged, r.Players[1].Flags = true, 1
	commit(t, s, r)
	want := rating.DefaultParams().Rate(priors(2), []int64{3, 1})
	requireRatings(t, s, "classic", ps, []rating.Rating{want[0], rating.Default(), want[1]})
}

// TestStore_CommitResults_RatesBatchInOrder: two matches of one player in
// one call are rated in the call's order, the second from the first's
// result, exactly as two separate commits would.
func TestStore_CommitResults_RatesBatchInOrder(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ps := guests(t, s, 3)
	now := clk.Now()
	first := ratedMatch(newMatchSession(t, s, "classic", ps[:2], now), ps[:2], []int64{4, 2}, now)
	second := ratedMatch(newMatchSession(t, s, "classic", ps, now), []persistence.Player{ps[2], ps[0], ps[1]},
		[]int64{8, 8, 1}, now.Add(time.Second))
	commit(t, s, first, second)

	p := rating.DefaultParams()
	a := p.Rate(priors(2), []int64{4, 2})
	b := p.Rate([]rating.Rating{rating.Default(), a[0], a[1]}, []int64{8, 8, 1})
	requireRatings(t, s, "classic", ps, []rating.Rating{b[1], b[2], b[0]})
}

// TestStore_CommitResults_RatesConcurrently: commits of matches sharing
// players, in every order of the players, run concurrently without a
// deadlock or a lost update: every player counts every match they played.
func TestStore_CommitResults_RatesConcurrently(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ps := guests(t, s, 3)
	const rounds = 6
	orders := [][]int{{0, 1, 2}, {2, 1, 0}, {1, 0}, {2, 0}}
	var results []persistence.GameResult
	for range rounds {
		for _, o := range orders {
			players := make([]persistence.Player, len(o))
			scores := make([]int64, len(o))
			for i, idx := range o {
				players[i], scores[i] = ps[idx], int64(10-i)
			}
			results = append(results, ratedMatch(newMatchSession(t, s, "classic", players, clk.Now()), players, scores, clk.Now()))
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(results))
	for _, r := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := s.CommitResults(ctxT(t), []persistence.GameResult{r})
			if err == nil && out[0] != persistence.Committed {
				err = fmt.Errorf("outcome %s", out[0])
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	got, err := s.Ratings(ctxT(t), "classic", idsOf(ps))
	require.NoError(t, err)
	require.Equal(t, 4*rounds, got[ps[0].ID].Matches)
	require.Equal(t, 3*rounds, got[ps[1].ID].Matches)
	require.Equal(t, 3*rounds, got[ps[2].ID].Matches)
}

// TestStore_Ratings: players never rated, unknown ids and malformed ids all
// read as the prior, keyed as given.
func TestStore_Ratings(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	p := newGuest(t, s)
	unknown := uuid.NewString()
	got, err := s.Ratings(ctxT(t), "classic", []string{p.ID, unknown, "not-a-uuid"})
	require.NoError(t, err)
	require.Equal(t, map[string]rating.Rating{p.ID: rating.Default(), unknown: rating.Default(),
		"not-a-uuid": rating.Default()}, got)
	got, err = s.Ratings(ctxT(t), "classic", nil)
	require.NoError(t, err)
	require.Empty(t, got)
}
