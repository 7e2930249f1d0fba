package game

import (
	"fmt"
	"time"
)

// Phase is where a game is in its life.
type Phase int

// Phases, in the only order a game goes through them.
const (
	PhaseWaiting Phase = iota
	PhaseCountdown
	PhaseRunning
	PhaseFinished
)

var phaseNames = [...]string{"waiting", "countdown", "running", "finished"}

// String returns the phase's protocol name.
func (p Phase) String() string {
	if p < 0 || int(p) >= len(phaseNames) {
		return fmt.Sprintf("phase(%d)", int(p))
	}
	return phaseNames[p]
}

// parsePhase is the inverse of String for known phases.
func parsePhase(s string) (Phase, bool) {
	for i, name := range phaseNames {
		if name == s {
			return Phase(i), true
		}
	}
	return 0, false
}

// MoleKind says what whacking a mole is worth.
type MoleKind string

// Mole kinds.
const (
	KindNormal MoleKind = "normal"
	KindGolden MoleKind = "golden"
	KindBomb   MoleKind = "bomb"
)

func (k MoleKind) valid() bool {
	return k == KindNormal || k == KindGolden || k == KindBomb
}

// Mole is one spawn. IDs are a per-game sequence from 1.
type Mole struct {
	ID     int64
	Hole   int
	Kind   MoleKind
	UpAt   time.Time
	DownAt time.Time // UpAt + Visible; judged with a lag allowance on top
}

// Whack is a player's hit on a hole. At is the server's receive time on the
// same clock as the now given to Advance; RTT is the connection's measured
// round trip. MoleID 0 targets whatever mole is up at the hole.
type Whack struct {
	PlayerID string
	Hole     int
	MoleID   int64
	At       time.Time
	RTT      time.Duration
}

// MissReason says why a valid whack did not score.
type MissReason string

// Miss reasons (see the package documentation for the judging order).
const (
	// MissEmpty: no such mole up at that hole.
	MissEmpty MissReason = "empty"
	// MissExpired: the mole went down before the whack, even with the lag
	// allowance.
	MissExpired MissReason = "expired"
	// MissTaken: another player already won the mole.
	MissTaken MissReason = "taken"
	// MissTooFast: faster than MinReaction after the spawn reached the
	// client; flags the player.
	MissTooFast MissReason = "too_fast"
	// MissRateLimited: the player is over MaxWhacksPerSecond; flags the
	// player.
	MissRateLimited MissReason = "rate_limited"
	// MissWrongHole: the mole exists but is at another hole.
	MissWrongHole MissReason = "wrong_hole"
	// MissStale: just after the game resumed from a snapshot, a whack that
	// would have been too fast or over the rate: it aims at a mole the client
	// saw before the outage (the resumed game spawns the same ids again,
	// later) or was queued during the pause. Neither counted nor flagged.
	MissStale MissReason = "stale"
)

// countsAsMiss reports whether the reason is the player's own miss (counted
// in Misses, breaks the combo). Losing a race ("taken") is not, nor is a
// whack made stale by an outage.
func (r MissReason) countsAsMiss() bool { return r != MissTaken && r != MissStale }

// flags reports whether the reason is evidence of cheating.
func (r MissReason) flags() bool { return r == MissTooFast || r == MissRateLimited }
