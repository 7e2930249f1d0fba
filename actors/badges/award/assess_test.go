package award_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/badges/award"
	"github.com/proofstell/proofstell/actors/badges/criteria"
	"github.com/proofstell/proofstell/persistence"
)

func TestFactsOf(t *testing.T) {
	t.Parallel()
	stored := persistence.BadgeFacts{GamesPlayed: 1, TotalScore: 2, BestScore: 3, BestByMode: map[string]int64{"classic": 3},
		LongestStreak: 4, PerfectGames: 5, LongestCombo: 6, MatchesWon: 7, ChallengesCompleted: 9, ChallengesWon: 10}
	ranks := map[string]int64{"daily": 8}
	require.Equal(t, criteria.Facts{GamesPlayed: 1, TotalScore: 2, BestScore: 3, BestByMode: map[string]int64{"classic": 3},
		LongestStreak: 4, PerfectGames: 5, LongestCombo: 6, MatchesWon: 7, ChallengesCompleted: 9, ChallengesWon: 10,
		Ranks: ranks}, award.FactsOf(stored, ranks))
}

func TestAssess(t *testing.T) {
	t.Parallel()
	cat := []persistence.Badge{
		{ID: "a", Criteria: json.RawMessage(`{"kind":"games_played","n":10}`)},
		{ID: "broken", Criteria: json.RawMessage(`{"kind":"nope"}`)},
		{ID: "b", Criteria: json.RawMessage(`{"kind":"first_game"}`)},
	}
	got := award.Assess(cat, criteria.Facts{GamesPlayed: 4})
	require.Equal(t, []award.Standing{
		{Badge: cat[0], Met: false, Progress: criteria.Progress{Current: 4, Target: 10}},
		{Badge: cat[2], Met: true, Progress: criteria.Progress{Current: 1, Target: 1}},
	}, got)
}
