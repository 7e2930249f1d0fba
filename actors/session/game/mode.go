package game

import (
	"errors"
	"fmt"
	"time"
)

// Bounds every game stays within; they keep state and snapshots small.
const (
	// MaxHoles is the largest board (Rows·Cols).
	MaxHoles = 64
	// MaxPlayers is the largest shared-board match.
	MaxPlayers = 8
	// MaxMolesPerGame bounds the moles a game remembers (all of them, so late
	// whacks are judged against the right mole).
	MaxMolesPerGame = 4096
	// maxPoints keeps scores far from int64 overflow.
	maxPoints = 1_000_000
	// maxSpan bounds every mode duration so time arithmetic cannot overflow.
	maxSpan = 24 * time.Hour
)

// Mode is a game mode's rules, loaded from data (persistence.Mode).
type Mode struct {
	Name          string
	Rows, Cols    int
	Duration      time.Duration // running time
	SpawnInterval time.Duration // one spawn slot per interval
	Visible       time.Duration // how long a mole stays up
	Countdown     time.Duration // 0 starts running at Begin
	MaxMolesUp    int           // visible, unwon moles at once
	HitPoints     int
	GoldenPoints  int
	BombPenalty   int // positive: points lost for whacking a bomb
	GoldenChance  float64
	BombChance    float64
}

// Holes is the number of holes on the board.
func (m Mode) Holes() int { return m.Rows * m.Cols }

// Validate reports every problem with the mode at once, each wrapping
// ErrInvalidMode.
func (m Mode) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidMode}, args...)...))
	}
	if m.Name == "" {
		bad("name is empty")
	}
	if m.Rows < 1 || m.Cols < 1 || m.Rows > MaxHoles || m.Cols > MaxHoles || m.Holes() > MaxHoles {
		bad("board %dx%d must have 1..%d holes", m.Rows, m.Cols, MaxHoles)
	}
	m.validateTimes(bad)
	m.validateScoring(bad)
	return errors.Join(errs...)
}

func (m Mode) validateTimes(bad func(string, ...any)) {
	for _, d := range []struct {
		name string
		v    time.Duration
		min  time.Duration
	}{
		{"duration", m.Duration, time.Millisecond},
		{"spawn interval", m.SpawnInterval, time.Millisecond},
		{"visible", m.Visible, time.Millisecond},
		{"countdown", m.Countdown, 0},
	} {
		if d.v < d.min || d.v > maxSpan {
			bad("%s %v must be in [%v, %v]", d.name, d.v, d.min, maxSpan)
		}
	}
	if m.SpawnInterval > 0 && m.Duration/m.SpawnInterval >= MaxMolesPerGame {
		bad("duration/spawn interval must be below %d spawns", MaxMolesPerGame)
	}
}

func (m Mode) validateScoring(bad func(string, ...any)) {
	if m.MaxMolesUp < 1 || m.MaxMolesUp > MaxHoles {
		bad("max moles up %d must be in [1, %d]", m.MaxMolesUp, MaxHoles)
	}
	if m.HitPoints < 1 || m.HitPoints > maxPoints {
		bad("hit points %d must be in [1, %d]", m.HitPoints, maxPoints)
	}
	if m.GoldenPoints < 0 || m.GoldenPoints > maxPoints {
		bad("golden points %d must be in [0, %d]", m.GoldenPoints, maxPoints)
	}
	if m.BombPenalty < 0 || m.BombPenalty > maxPoints {
		bad("bomb penalty %d must be in [0, %d]", m.BombPenalty, maxPoints)
	}
	// Written as negated ranges so NaN fails them.
	if !(m.GoldenChance >= 0 && m.GoldenChance <= 1) || !(m.BombChance >= 0 && m.BombChance <= 1) ||
		m.GoldenChance+m.BombChance > 1 {
		bad("chances golden %v and bomb %v must be in [0, 1] with sum at most 1", m.GoldenChance, m.BombChance)
	}
}

// Limits are the server's judging limits (config.Game).
type Limits struct {
	LagCap             time.Duration // max lag allowance granted from RTT (e.g. 150ms)
	MinReaction        time.Duration // fastest accepted human reaction (e.g. 80ms)
	MaxWhacksPerSecond int           // more whacks in any 1 s window are rejected and flagged
}

// Validate reports every problem with the limits, each wrapping
// ErrInvalidLimits.
func (l Limits) Validate() error {
	var errs []error
	if l.LagCap < 0 || l.LagCap > time.Minute {
		errs = append(errs, fmt.Errorf("%w: lag cap %v must be in [0, 1m]", ErrInvalidLimits, l.LagCap))
	}
	if l.MinReaction < 0 || l.MinReaction > time.Minute {
		errs = append(errs, fmt.Errorf("%w: min reaction %v must be in [0, 1m]", ErrInvalidLimits, l.MinReaction))
	}
	if l.MaxWhacksPerSecond < 1 || l.MaxWhacksPerSecond > 1000 {
		errs = append(errs, fmt.Errorf("%w: max whacks per second %d must be in [1, 1000]",
			ErrInvalidLimits, l.MaxWhacksPerSecond))
	}
	return errors.Join(errs...)
}
