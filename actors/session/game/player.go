package game

import (
	"slices"
	"time"
)

// player is one member's running score and anti-cheat state.
type player struct {
	id        string
	score     int64
	hits      int
	misses    int
	bombs     int
	combo     int
	bestCombo int
	flags     int
	// tooFast and rateLimited split flags by reason: the evidence a
	// moderator reviews (Evidence).
	tooFast     int
	rateLimited int
	reachedAt   time.Time
	// whacks holds the times of the player's latest whacks, oldest first,
	// at most MaxWhacksPerSecond of them (overflow: the oldest is dropped,
	// it can no longer matter to a one-second window).
	whacks []time.Time
	// reactions holds the reaction time in milliseconds (after the lag
	// allowance) of each mole the player won, at most maxReactionSamples
	// (overflow: later ones are not kept); its median feeds the dynamic
	// difficulty of the player's next solo games, never the score.
	reactions []int32
}

// maxReactionSamples bounds a player's reaction samples (a 45 s game with
// several moles up wins fewer).
const maxReactionSamples = 512

// react records the reaction time of a won mole.
func (p *player) react(d time.Duration) {
	if len(p.reactions) < maxReactionSamples {
		p.reactions = append(p.reactions, int32(min(max(d.Milliseconds(), 0), 1<<31-1))) //nolint:gosec // clamped to int32
	}
}

// medianReaction is the median of the reaction samples; 0 without any.
func (p *player) medianReaction() time.Duration {
	if len(p.reactions) == 0 {
		return 0
	}
	sorted := slices.Clone(p.reactions)
	slices.Sort(sorted)
	n := len(sorted)
	ms := sorted[n/2]
	if n%2 == 0 {
		ms = (sorted[n/2-1] + sorted[n/2]) / 2
	}
	return time.Duration(ms) * time.Millisecond
}

func newPlayer(id string, maxPerSecond int) *player {
	return &player{id: id, whacks: make([]time.Time, 0, maxPerSecond)}
}

// overRate records a whack at `at` and reports whether it is one more than
// limit within less than a second.
func (p *player) overRate(at time.Time, limit int) bool {
	over := len(p.whacks) >= limit && at.Sub(p.whacks[len(p.whacks)-limit]) < time.Second
	if len(p.whacks) >= limit {
		copy(p.whacks, p.whacks[len(p.whacks)-limit+1:])
		p.whacks = p.whacks[:limit-1]
	}
	p.whacks = append(p.whacks, at)
	return over
}

// miss records a whack that did not score.
func (p *player) miss(reason MissReason) {
	if reason.flags() {
		p.flags++
	}
	switch reason {
	case MissTooFast:
		p.tooFast++
	case MissRateLimited:
		p.rateLimited++
	}
	if reason.countsAsMiss() {
		p.misses++
		p.combo = 0
	}
}

// win records a won mole worth points, at time at.
func (p *player) win(kind MoleKind, points int64, at time.Time) {
	before := p.score
	p.score = max(0, p.score+points)
	if p.score != before {
		p.reachedAt = at
	}
	if kind == KindBomb {
		p.bombs++
		p.combo = 0
		return
	}
	p.hits++
	p.combo++
	p.bestCombo = max(p.bestCombo, p.combo)
}
