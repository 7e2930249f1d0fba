package playbot

import "time"

// Reaction defaults: a person reacts in about 200–550 ms over a game. A
// narrower spread (such as 200–300 ms) with perfect aim is what the
// server's consistency detector holds for review as a bot's
// (actors/session/detector), so the bot that plays "the way a person would"
// spreads as one does. MinReaction stays well above the server's default
// GAME_MIN_REACTION (80ms), under which a whack is refused as inhuman.
const (
	DefaultTypical     = 200 * time.Millisecond
	DefaultJitter      = 350 * time.Millisecond
	DefaultMinReaction = 150 * time.Millisecond
	// lateMargin is how long before a mole goes down a late whack is still
	// sent, so that it arrives while the mole is up.
	lateMargin = 60 * time.Millisecond
)

// Reflex decides how long the player takes to whack a mole.
type Reflex struct {
	// Typical is the fastest usual reaction; Jitter is added to it, scaled
	// by Rand (uniform in [0, 1)).
	Typical, Jitter time.Duration
	// Min is the floor: no whack is ever faster.
	Min time.Duration
	// Rand returns the next number in [0, 1); inject a fixed one in tests.
	Rand func() float64
}

// DefaultReflex reacts in 200–550 ms using rnd.
func DefaultReflex(rnd func() float64) Reflex {
	return Reflex{Typical: DefaultTypical, Jitter: DefaultJitter, Min: DefaultMinReaction, Rand: rnd}
}

// Delay returns how long after seeing m the player whacks it, and false
// when the player leaves it alone: a bomb costs points, and a mole up for
// less than Min plus the late margin cannot be caught by a person. A mole
// about to go down is whacked just before it does, never faster than Min.
func (r Reflex) Delay(m Mole) (time.Duration, bool) {
	if m.Kind == KindBomb {
		return 0, false
	}
	latest := time.Duration(m.UpMs)*time.Millisecond - lateMargin
	if latest < r.Min {
		return 0, false
	}
	d := r.Typical + time.Duration(r.Rand()*float64(r.Jitter))
	return min(max(d, r.Min), latest), true
}
