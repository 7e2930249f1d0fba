package game

import (
	"slices"
	"time"
)

// Result is a game's numbers: valid at any time, final once finished.
type Result struct {
	// Players is ranked: score descending, then who reached it first, then
	// join order.
	Players []PlayerScore
	// Flagged: at least one player's result is flagged (Flags > 0); only
	// those results are held for review, the others count.
	Flagged   bool
	StartedAt time.Time // zero before running
	EndedAt   time.Time // zero until finished
}

// PlayerScore is one player's line of a result.
type PlayerScore struct {
	PlayerID  string
	Score     int64
	Hits      int // normal and golden moles won
	Misses    int // empty, expired, wrong_hole, too_fast, rate_limited
	Bombs     int // bombs won (neither hits nor misses)
	BestCombo int
	Flags     int       // too_fast and rate_limited whacks
	ReachedAt time.Time // when the score last changed; zero if never
	// MedianReaction is the median time from a won mole's spawn to its
	// whack, after the lag allowance (normal and golden moles); zero
	// without any.
	MedianReaction time.Duration
}

// Result returns the current numbers.
func (g *Game) Result() Result {
	scores := make([]PlayerScore, len(g.players))
	for i, p := range g.players {
		scores[i] = p.scoreLine()
	}
	slices.SortStableFunc(scores, rankOrder)
	return Result{Players: scores, Flagged: g.flagged, StartedAt: g.StartedAt(), EndedAt: g.endedAt}
}

// Score returns one member's current line.
func (g *Game) Score(playerID string) (PlayerScore, bool) {
	p := g.player(playerID)
	if p == nil {
		return PlayerScore{}, false
	}
	return p.scoreLine(), true
}

func (p *player) scoreLine() PlayerScore {
	return PlayerScore{
		PlayerID: p.id, Score: p.score, Hits: p.hits, Misses: p.misses, Bombs: p.bombs,
		BestCombo: p.bestCombo, Flags: p.flags, ReachedAt: p.reachedAt, MedianReaction: p.medianReaction(),
	}
}

// rankOrder puts higher scores first and, on a tie, whoever got there first.
func rankOrder(a, b PlayerScore) int {
	if a.Score != b.Score {
		if a.Score > b.Score {
			return -1
		}
		return 1
	}
	return a.ReachedAt.Compare(b.ReachedAt)
}
