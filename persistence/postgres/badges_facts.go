package postgres

import (
	"context"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// finishedGamesCTE is the player's finished games, the only ones badges
// count (an aborted game earns nothing).
const finishedGamesCTE = `WITH g AS (
	SELECT sp.session_id, sp.score, sp.hits, sp.misses, sp.best_combo, s.mode, s.kind,
		(coalesce(s.ended_at, sp.reached_at) AT TIME ZONE 'UTC')::date AS day
	FROM session_players sp JOIN sessions s ON s.id = sp.session_id
	WHERE sp.player_id = $1 AND s.state = 'finished')`

// badgeTotalsSQL aggregates counts, scores, perfect games, combos and match
// wins (strictly the best score of a match with at least two players).
const badgeTotalsSQL = finishedGamesCTE + `
SELECT count(*), coalesce(sum(score), 0), coalesce(max(score), 0),
	count(*) FILTER (WHERE hits > 0 AND misses = 0), coalesce(max(best_combo), 0),
	count(*) FILTER (WHERE kind = 'match'
		AND EXISTS (SELECT 1 FROM session_players o WHERE o.session_id = g.session_id AND o.player_id <> $1)
		AND NOT EXISTS (SELECT 1 FROM session_players o WHERE o.session_id = g.session_id
			AND o.player_id <> $1 AND o.score >= g.score))
FROM g`

// badgeModesSQL is the best score per mode.
const badgeModesSQL = finishedGamesCTE + `SELECT mode, max(score) FROM g GROUP BY mode`

// badgeStreakSQL is the longest run of consecutive UTC days with a game
// (gaps and islands: day minus its dense rank is constant along a run).
const badgeStreakSQL = finishedGamesCTE + `, d AS (SELECT DISTINCT day FROM g)
SELECT coalesce(max(n), 0) FROM (
	SELECT count(*) AS n FROM (SELECT day, day - (row_number() OVER (ORDER BY day))::int AS island FROM d) x
	GROUP BY island) y`

// BadgeFacts implements persistence.BadgeStore.
func (s *Store) BadgeFacts(ctx context.Context, playerID string) (persistence.BadgeFacts, error) {
	defer observe("badge_facts", time.Now())
	f := persistence.BadgeFacts{BestByMode: map[string]int64{}}
	if !validID(playerID) {
		return f, nil
	}
	op := "badge facts of " + playerID
	if err := s.pool.QueryRow(ctx, badgeTotalsSQL, playerID).Scan(&f.GamesPlayed, &f.TotalScore, &f.BestScore,
		&f.PerfectGames, &f.LongestCombo, &f.MatchesWon); err != nil {
		return f, mapErr(op, err)
	}
	if err := s.pool.QueryRow(ctx, badgeStreakSQL, playerID).Scan(&f.LongestStreak); err != nil {
		return f, mapErr(op, err)
	}
	rows, err := s.pool.Query(ctx, badgeModesSQL, playerID)
	if err != nil {
		return f, mapErr(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var mode string
		var best int64
		if err := rows.Scan(&mode, &best); err != nil {
			return f, mapErr(op, err)
		}
		f.BestByMode[mode] = best
	}
	return f, mapErr(op, rows.Err())
}
