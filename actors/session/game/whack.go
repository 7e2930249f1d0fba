package game

import "time"

// Whack judges one whack. Invalid commands return an error (ErrNotInGame,
// ErrNotRunning, ErrBadHole) and change nothing; a valid whack returns one
// Hit or Miss event, preceded by MoleUp for any planned mole whose up time
// is at or before the whack but which no Advance has revealed yet. The
// judgment depends only on the schedule and the game's whacks so far, never
// on when Advance last ran.
func (g *Game) Whack(w Whack) ([]Event, error) {
	p := g.player(w.PlayerID)
	if p == nil {
		return nil, ErrNotInGame
	}
	if g.phase != PhaseRunning || !w.At.Before(g.EndsAt()) {
		return nil, ErrNotRunning
	}
	if w.Hole < 0 || w.Hole >= g.mode.Holes() {
		return nil, ErrBadHole
	}
	var events []Event
	if g.legacy == nil {
		events = g.reveal(w.At, w.At, nil)
	}
	ev := g.judge(p, w)
	g.logInput(p, w, allowance(w, g.limits), ev)
	return append(events, ev), nil
}

// allowance is the lag allowance a whack is judged with.
func allowance(w Whack, l Limits) time.Duration { return min(max(w.RTT, 0), l.LagCap) }

// judge applies the rules in the documented order.
func (g *Game) judge(p *player, w Whack) Event {
	if p.overRate(w.At, g.limits.MaxWhacksPerSecond) {
		return g.missed(p, w, w.MoleID, g.unlessStale(w, MissRateLimited))
	}
	allowance := allowance(w, g.limits)
	m, reason := g.target(w, allowance)
	if reason != "" {
		return g.missed(p, w, w.MoleID, reason)
	}
	if w.At.Sub(m.UpAt)-allowance < g.limits.MinReaction {
		return g.missed(p, w, m.ID, g.unlessStale(w, MissTooFast))
	}
	if m.winner != "" {
		return g.missed(p, w, m.ID, MissTaken)
	}
	m.winner = p.id
	points := g.points(m.Kind)
	p.win(m.Kind, points, w.At)
	if m.Kind != KindBomb {
		p.react(w.At.Sub(m.UpAt) - allowance)
	}
	return Hit{MoleID: m.ID, Hole: m.Hole, PlayerID: p.id, Points: points, Score: p.score}
}

// unlessStale turns a flagging reason into MissStale during the grace that
// follows a Resume: the client could not yet know the resumed timeline.
func (g *Game) unlessStale(w Whack, reason MissReason) MissReason {
	if w.At.Before(g.staleUntil) {
		return MissStale
	}
	return reason
}

// target finds the mole a whack is judged against, or why there is none.
func (g *Game) target(w Whack, allowance time.Duration) (*moleState, MissReason) {
	if w.MoleID == 0 {
		if m := g.moleAt(w.Hole, w.At, allowance); m != nil {
			return m, ""
		}
		return nil, MissEmpty
	}
	if w.MoleID < 0 || w.MoleID > int64(len(g.moles)) {
		return nil, MissEmpty
	}
	m := &g.moles[w.MoleID-1]
	switch {
	case m.UpAt.After(w.At):
		// Revealed by a later tick than the whack: judged as though the
		// tick had come after it, as the schedule says it may.
		return nil, MissEmpty
	case m.Hole != w.Hole:
		return nil, MissWrongHole
	case w.At.After(m.DownAt.Add(allowance)):
		return nil, MissExpired
	}
	return m, ""
}

// moleAt returns the newest mole up at hole within the whack's window. It
// scans back from the newest mole and stops once moles are too old to
// matter (DownAt is non-decreasing in id).
func (g *Game) moleAt(hole int, at time.Time, allowance time.Duration) *moleState {
	for i := len(g.moles) - 1; i >= 0; i-- {
		m := &g.moles[i]
		if at.After(m.DownAt.Add(allowance)) {
			return nil
		}
		if m.Hole == hole && !at.Before(m.UpAt) {
			return m
		}
	}
	return nil
}

// missed records a miss and builds its event. A flag marks the cheater's
// result (PlayerScore.Flags) and the game as holding a flagged result.
func (g *Game) missed(p *player, w Whack, moleID int64, reason MissReason) Event {
	p.miss(reason)
	if reason.flags() {
		g.flagged = true
	}
	return Miss{MoleID: moleID, Hole: w.Hole, PlayerID: p.id, Reason: reason, Score: p.score}
}

// points is what winning a mole of kind is worth.
func (g *Game) points(kind MoleKind) int64 {
	switch kind {
	case KindGolden:
		return int64(g.mode.GoldenPoints)
	case KindBomb:
		return -int64(g.mode.BombPenalty)
	default:
		return int64(g.mode.HitPoints)
	}
}
