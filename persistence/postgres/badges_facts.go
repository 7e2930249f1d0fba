package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// badgeFactsSQL computes every badge fact in one statement from one pass
// over the player's finished games that count for them (an aborted game, or
// a game voided for a ban, earns nothing): g is
// materialized once, so each game costs one sessions primary-key probe and,
// for a match, one session_players primary-key range probe, instead of the
// three passes and two probes per match that three statements took.
//
//   - Match wins: strictly the best score of a match with at least two
//     players, i.e. the best rival score exists and is lower (max over no
//     rival is NULL, and NULL < score is not true).
//   - Streak: the longest run of consecutive UTC days with a game (gaps and
//     islands: day minus its dense rank is constant along a run).
//   - Best per mode: parallel arrays, aggregated in the same order.
const badgeFactsSQL = `WITH g AS MATERIALIZED (
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

// BadgeFacts implements persistence.BadgeStore. One statement, so the facts
// also come from one snapshot.
func (s *Store) BadgeFacts(ctx context.Context, playerID string) (persistence.BadgeFacts, error) {
	defer observe("badge_facts", time.Now())
	f := persistence.BadgeFacts{BestByMode: map[string]int64{}}
	if !validID(playerID) {
		return f, nil
	}
	op := "badge facts of " + playerID
	var modes []string
	var bests []int64
	if err := s.pool.QueryRow(ctx, badgeFactsSQL, playerID).Scan(&f.GamesPlayed, &f.TotalScore, &f.BestScore,
		&f.PerfectGames, &f.LongestCombo, &f.MatchesWon, &f.LongestStreak, &modes, &bests); err != nil {
		return f, mapErr(op, err)
	}
	if len(modes) != len(bests) {
		return f, fmt.Errorf("%s: %d modes but %d best scores", op, len(modes), len(bests))
	}
	for i, mode := range modes {
		f.BestByMode[mode] = bests[i]
	}
	return f, nil
}
