package main

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/bench/internal/botstyle"
)

// Style is how a bot plays (bench/internal/botstyle, shared with
// bench/detector).
type Style = botstyle.Style

// plannedWhack is a whack the bot has decided on, to be sent when due.
type plannedWhack struct {
	due    time.Time
	hole   int
	moleID int64
}

// game is one bot's view of the game it is playing. It is pure: no I/O, no
// clock (callers pass the time), randomness from the bot's seeded RNG, so a
// seed replays the same decisions.
type game struct {
	style     Style
	rng       *rand.Rand
	sessionID string
	holes     int
	// plan is sorted by due time; at most a few moles are up at once, so a
	// sorted slice beats a heap.
	plan []plannedWhack
	// sent maps an in-flight whack's request id to when it was sent.
	sent map[int64]time.Time
}

func newGame(style Style, rng *rand.Rand, ack events.SessionAck) *game {
	return &game{
		style:     style,
		rng:       rng,
		sessionID: ack.SessionID,
		holes:     max(ack.Board.Rows*ack.Board.Cols, 1),
		sent:      make(map[int64]time.Time),
	}
}

// onMole decides whether and where to whack a mole that appeared at now.
func (g *game) onMole(m events.Mole, now time.Time) {
	if m.GameID != g.sessionID || m.Kind == "bomb" {
		return
	}
	hole, after, ok := g.style.Aim(g.rng, m.Hole, g.holes)
	if !ok {
		return
	}
	w := plannedWhack{due: now.Add(after), hole: hole, moleID: m.MoleID}
	i, _ := slices.BinarySearchFunc(g.plan, w.due, func(p plannedWhack, t time.Time) int { return p.due.Compare(t) })
	g.plan = slices.Insert(g.plan, i, w)
}

// nextDue reports when the earliest planned whack is due.
func (g *game) nextDue() (time.Time, bool) {
	if len(g.plan) == 0 {
		return time.Time{}, false
	}
	return g.plan[0].due, true
}

// due removes and returns the whacks due at now.
func (g *game) due(now time.Time) []plannedWhack {
	n := 0
	for n < len(g.plan) && !g.plan[n].due.After(now) {
		n++
	}
	out := slices.Clone(g.plan[:n])
	g.plan = slices.Delete(g.plan, 0, n)
	return out
}

// whackSent records that the whack with request id left at at.
func (g *game) whackSent(id int64, at time.Time) {
	g.sent[id] = at
}

// judged matches a reply to its whack and returns the round trip; ok is
// false for ids that are not in-flight whacks.
func (g *game) judged(id int64, at time.Time) (time.Duration, bool) {
	sentAt, ok := g.sent[id]
	if !ok {
		return 0, false
	}
	delete(g.sent, id)
	return at.Sub(sentAt), true
}

// inFlight counts whacks still waiting for their judgement.
func (g *game) inFlight() int {
	return len(g.sent)
}
