// Package award decides which badges players have earned. The rules live
// in the pure actors/badges/criteria package; this package turns stored facts into
// criteria facts and assesses a whole catalogue, so the REST progress view
// and the evaluator that awards badges agree by construction.
package award

import (
	"github.com/proofstell/proofstell/actors/badges/criteria"
	"github.com/proofstell/proofstell/persistence"
)

// FactsOf converts stored play facts into criteria facts. ranks is the
// player's rank per board at a period close (nil outside one).
func FactsOf(f persistence.BadgeFacts, ranks map[string]int64) criteria.Facts {
	return criteria.Facts{
		GamesPlayed: f.GamesPlayed, TotalScore: f.TotalScore, BestScore: f.BestScore, BestByMode: f.BestByMode,
		LongestStreak: f.LongestStreak, PerfectGames: f.PerfectGames, LongestCombo: f.LongestCombo,
		MatchesWon: f.MatchesWon, ChallengesCompleted: f.ChallengesCompleted, ChallengesWon: f.ChallengesWon,
		Ranks: ranks,
	}
}

// Standing is one badge assessed for one player.
type Standing struct {
	Badge    persistence.Badge
	Met      bool
	Progress criteria.Progress
}

// Assess evaluates every badge of catalogue against f. A badge whose
// stored criteria no longer decode is left out (it can be neither earned
// nor shown as progress) rather than failing the whole assessment.
func Assess(catalogue []persistence.Badge, f criteria.Facts) []Standing {
	out := make([]Standing, 0, len(catalogue))
	for _, b := range catalogue {
		c, err := criteria.Decode(b.Criteria)
		if err != nil {
			continue
		}
		met, p := criteria.Evaluate(c, f)
		out = append(out, Standing{Badge: b, Met: met, Progress: p})
	}
	return out
}
