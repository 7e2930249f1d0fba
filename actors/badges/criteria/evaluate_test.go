package criteria_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/badges/criteria"
)

func TestEvaluate(t *testing.T) {
	t.Parallel()
	c := func(k criteria.Kind, n int64) criteria.Criteria { return criteria.Criteria{Kind: k, N: n} }
	p := func(cur, target int64) criteria.Progress { return criteria.Progress{Current: cur, Target: target} }
	classic30 := criteria.Criteria{Kind: criteria.KindSingleGameScore, N: 30, Mode: "classic"}
	daily10 := criteria.Criteria{Kind: criteria.KindBoardRank, N: 10, Board: "daily"}
	classicDaily10 := criteria.Criteria{Kind: criteria.KindBoardRank, N: 10, Board: "daily", Mode: "classic"}
	frenzyDaily3 := criteria.Criteria{Kind: criteria.KindBoardRank, N: 3, Board: "daily", Mode: "frenzy"}
	tests := []struct {
		name  string
		c     criteria.Criteria
		facts criteria.Facts
		met   bool
		prog  criteria.Progress
	}{
		{"first game none", c(criteria.KindFirstGame, 0), criteria.Facts{}, false, p(0, 1)},
		{"first game one", c(criteria.KindFirstGame, 0), criteria.Facts{GamesPlayed: 1}, true, p(1, 1)},
		{"first game many", c(criteria.KindFirstGame, 0), criteria.Facts{GamesPlayed: 9}, true, p(1, 1)},
		{"games below", c(criteria.KindGamesPlayed, 100), criteria.Facts{GamesPlayed: 99}, false, p(99, 100)},
		{"games at", c(criteria.KindGamesPlayed, 100), criteria.Facts{GamesPlayed: 100}, true, p(100, 100)},
		{"games above capped", c(criteria.KindGamesPlayed, 100), criteria.Facts{GamesPlayed: 250}, true, p(100, 100)},
		{"mode score below", classic30, criteria.Facts{BestByMode: map[string]int64{"classic": 29}, BestScore: 99}, false, p(29, 30)},
		{"mode score at", classic30, criteria.Facts{BestByMode: map[string]int64{"classic": 30}}, true, p(30, 30)},
		{"mode score other mode only", classic30, criteria.Facts{BestByMode: map[string]int64{"frenzy": 80}}, false, p(0, 30)},
		{"any mode score", c(criteria.KindSingleGameScore, 30), criteria.Facts{BestScore: 30}, true, p(30, 30)},
		{"negative score clamps", c(criteria.KindSingleGameScore, 30), criteria.Facts{BestScore: -5}, false, p(0, 30)},
		{"total below", c(criteria.KindTotalScore, 1000), criteria.Facts{TotalScore: 999}, false, p(999, 1000)},
		{"total at", c(criteria.KindTotalScore, 1000), criteria.Facts{TotalScore: 1000}, true, p(1000, 1000)},
		{"streak below", c(criteria.KindDailyStreak, 7), criteria.Facts{LongestStreak: 6}, false, p(6, 7)},
		{"streak at", c(criteria.KindDailyStreak, 7), criteria.Facts{LongestStreak: 7}, true, p(7, 7)},
		{"perfect none", c(criteria.KindPerfectGame, 0), criteria.Facts{GamesPlayed: 5}, false, p(0, 1)},
		{"perfect one", c(criteria.KindPerfectGame, 0), criteria.Facts{PerfectGames: 1}, true, p(1, 1)},
		{"combo below", c(criteria.KindLongestCombo, 10), criteria.Facts{LongestCombo: 9}, false, p(9, 10)},
		{"combo at", c(criteria.KindLongestCombo, 10), criteria.Facts{LongestCombo: 10}, true, p(10, 10)},
		{"matches none", c(criteria.KindMatchesWon, 1), criteria.Facts{}, false, p(0, 1)},
		{"matches at", c(criteria.KindMatchesWon, 1), criteria.Facts{MatchesWon: 1}, true, p(1, 1)},
		{"rank unranked", daily10, criteria.Facts{}, false, p(0, 1)},
		{"rank first", daily10, criteria.Facts{Ranks: map[string]int64{"classic/daily": 1}}, true, p(1, 1)},
		{"rank at limit", daily10, criteria.Facts{Ranks: map[string]int64{"classic/daily": 10}}, true, p(1, 1)},
		{"rank just out", daily10, criteria.Facts{Ranks: map[string]int64{"classic/daily": 11}}, false, p(0, 1)},
		{"rank other board", daily10, criteria.Facts{Ranks: map[string]int64{"classic/weekly": 1}}, false, p(0, 1)},
		{"rank on another mode's board", daily10, criteria.Facts{Ranks: map[string]int64{"frenzy/daily": 1}}, false, p(0, 1)},
		{"mode's rank", frenzyDaily3, criteria.Facts{Ranks: map[string]int64{"frenzy/daily": 3}}, true, p(1, 1)},
		{"mode's rank, classic's board", frenzyDaily3, criteria.Facts{Ranks: map[string]int64{"classic/daily": 1}}, false, p(0, 1)},
		{"classic named", classicDaily10, criteria.Facts{Ranks: map[string]int64{"classic/daily": 2}}, true, p(1, 1)},
		{"completed none", c(criteria.KindChallengesCompleted, 1), criteria.Facts{}, false, p(0, 1)},
		{"completed below", c(criteria.KindChallengesCompleted, 5), criteria.Facts{ChallengesCompleted: 4, ChallengesWon: 9}, false, p(4, 5)},
		{"completed at", c(criteria.KindChallengesCompleted, 5), criteria.Facts{ChallengesCompleted: 5}, true, p(5, 5)},
		{"completed above capped", c(criteria.KindChallengesCompleted, 5), criteria.Facts{ChallengesCompleted: 12}, true, p(5, 5)},
		{"won none though completed", c(criteria.KindChallengesWon, 1), criteria.Facts{ChallengesCompleted: 3}, false, p(0, 1)},
		{"won at", c(criteria.KindChallengesWon, 1), criteria.Facts{ChallengesCompleted: 1, ChallengesWon: 1}, true, p(1, 1)},
		{"won below", c(criteria.KindChallengesWon, 3), criteria.Facts{ChallengesWon: 2}, false, p(2, 3)},
		{"won not matches", c(criteria.KindChallengesWon, 1), criteria.Facts{MatchesWon: 5}, false, p(0, 1)},
		{"reward never met", c(criteria.KindChallengeReward, 0),
			criteria.Facts{GamesPlayed: 9, ChallengesCompleted: 9, ChallengesWon: 9}, false, p(0, 1)},
		{"referral reward never met", c(criteria.KindReferralReward, 0),
			criteria.Facts{GamesPlayed: 9}, false, p(0, 1)},
		{"invalid never met", c("bogus", 1), criteria.Facts{GamesPlayed: 100}, false, p(0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			met, prog := criteria.Evaluate(tt.c, tt.facts)
			require.Equal(t, tt.met, met)
			require.Equal(t, tt.prog, prog)
		})
	}
}
