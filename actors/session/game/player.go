package game

import "time"

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
	reachedAt time.Time
	// whacks holds the times of the player's latest whacks, oldest first,
	// at most MaxWhacksPerSecond of them (overflow: the oldest is dropped,
	// it can no longer matter to a one-second window).
	whacks []time.Time
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
