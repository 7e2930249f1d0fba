package criteria

// Facts is what the evaluator knows about one player: lifetime numbers read
// after a committed game, plus board ranks at a period close. Lifetime facts
// (not just "this game") make evaluation idempotent and let a missed event
// be caught up by the next one.
type Facts struct {
	GamesPlayed int64
	TotalScore  int64
	// BestScore is the best single-game score in any mode.
	BestScore int64
	// BestByMode is the best single-game score per mode.
	BestByMode map[string]int64
	// LongestStreak is the longest run of consecutive UTC days with a game.
	LongestStreak int64
	// PerfectGames counts finished games with hits and no misses.
	PerfectGames int64
	// LongestCombo is the best combo reached in any game.
	LongestCombo int64
	MatchesWon   int64
	// ChallengesCompleted counts the challenges the player has a final
	// standing in; ChallengesWon those it won.
	ChallengesCompleted int64
	ChallengesWon       int64
	// Ranks is the player's rank per mode's board at the period just
	// closed, keyed by RankKey(mode, board) (absent: not ranked). 1 is
	// first.
	Ranks map[string]int64
}

// Progress says how far a player is toward a badge, for display: Current
// never exceeds Target once met, so a bar never overflows.
type Progress struct {
	Current int64 `json:"current"`
	Target  int64 `json:"target"`
}

// Evaluate reports whether f meets c and the progress toward it. Invalid
// criteria are never met.
func Evaluate(c Criteria, f Facts) (bool, Progress) {
	if c.Validate() != nil {
		return false, Progress{}
	}
	switch c.Kind {
	case KindFirstGame:
		return atLeast(f.GamesPlayed, 1)
	case KindGamesPlayed:
		return atLeast(f.GamesPlayed, c.N)
	case KindSingleGameScore:
		return atLeast(bestScore(c.Mode, f), c.N)
	case KindTotalScore:
		return atLeast(f.TotalScore, c.N)
	case KindDailyStreak:
		return atLeast(f.LongestStreak, c.N)
	case KindPerfectGame:
		return atLeast(f.PerfectGames, 1)
	case KindLongestCombo:
		return atLeast(f.LongestCombo, c.N)
	case KindMatchesWon:
		return atLeast(f.MatchesWon, c.N)
	case KindBoardRank:
		return rankWithin(f.Ranks[RankKey(c.Mode, c.Board)], c.N)
	case KindChallengesCompleted:
		return atLeast(f.ChallengesCompleted, c.N)
	case KindChallengesWon:
		return atLeast(f.ChallengesWon, c.N)
	case KindChallengeReward, KindReferralReward:
		// Progress is binary and stays 0 until a challenge end, or a
		// completed referral, awards it.
		return false, Progress{Current: 0, Target: 1}
	}
	return false, Progress{}
}

// atLeast is the common "count reaches threshold" rule.
func atLeast(current, target int64) (bool, Progress) {
	current = max(current, 0)
	return current >= target, Progress{Current: min(current, target), Target: target}
}

// rankWithin is met when the player ranked (rank ≥ 1) no worse than n;
// progress is binary because a rank is not accumulated.
func rankWithin(rank, n int64) (bool, Progress) {
	if rank >= 1 && rank <= n {
		return true, Progress{Current: 1, Target: 1}
	}
	return false, Progress{Current: 0, Target: 1}
}

// bestScore is the best single game of mode, or of any mode when "".
func bestScore(mode string, f Facts) int64 {
	if mode == "" {
		return f.BestScore
	}
	return f.BestByMode[mode]
}
