package postgres_test

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

// endChallenge stores an ended classic challenge id with the final
// standings the challenge end job writes (challenge_results), rank by
// rank; the first won ranks won.
func endChallenge(t *testing.T, url, id string, won int, players ...persistence.Player) {
	t.Helper()
	conn, err := pgx.Connect(ctxT(t), url)
	require.NoError(t, err)
	defer func() { require.NoError(t, conn.Close(ctxT(t))) }()
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	_, err = conn.Exec(ctxT(t), `INSERT INTO challenges (id, kind, title, mode, rules, starts_at, ends_at, max_attempts,
		reward_top, created_at, updated_at, ended_at) VALUES ($1, 'scheduled', $1, 'classic', '{}', $2, $3, 3, $4, $2, $2, $3)`,
		id, start, start.Add(24*time.Hour), max(won, 1))
	require.NoError(t, err)
	for i, p := range players {
		_, err = conn.Exec(ctxT(t), `INSERT INTO challenge_results (challenge_id, player_id, rank, score, won)
			VALUES ($1, $2, $3, $4, $5)`, id, p.ID, i+1, 100-i, i < won)
		require.NoError(t, err)
	}
}

// TestStore_BadgeFacts_Challenges: the challenge counts are the player's
// challenge_results rows (completed) and those won, whatever its games.
func TestStore_BadgeFacts_Challenges(t *testing.T) {
	t.Parallel()
	s, _, url := newStore(t)
	a, b, c := newGuest(t, s), newGuest(t, s), newGuest(t, s)
	endChallenge(t, url, "daily-2026-11-01", 1, a, b)
	endChallenge(t, url, "weekend-cup", 2, b, a, c)
	endChallenge(t, url, "night-run", 1, a)
	playSolo(t, s, c, time.Date(2026, 11, 2, 20, 0, 0, 0, time.UTC), func(r *persistence.PlayerResult) { r.Score = 4 })

	tests := []struct {
		player         persistence.Player
		completed, won int64
	}{
		{player: a, completed: 3, won: 3},
		{player: b, completed: 2, won: 1},
		{player: c, completed: 1, won: 0},
		{player: newGuest(t, s), completed: 0, won: 0},
	}
	for _, tt := range tests {
		f, err := s.BadgeFacts(ctxT(t), tt.player.ID)
		require.NoError(t, err)
		require.Equal(t, tt.completed, f.ChallengesCompleted, "completed of %s", tt.player.Username)
		require.Equal(t, tt.won, f.ChallengesWon, "won of %s", tt.player.Username)
	}
	f, err := s.BadgeFacts(ctxT(t), c.ID)
	require.NoError(t, err)
	require.Equal(t, int64(1), f.GamesPlayed, "the game facts are still read")
	require.Equal(t, map[string]int64{"classic": 4}, f.BestByMode)
}
