package main

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/proofstell/proofstell/bench/internal/botstyle"
)

// player decides a whack on a mole at hole of a board of holes: the hole it
// whacks and after how long it reacts, or ok false when it lets it go.
type player interface {
	aim(hole, holes int) (target int, after time.Duration, ok bool)
}

// loadgenBot is the load generator's human-like bot, its own code.
type loadgenBot struct {
	style botstyle.Style
	rng   *rand.Rand
}

func (b loadgenBot) aim(hole, holes int) (int, time.Duration, bool) {
	return b.style.Aim(b.rng, hole, holes)
}

// loadgenStyle is bench/loadgen's default style (its -react-min,
// -react-max, -miss and -skip defaults).
var loadgenStyle = botstyle.Style{ReactMin: 250 * time.Millisecond, ReactMax: 600 * time.Millisecond, MissRate: 0.10, SkipRate: 0.05}

// human is the wider human model: reactions lognormal around a median of
// 400 ms (σ 0.35 in log space) clamped to 200–900 ms, an accuracy of its
// own in 70–95 %, and one mole in twenty let go.
type human struct {
	accuracy float64
	rng      *rand.Rand
}

func newHuman(rng *rand.Rand) human { return human{accuracy: 0.70 + 0.25*rng.Float64(), rng: rng} }

func (h human) aim(hole, holes int) (int, time.Duration, bool) {
	if h.rng.Float64() < 0.05 {
		return 0, 0, false
	}
	ms := math.Exp(math.Log(400) + 0.35*h.rng.NormFloat64())
	after := time.Duration(min(max(ms, 200), 900) * float64(time.Millisecond))
	return wrongHole(h.rng, hole, holes, 1-h.accuracy), after, true
}

// steadyBot is the first cheat: every mole 180 ms after it shows, never
// a wrong hole.
type steadyBot struct{}

func (steadyBot) aim(hole, _ int) (int, time.Duration, bool) {
	return hole, 180 * time.Millisecond, true
}

// jitterBot is the second: 150–300 ms uniform, 98 % on target.
type jitterBot struct{ rng *rand.Rand }

func (b jitterBot) aim(hole, holes int) (int, time.Duration, bool) {
	after := jittered(b.rng)
	return wrongHole(b.rng, hole, holes, 0.02), after, true
}

// spoiltBot is the third, the one the pooled rule exists for: the
// jittered bot's timing with perfect aim, except in one game of three
// where it misses 15 % of its whacks, so that no game of its own shows a
// bot's accuracy over several. Which game of each three is spoilt is the
// bot's own (drawn once), so some spoil their first game.
type spoiltBot struct {
	rng   *rand.Rand
	phase int
	game  int
}

func newSpoiltBot(rng *rand.Rand) *spoiltBot { return &spoiltBot{rng: rng, phase: rng.IntN(3)} }

func (b *spoiltBot) startGame(n int) { b.game = n }

// spoilt reports whether the game being played is one the bot spoils.
func (b *spoiltBot) spoilt() bool { return b.game%3 == b.phase }

func (b *spoiltBot) aim(hole, holes int) (int, time.Duration, bool) {
	after, miss := jittered(b.rng), 0.0
	if b.spoilt() {
		miss = 0.15
	}
	return wrongHole(b.rng, hole, holes, miss), after, true
}

// jittered is a cheat's reaction: 150–300 ms uniform, inhumanly narrow.
func jittered(rng *rand.Rand) time.Duration {
	return 150*time.Millisecond + time.Duration(rng.Int64N(int64(150*time.Millisecond)+1))
}

// wrongHole is hole, or with chance miss another hole of the board.
func wrongHole(rng *rand.Rand, hole, holes int, miss float64) int {
	if holes > 1 && rng.Float64() < miss {
		return (hole + 1 + rng.IntN(holes-1)) % holes
	}
	return hole
}
