package cluster

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// Test modes: the shipped modes last 30 s or more, too long for a suite
// that plays dozens of games. Moles come every 300 ms and stay up 800 ms, so
// a client reacting in 250 ms can win every one.
const (
	// modeShort is a 6 s game with a 1 s countdown (20 moles).
	modeShort = "cluster-short"
	// modeLong is a 20 s game, long enough to outlive a rolling restart.
	modeLong = "cluster-long"
)

const seedModesSQL = `INSERT INTO game_modes (name, level, rows, cols, duration_ms, spawn_interval_ms, visible_ms,
	max_moles_up, hit_points, golden_chance, golden_points, bomb_chance, bomb_penalty, countdown_ms, max_players, active)
VALUES ($1, 'normal', 3, 3, 6000, 300, 800, 3, 1, 0, 0, 0, 0, 1000, 8, true),
       ($2, 'normal', 3, 3, 20000, 300, 800, 3, 1, 0, 0, 0, 0, 1000, 8, true)`

// seedModes adds the test modes before any member starts, so no member can
// have cached the mode list without them.
func seedModes(t testing.TB, dbURL string) {
	t.Helper()
	withDB(t, dbURL, func(ctx context.Context, db *pgx.Conn) {
		_, err := db.Exec(ctx, seedModesSQL, modeShort, modeLong)
		require.NoError(t, err, "seed test modes")
	})
}

func withDB(t testing.TB, dbURL string, fn func(ctx context.Context, db *pgx.Conn)) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := pgx.Connect(ctx, dbURL)
	require.NoError(t, err)
	defer func() { _ = db.Close(ctx) }()
	fn(ctx, db)
}

// storedResult is what Postgres holds about one finished session.
type storedResult struct {
	State   string
	Players map[string]int64 // player id → committed score
	// GamesPlayed is player_stats.games_played per player: a result
	// committed twice would count the game twice.
	GamesPlayed map[string]int64
}

// requireOneResult checks that the session was committed exactly once,
// as finished, with these scores, and counted once in each player's stats
// (every player of these tests plays one game only).
func (g *group) requireOneResult(t testing.TB, sessionID string, scores map[string]int64) {
	t.Helper()
	got := g.storedResult(t, sessionID)
	require.Equal(t, "finished", got.State, "session %s", sessionID)
	require.Equal(t, scores, got.Players, "session %s: committed scores", sessionID)
	for player := range scores {
		require.EqualValues(t, 1, got.GamesPlayed[player], "session %s: games counted for %s", sessionID, player)
	}
}

func (g *group) storedResult(t testing.TB, sessionID string) storedResult {
	t.Helper()
	out := storedResult{Players: map[string]int64{}, GamesPlayed: map[string]int64{}}
	withDB(t, g.dbURL, func(ctx context.Context, db *pgx.Conn) {
		require.NoError(t, db.QueryRow(ctx, `SELECT state FROM sessions WHERE id = $1`, sessionID).Scan(&out.State),
			"session %s row", sessionID)
		rows, err := db.Query(ctx, `SELECT sp.player_id::text, sp.score, coalesce(ps.games_played, 0)
			FROM session_players sp LEFT JOIN player_stats ps ON ps.player_id = sp.player_id
			WHERE sp.session_id = $1`, sessionID)
		require.NoError(t, err)
		var player string
		var score, games int64
		_, err = pgx.ForEachRow(rows, []any{&player, &score, &games}, func() error {
			out.Players[player] = score
			out.GamesPlayed[player] = games
			return nil
		})
		require.NoError(t, err)
	})
	return out
}
