package game

import "time"

// Event is something the rules decided; the actor turns each into a client
// frame. Events are returned as values of the types below, in the order they
// happened.
type Event interface{ isEvent() }

// PhaseChanged announces a new phase. At is the scheduled instant of the
// change (not the time of the call that noticed it); StartsIn is the countdown
// length when Phase is PhaseCountdown.
type PhaseChanged struct {
	Phase    Phase
	At       time.Time
	StartsIn time.Duration
}

// MoleUp announces a spawn.
type MoleUp struct {
	Mole Mole
}

// MoleDown announces that a mole is retired (its lag allowance has passed or
// the game ended). Whacked tells whether someone won it.
type MoleDown struct {
	Mole    Mole
	Whacked bool
}

// Hit reports a whack that won a mole. Points is the mole's nominal value
// (negative for a bomb); Score is the player's score after it, never below 0.
type Hit struct {
	MoleID   int64
	Hole     int
	PlayerID string
	Points   int64
	Score    int64
}

// Miss reports a valid whack that did not score, and why. MoleID is the mole
// judged (0 when none was found); Score is the player's unchanged score.
type Miss struct {
	MoleID   int64
	Hole     int
	PlayerID string
	Reason   MissReason
	Score    int64
}

func (PhaseChanged) isEvent() {}
func (MoleUp) isEvent()       {}
func (MoleDown) isEvent()     {}
func (Hit) isEvent()          {}
func (Miss) isEvent()         {}
