package postgres_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// playSolo commits a finished solo game of p ending at end.
func playSolo(t *testing.T, s *postgres.Store, p persistence.Player, end time.Time, edit func(*persistence.PlayerResult)) {
	t.Helper()
	ss := newSession(t, s, p.ID, end.Add(-time.Minute))
	r := soloResult(ss, p, 10, end)
	r.Outbox = nil
	if edit != nil {
		edit(&r.Players[0])
	}
	r.Standings = nil
	commit(t, s, r)
}

// playMatch commits a finished classic match between players with scores.
func playMatch(t *testing.T, s *postgres.Store, end time.Time, players []persistence.Player, scores []int64) {
	t.Helper()
	ids := make([]string, len(players))
	for i, p := range players {
		ids[i] = p.ID
	}
	ss := persistence.Session{ID: uuid.NewString(), Mode: "classic", Kind: persistence.KindMatch, MaxPlayers: 8,
		CreatorID: ids[0], PlayerIDs: ids, State: persistence.StateRunning, Seed: 1, CreatedAt: end.Add(-time.Minute)}
	require.NoError(t, s.CreateSession(ctxT(t), ss))
	r := persistence.GameResult{SessionID: ss.ID, Epoch: 1, State: persistence.StateFinished,
		StartedAt: end.Add(-30 * time.Second), EndedAt: end}
	for i, p := range players {
		r.Players = append(r.Players, persistence.PlayerResult{PlayerID: p.ID, Username: p.Username,
			Score: scores[i], Hits: int(scores[i]), Misses: 1, ReachedAt: end})
	}
	commit(t, s, r)
}

func TestStore_BadgeFacts(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	ctx := ctxT(t)
	p, rival, third := newGuest(t, s), newGuest(t, s), newGuest(t, s)
	day := time.Date(2026, 11, 1, 20, 0, 0, 0, time.UTC)

	empty, err := s.BadgeFacts(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, persistence.BadgeFacts{BestByMode: map[string]int64{}}, empty)

	// Days 1, 2, 3 (twice on day 3), then 5, 6: longest streak 3.
	for _, d := range []int{0, 1, 2, 2, 4, 5} {
		playSolo(t, s, p, day.AddDate(0, 0, d), func(r *persistence.PlayerResult) { r.Score, r.BestCombo = int64(d+1), d })
	}
	playSolo(t, s, p, day.AddDate(0, 0, 6).Add(-time.Hour), func(r *persistence.PlayerResult) {
		r.Score, r.Hits, r.Misses = 31, 31, 0 // perfect, day 7: streak 5..7 = 3
	})
	playMatch(t, s, day, []persistence.Player{p, rival}, []int64{20, 5})          // won
	playMatch(t, s, day, []persistence.Player{p, rival, third}, []int64{7, 7, 1}) // tie: not won
	playMatch(t, s, day, []persistence.Player{p, rival}, []int64{1, 9})           // lost

	f, err := s.BadgeFacts(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, persistence.BadgeFacts{
		GamesPlayed: 10, TotalScore: 1 + 2 + 3 + 3 + 5 + 6 + 31 + 20 + 7 + 1, BestScore: 31,
		BestByMode: map[string]int64{"classic": 31}, LongestStreak: 3, PerfectGames: 1, LongestCombo: 5,
		MatchesWon: 1,
	}, f)

	rf, err := s.BadgeFacts(ctx, rival.ID)
	require.NoError(t, err)
	require.Equal(t, int64(1), rf.MatchesWon)
	require.Equal(t, int64(1), rf.LongestStreak)

	bad, err := s.BadgeFacts(ctx, "nope")
	require.NoError(t, err)
	require.Zero(t, bad.GamesPlayed)
}

// playGame commits a game of mode and kind that ends in state, between
// players with scores.
func playGame(t *testing.T, s *postgres.Store, g factsGame, players []persistence.Player) {
	t.Helper()
	ids := make([]string, len(players))
	for i, p := range players {
		ids[i] = p.ID
	}
	ss := persistence.Session{ID: uuid.NewString(), Mode: g.mode, Kind: g.kind, MaxPlayers: 8,
		CreatorID: ids[0], PlayerIDs: ids, State: persistence.StateRunning, Seed: 1, CreatedAt: g.end.Add(-time.Minute)}
	require.NoError(t, s.CreateSession(ctxT(t), ss))
	r := persistence.GameResult{SessionID: ss.ID, Epoch: 1, State: g.state,
		StartedAt: g.end.Add(-30 * time.Second), EndedAt: g.end}
	for i, p := range players {
		r.Players = append(r.Players, persistence.PlayerResult{PlayerID: p.ID, Username: p.Username,
			Score: g.scores[i], Hits: int(g.scores[i]), Misses: 1, ReachedAt: g.end})
	}
	commit(t, s, r)
}

// factsGame is one game of TestStore_BadgeFacts_Edges; scores[0] is the
// measured player's.
type factsGame struct {
	mode   string
	kind   persistence.SessionKind
	state  persistence.SessionState
	end    time.Time
	scores []int64
}

// TestStore_BadgeFacts_Edges pins the cases the one-statement query states
// differently from a plain reading of the rules: a match without rivals
// (no best rival score) is not won, aborted games count for nothing, modes
// pair with their own best, and streaks ignore commit order.
func TestStore_BadgeFacts_Edges(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 11, 1, 20, 0, 0, 0, time.UTC)
	match, solo := persistence.KindMatch, persistence.KindSolo
	done, aborted := persistence.StateFinished, persistence.StateAborted
	for _, tc := range []struct {
		name  string
		games []factsGame
		want  persistence.BadgeFacts
	}{
		{"match without rivals is not won", []factsGame{{"classic", match, done, day, []int64{9}}},
			persistence.BadgeFacts{GamesPlayed: 1, TotalScore: 9, BestScore: 9, BestByMode: map[string]int64{"classic": 9},
				LongestStreak: 1}},
		{"aborted games count for nothing", []factsGame{
			{"classic", match, aborted, day, []int64{50, 1}},
			{"frenzy", solo, aborted, day.AddDate(0, 0, 1), []int64{40, 1}},
			{"classic", match, done, day.AddDate(0, 0, 3), []int64{3, 2}},
		}, persistence.BadgeFacts{GamesPlayed: 1, TotalScore: 3, BestScore: 3, BestByMode: map[string]int64{"classic": 3},
			LongestStreak: 1, MatchesWon: 1}},
		{"modes pair with their own best, streak over out-of-order commits", []factsGame{
			{"frenzy", match, done, day.AddDate(0, 0, 2), []int64{8, 2, 3}},
			{"classic-hard", match, done, day, []int64{2, 5}},
			{"classic", solo, done, day.AddDate(0, 0, 5), []int64{4}},
			{"frenzy", match, done, day.AddDate(0, 0, 1), []int64{6, 6}},
			{"classic", match, done, day.AddDate(0, 0, 4), []int64{1, 0}},
		}, persistence.BadgeFacts{GamesPlayed: 5, TotalScore: 21, BestScore: 8,
			BestByMode:    map[string]int64{"frenzy": 8, "classic-hard": 2, "classic": 4},
			LongestStreak: 3, MatchesWon: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, _, _ := newStore(t)
			players := []persistence.Player{newGuest(t, s), newGuest(t, s), newGuest(t, s)}
			for _, g := range tc.games {
				playGame(t, s, g, players[:len(g.scores)])
			}
			f, err := s.BadgeFacts(ctxT(t), players[0].ID)
			require.NoError(t, err)
			require.Equal(t, tc.want, f)
		})
	}
}
