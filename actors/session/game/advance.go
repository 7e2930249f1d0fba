package game

import "time"

// Advance drives the game to now: it ends the countdown, retires moles whose
// lag allowance has passed, spawns the due mole and ends the game, returning
// what happened in order (nil when nothing did). It is correct when called
// late; see the package documentation for how missed spawn slots are handled.
func (g *Game) Advance(now time.Time) []Event {
	return g.advance(g.tick(now), nil)
}

func (g *Game) advance(now time.Time, events []Event) []Event {
	if g.phase == PhaseCountdown && !now.Before(g.startedAt) {
		g.phase = PhaseRunning
		events = append(events, PhaseChanged{Phase: PhaseRunning, At: g.startedAt})
	}
	if g.phase != PhaseRunning {
		return events
	}
	if end := g.EndsAt(); !now.Before(end) {
		return g.finish(end, events)
	}
	events = g.retire(now, events)
	return g.spawnDue(now, events)
}

// NextWake returns the earliest time at which Advance has something to do,
// never before now; zero when nothing will happen without a command (waiting
// or finished).
func (g *Game) NextWake(now time.Time) time.Time {
	var wake time.Time
	switch g.phase {
	case PhaseCountdown:
		wake = g.startedAt
	case PhaseRunning:
		wake = g.EndsAt()
		if g.nextSpawn.Before(wake) {
			wake = g.nextSpawn
		}
		if g.firstLive < len(g.moles) {
			if down := g.moles[g.firstLive].DownAt.Add(g.limits.LagCap); down.Before(wake) {
				wake = down
			}
		}
	default:
		return time.Time{}
	}
	if wake.Before(now) {
		return now
	}
	return wake
}

// retire emits MoleDown for every live mole whose allowance ended by now.
func (g *Game) retire(now time.Time, events []Event) []Event {
	for g.firstLive < len(g.moles) {
		m := &g.moles[g.firstLive]
		if now.Before(m.DownAt.Add(g.limits.LagCap)) {
			break
		}
		events = append(events, MoleDown{Mole: m.Mole, Whacked: m.winner != ""})
		g.firstLive++
	}
	return events
}

// finish retires every live mole and ends the game at its scheduled end.
func (g *Game) finish(end time.Time, events []Event) []Event {
	for ; g.firstLive < len(g.moles); g.firstLive++ {
		m := &g.moles[g.firstLive]
		events = append(events, MoleDown{Mole: m.Mole, Whacked: m.winner != ""})
	}
	g.phase = PhaseFinished
	g.endedAt = end
	return append(events, PhaseChanged{Phase: PhaseFinished, At: end})
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
	return free[g.rng.IntN(n)], true
}

// drawKind draws a mole's kind from the mode's chances.
func (g *Game) drawKind() MoleKind {
	r := g.rng.Float64()
	switch {
	case r < g.mode.GoldenChance:
		return KindGolden
	case r < g.mode.GoldenChance+g.mode.BombChance:
		return KindBomb
	default:
		return KindNormal
	}
}
