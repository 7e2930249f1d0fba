package game

import (
	"math/rand/v2"
	"time"
)

// This file keeps the spawner of games restored from a version 1 snapshot,
// taken before moles came from Schedule: such a game was started with a
// uint64 seed and a PCG whose state the snapshot holds, and it finishes with
// them so its moles stay the ones its players were promised (they never saw
// a commitment; see docs/FAIRNESS.md). New games never use it. Delete it once
// no version 1 snapshot can be in flight.

// legacySpawner is a legacy game's generator.
type legacySpawner struct {
	seed uint64
	pcg  *rand.PCG
	rng  *rand.Rand
}

// newLegacySpawner restores the PCG from its snapshot bytes.
func newLegacySpawner(seed uint64, state []byte) (*legacySpawner, error) {
	pcg := &rand.PCG{}
	if err := pcg.UnmarshalBinary(state); err != nil {
		return nil, err
	}
	return &legacySpawner{seed: seed, pcg: pcg, rng: rand.New(pcg)}, nil //nolint:gosec // G404: replayable by design
}

// advanceLegacy is advance's running phase for a legacy game: slots on the
// SpawnInterval grid, at most one mole per call at the call's time.
func (g *Game) advanceLegacy(now time.Time, events []Event) []Event {
	if end := g.EndsAt(); !now.Before(end) {
		return g.finish(end, events)
	}
	events = g.retire(now, events)
	return g.spawnDue(now, events)
}

// spawnDue spawns one mole at now if a slot is due, then moves the next slot
// to the first grid point after now: slots missed by a late call are dropped.
func (g *Game) spawnDue(now time.Time, events []Event) []Event {
	if now.Before(g.nextSpawn) {
		return events
	}
	slots := now.Sub(g.startedAt)/g.mode.SpawnInterval + 1
	g.nextSpawn = g.startedAt.Add(slots * g.mode.SpawnInterval)
	if g.visibleUp(now) >= g.mode.MaxMolesUp || len(g.moles) >= MaxMolesPerGame {
		return events
	}
	hole, ok := g.freeHole()
	if !ok {
		return events
	}
	m := Mole{
		ID:     int64(len(g.moles)) + 1,
		Hole:   hole,
		Kind:   g.drawKind(),
		UpAt:   now,
		DownAt: now.Add(g.mode.Visible),
	}
	g.moles = append(g.moles, moleState{Mole: m})
	return append(events, MoleUp{Mole: m})
}

// visibleUp counts live moles still visible at now and not yet won.
func (g *Game) visibleUp(now time.Time) int {
	n := 0
	for _, m := range g.moles[g.firstLive:] {
		if m.winner == "" && now.Before(m.DownAt) {
			n++
		}
	}
	return n
}

// freeHole draws uniformly among holes with no live mole.
func (g *Game) freeHole() (int, bool) {
	var taken [MaxHoles]bool
	for _, m := range g.moles[g.firstLive:] {
		taken[m.Hole] = true
	}
	var free [MaxHoles]int
	n := 0
	for h := range g.mode.Holes() {
		if !taken[h] {
			free[n] = h
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return free[g.legacy.rng.IntN(n)], true
}

// drawKind draws a mole's kind from the mode's chances.
func (g *Game) drawKind() MoleKind {
	r := g.legacy.rng.Float64()
	switch {
	case r < g.mode.GoldenChance:
		return KindGolden
	case r < g.mode.GoldenChance+g.mode.BombChance:
		return KindBomb
	default:
		return KindNormal
	}
}
