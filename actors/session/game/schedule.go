package game

import (
	"time"
)

// HoleRest is how long a hole stays closed after its mole goes down. It is
// at least the largest lag allowance a server may grant (config caps
// GAME_LAG_CAP at 1 s), so a late whack aimed at a hole's old mole can never
// land on a new one there, whatever the server's limits.
const HoleRest = time.Second

// moleLabel names the per-slot streams of Schedule (docs/FAIRNESS.md).
const moleLabel = "proofstell/mole/v1"

// PlannedMole is one mole of a game's schedule. Up and Down are offsets
// from the start of running (Down = Up + Visible).
type PlannedMole struct {
	ID   int64
	Hole int
	Kind MoleKind
	Up   time.Duration
	Down time.Duration
}

// Schedule returns every mole a game with seed and mode will show, in id
// order. It is a pure function of the seed and the mode's schedule rules
// (Rows, Cols, Duration, SpawnInterval, Visible, MaxMolesUp, GoldenChance,
// BombChance): no tick, player or server limit changes it, which is what
// lets anyone recompute a finished game's moles from its revealed seed.
//
// Slot k (k = 0, 1, … while k·SpawnInterval < Duration) is at offset
// up = k·SpawnInterval. It is skipped when MaxMolesUp earlier moles are
// visible at up (Up ≤ up < Down) or when no hole is free (a hole is busy
// while Up ≤ up < Down + HoleRest for an earlier mole there). Otherwise,
// with the stream NewStream(seed, "proofstell/mole/v1", k), the hole is
// free[IntN(len(free))] over the free holes in ascending order, then r =
// Float64() gives the kind: golden when r < GoldenChance, bomb when r <
// GoldenChance + BombChance, normal otherwise. Ids count the moles from 1.
// mode must be valid (Mode.Validate).
func Schedule(seed Seed, mode Mode) []PlannedMole {
	slots := int((mode.Duration + mode.SpawnInterval - 1) / mode.SpawnInterval)
	plan := make([]PlannedMole, 0, min(slots, MaxMolesPerGame))
	for k := range slots {
		up := time.Duration(k) * mode.SpawnInterval
		hole, ok := scheduleHole(plan, mode, up, uint64(k), seed) //nolint:gosec // k ≥ 0
		if !ok || len(plan) >= MaxMolesPerGame {
			continue
		}
		plan = append(plan, hole)
	}
	return plan
}

// scheduleHole draws slot k's mole, or reports the slot skipped.
func scheduleHole(plan []PlannedMole, mode Mode, up time.Duration, k uint64, seed Seed) (PlannedMole, bool) {
	var busy [MaxHoles]bool
	visible := 0
	// Down is non-decreasing in id, so the scan stops at the first mole
	// whose hole has rested.
	for i := len(plan) - 1; i >= 0 && up < plan[i].Down+HoleRest; i-- {
		busy[plan[i].Hole] = true
		if up < plan[i].Down {
			visible++
		}
	}
	if visible >= mode.MaxMolesUp {
		return PlannedMole{}, false
	}
	var free [MaxHoles]int
	n := 0
	for h := range mode.Holes() {
		if !busy[h] {
			free[n] = h
			n++
		}
	}
	if n == 0 {
		return PlannedMole{}, false
	}
	s := NewStream(seed, moleLabel, k)
	hole := free[s.IntN(uint64(n))] //nolint:gosec // n ≥ 1
	return PlannedMole{
		ID: int64(len(plan)) + 1, Hole: hole, Kind: kindOf(s.Float64(), mode),
		Up: up, Down: up + mode.Visible,
	}, true
}

// kindOf maps a uniform draw in [0, 1) to a kind by the mode's chances.
func kindOf(r float64, mode Mode) MoleKind {
	switch {
	case r < mode.GoldenChance:
		return KindGolden
	case r < mode.GoldenChance+mode.BombChance:
		return KindBomb
	default:
		return KindNormal
	}
}
