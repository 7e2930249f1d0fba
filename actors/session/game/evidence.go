package game

import "slices"

// ReactionBucketsMs are the upper bounds (exclusive, in milliseconds) of the
// reaction-time histogram in Evidence; a last bucket without a bound takes
// the rest. They are finest where human reactions start (a human's spread
// of 150–400 ms looks nothing like a bot's spike just above MinReaction).
var ReactionBucketsMs = []int32{100, 125, 150, 175, 200, 250, 300, 400, 600}

// Evidence is what a moderator reviews of one player's flagged result.
type Evidence struct {
	// TooFast and RateLimited count the flagging whacks by reason.
	// Unattributed counts flags of a game restored from a snapshot older
	// than the split (their reason is unknown).
	TooFast      int
	RateLimited  int
	Unattributed int
	// Reactions[i] counts the won moles whose reaction time (after the lag
	// allowance) fell below ReactionBucketsMs[i]; the last entry counts the
	// rest. Only won moles have a reaction time: a too_fast whack's own
	// timing is in the session's input log, not here. At most the player's
	// first 512 won moles are counted.
	Reactions []int
}

// Evidence returns a member's anti-cheat evidence so far.
func (g *Game) Evidence(playerID string) (Evidence, bool) {
	p := g.player(playerID)
	if p == nil {
		return Evidence{}, false
	}
	e := Evidence{TooFast: p.tooFast, RateLimited: p.rateLimited,
		Unattributed: max(p.flags-p.tooFast-p.rateLimited, 0), Reactions: make([]int, len(ReactionBucketsMs)+1)}
	for _, ms := range p.reactions {
		e.Reactions[bucketOf(ms)]++
	}
	return e, true
}

// bucketOf is the histogram bucket of a reaction time.
func bucketOf(ms int32) int {
	for i, upper := range ReactionBucketsMs {
		if ms < upper {
			return i
		}
	}
	return len(ReactionBucketsMs)
}

// Reactions returns a member's reaction times in milliseconds (after the
// lag allowance) on the moles they won, in the order won, at most the first
// 512: what the consistency detector judges (actors/session/detector).
func (g *Game) Reactions(playerID string) []int32 {
	p := g.player(playerID)
	if p == nil {
		return nil
	}
	return slices.Clone(p.reactions)
}
