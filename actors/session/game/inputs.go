package game

import "time"

// MaxInputs bounds a game's input log. A player's whacks that are not
// rate_limited number at most MaxWhacksPerSecond in any second, so under the
// default limits (15/s) even 8 players whacking flat out for a 60 s game
// log 7,200; only rate_limited floods go past it, and those flag the game.
// Overflow policy: later whacks are still judged but not logged, and the
// replay says the log is truncated.
const MaxInputs = 8192

// Input is one judged whack of a game's input log: everything a verifier
// needs to judge it again against the schedule (docs/FAIRNESS.md).
type Input struct {
	// Player is the whacker's index in join order (Players).
	Player int
	// At is the server's receive time as an offset from the start of
	// running, on the game's timeline (a resume's pause is not in it).
	At   time.Duration
	Hole int
	// MoleID is the mole the whack named; 0 named whatever was up.
	MoleID int64
	// Allowance is the lag allowance applied, min(RTT, LagCap).
	Allowance time.Duration
	// Judgement is JudgementHit or the MissReason.
	Judgement string
	// Mole is the mole judged against (0 when none was found).
	Mole int64
}

// JudgementHit is an Input's judgement for a whack that won its mole.
const JudgementHit = "hit"

// Inputs returns the input log, oldest first, and whether it overflowed
// MaxInputs (later whacks were judged but not logged).
func (g *Game) Inputs() ([]Input, bool) { return g.inputs, g.inputsTruncated }

// logInput appends a judged whack to the input log.
func (g *Game) logInput(p *player, w Whack, allowance time.Duration, ev Event) {
	if len(g.inputs) >= MaxInputs {
		g.inputsTruncated = true
		return
	}
	in := Input{
		Player: g.playerIndex(p), At: w.At.Sub(g.startedAt), Hole: w.Hole, MoleID: w.MoleID,
		Allowance: allowance,
	}
	switch e := ev.(type) {
	case Hit:
		in.Judgement, in.Mole = JudgementHit, e.MoleID
	case Miss:
		in.Judgement, in.Mole = string(e.Reason), e.MoleID
	}
	g.inputs = append(g.inputs, in)
}

// validJudgement reports whether j is a judgement an Input can carry.
func validJudgement(j string) bool {
	switch MissReason(j) {
	case MissEmpty, MissExpired, MissTaken, MissTooFast, MissRateLimited, MissWrongHole, MissStale:
		return true
	}
	return j == JudgementHit
}

// playerIndex is p's position in join order.
func (g *Game) playerIndex(p *player) int {
	for i, q := range g.players {
		if q == p {
			return i
		}
	}
	return -1
}
