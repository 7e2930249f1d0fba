package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// badgeFactsSQL reads the facts the result commit keeps (results_facts.go):
// one player_stats primary-key probe and one player_mode_bests range probe,
// whatever the length of the player's history. A player who never finished
// a game has no row and gets zeros. The challenge counts are counted from
// challenge_results (written once per challenge and player by the challenge
// end job) through its player index: a player has at most a few challenges a
// day, not a game history, so no counter is kept for them.
const badgeFactsSQL = `SELECT coalesce(s.badge_games, 0), coalesce(s.badge_total, 0), coalesce(s.badge_best, 0),
	coalesce(s.perfect_games, 0), coalesce(s.longest_combo, 0), coalesce(s.matches_won, 0),
	coalesce(s.longest_streak, 0), coalesce(m.names, '{}'), coalesce(m.bests, '{}'), c.completed, c.won
FROM (SELECT $1::uuid AS id) v
LEFT JOIN player_stats s ON s.player_id = v.id
LEFT JOIN LATERAL (SELECT array_agg(b.mode ORDER BY b.mode) AS names, array_agg(b.best ORDER BY b.mode) AS bests
	FROM player_mode_bests b WHERE b.player_id = v.id) m ON true
CROSS JOIN LATERAL (SELECT count(*) AS completed, count(*) FILTER (WHERE r.won) AS won
	FROM challenge_results r WHERE r.player_id = v.id) c`

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
		&f.PerfectGames, &f.LongestCombo, &f.MatchesWon, &f.LongestStreak, &modes, &bests,
		&f.ChallengesCompleted, &f.ChallengesWon); err != nil {
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
