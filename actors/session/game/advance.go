package game

import "time"

// Advance drives the game to now: it ends the countdown, reveals the
// scheduled moles whose up time has come, retires moles whose lag allowance
// has passed and ends the game, returning what happened in order (nil when
// nothing did). It is correct when called late: a late call reveals the same
// moles, at the same scheduled times, only later.
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
	if g.legacy != nil {
		return g.advanceLegacy(now, events)
	}
	if end := g.EndsAt(); !now.Before(end) {
		// Every planned mole is up before the end: reveal those a late
		// call skipped, so a game always shows its whole schedule.
		return g.finish(end, g.reveal(end, end, events))
	}
	return g.retire(now, g.reveal(now, now, events))
}

// reveal adds, in id order, the planned moles whose UpAt is at or before
// until. Their times come from the schedule, never from the call. It
// announces those still visible at now; one whose whole visible time passed
// before a late call is added unannounced (unseen), since no player could
// have seen it, and retired silently.
func (g *Game) reveal(until, now time.Time, events []Event) []Event {
	for len(g.moles) < len(g.plan) {
		p := g.plan[len(g.moles)]
		up := g.startedAt.Add(p.Up)
		if up.After(until) {
			break
		}
		m := moleState{Mole: Mole{ID: p.ID, Hole: p.Hole, Kind: p.Kind, UpAt: up, DownAt: g.startedAt.Add(p.Down)}}
		m.unseen = !now.Before(m.DownAt)
		g.moles = append(g.moles, m)
		if !m.unseen {
			events = append(events, MoleUp{Mole: m.Mole})
		}
	}
	return events
}

// nextUp is when the next planned mole goes up; zero when none is left.
func (g *Game) nextUp() time.Time {
	if g.legacy != nil {
		return g.nextSpawn
	}
	if len(g.moles) >= len(g.plan) {
		return time.Time{}
	}
	return g.startedAt.Add(g.plan[len(g.moles)].Up)
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
		if up := g.nextUp(); !up.IsZero() && up.Before(wake) {
			wake = up
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
		events = g.down(m, events)
		g.firstLive++
	}
	return events
}

// down announces a retired mole, unless it was never announced.
func (g *Game) down(m *moleState, events []Event) []Event {
	if m.unseen {
		return events
	}
	return append(events, MoleDown{Mole: m.Mole, Whacked: m.winner != ""})
}

// finish retires every live mole and ends the game at its scheduled end.
func (g *Game) finish(end time.Time, events []Event) []Event {
	for ; g.firstLive < len(g.moles); g.firstLive++ {
		events = g.down(&g.moles[g.firstLive], events)
	}
	g.phase = PhaseFinished
	g.endedAt = end
	return append(events, PhaseChanged{Phase: PhaseFinished, At: end})
}
