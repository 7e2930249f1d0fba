// Package botstyle is how the load generator's human-like bots play a mole:
// a reaction delay drawn uniformly from [ReactMin, ReactMax], sometimes the
// wrong hole, sometimes no whack at all. bench/loadgen plays it against a
// server; bench/detector plays it through the pure game rules to measure
// the consistency detector's false flags on the same bots.
package botstyle

import (
	"math/rand/v2"
	"time"
)

// Style is how a bot plays: a human-like reaction delay drawn uniformly from
// [ReactMin, ReactMax], sometimes aiming at the wrong hole, sometimes not
// reacting at all.
type Style struct {
	ReactMin time.Duration
	ReactMax time.Duration
	// MissRate is the chance of whacking a hole next to the mole.
	MissRate float64
	// SkipRate is the chance of letting a mole go.
	SkipRate float64
}

// Aim decides the bot's whack on a (non-bomb) mole at hole of a board of
// holes: the hole it whacks and after how long, or ok false when it lets
// the mole go. The draws from rng are in a fixed order, so a seed replays
// the same decisions.
func (s Style) Aim(rng *rand.Rand, hole, holes int) (target int, after time.Duration, ok bool) {
	if rng.Float64() < s.SkipRate {
		return 0, 0, false
	}
	target = hole
	if holes > 1 && rng.Float64() < s.MissRate {
		target = (hole + 1 + rng.IntN(holes-1)) % holes
	}
	return target, s.reaction(rng), true
}

func (s Style) reaction(rng *rand.Rand) time.Duration {
	spread := s.ReactMax - s.ReactMin
	if spread <= 0 {
		return s.ReactMin
	}
	return s.ReactMin + time.Duration(rng.Int64N(int64(spread)+1))
}
