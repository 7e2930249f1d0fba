package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

// oracleFactsSQL is the statement BadgeFacts ran before migration 017, over
// the player's whole history; it is kept here only as the oracle the facts
// kept by the commit must equal.
const oracleFactsSQL = `WITH g AS MATERIALIZED (
	SELECT sp.session_id, sp.score, sp.hits, sp.misses, sp.best_combo, s.mode, s.kind,
		(coalesce(s.ended_at, sp.reached_at) AT TIME ZONE 'UTC')::date AS day
	FROM session_players sp JOIN sessions s ON s.id = sp.session_id
	WHERE sp.player_id = $1 AND s.state = 'finished' AND sp.voided IS NULL),
totals AS (SELECT count(*) AS games, coalesce(sum(score), 0) AS total, coalesce(max(score), 0) AS best,
	count(*) FILTER (WHERE hits > 0 AND misses = 0) AS perfect, coalesce(max(best_combo), 0) AS combo,
	count(*) FILTER (WHERE kind = 'match' AND (SELECT max(o.score) FROM session_players o
		WHERE o.session_id = g.session_id AND o.player_id <> $1) < score) AS won
	FROM g),
streak AS (SELECT coalesce(max(n), 0) AS longest FROM (
	SELECT count(*) AS n FROM (SELECT day - (row_number() OVER (ORDER BY day))::int AS island
		FROM (SELECT DISTINCT day FROM g) d) x
	GROUP BY island) y),
modes AS (SELECT coalesce(array_agg(mode), '{}') AS names, coalesce(array_agg(best), '{}') AS bests
	FROM (SELECT mode, max(score) AS best FROM g GROUP BY mode) b)
SELECT t.games, t.total, t.best, t.perfect, t.combo, t.won, k.longest, m.names, m.bests
FROM totals t, streak k, modes m`

// oracle reads a player's facts the way BadgeFacts did before migration 017.
type oracle struct{ conn *pgx.Conn }

func newOracle(t testing.TB, url string) oracle {
	t.Helper()
	conn, err := pgx.Connect(ctxT(t), url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return oracle{conn: conn}
}

func (o oracle) facts(t testing.TB, playerID string) persistence.BadgeFacts {
	t.Helper()
	f := persistence.BadgeFacts{BestByMode: map[string]int64{}}
	var modes []string
	var bests []int64
	require.NoError(t, o.conn.QueryRow(ctxT(t), oracleFactsSQL, playerID).Scan(&f.GamesPlayed, &f.TotalScore,
		&f.BestScore, &f.PerfectGames, &f.LongestCombo, &f.MatchesWon, &f.LongestStreak, &modes, &bests))
	require.Len(t, bests, len(modes))
	for i, mode := range modes {
		f.BestByMode[mode] = bests[i]
	}
	return f
}

// requireFactsMatch asserts BadgeFacts equals the oracle for every player.
func requireFactsMatch(t testing.TB, s interface {
	BadgeFacts(ctx context.Context, playerID string) (persistence.BadgeFacts, error)
}, o oracle, players []persistence.Player, when string) {
	t.Helper()
	for _, p := range players {
		got, err := s.BadgeFacts(ctxT(t), p.ID)
		require.NoError(t, err)
		require.Equal(t, o.facts(t, p.ID), got, fmt.Sprintf("%s: player %s", when, p.Username))
	}
}
