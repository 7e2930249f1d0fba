package game

import "time"

// Clock returns the latest time the game has seen (the now of its last
// Begin or Advance; restored from a snapshot). A session re-activated after
// an outage compares it with its own clock to decide whether the game can
// fairly go on.
func (g *Game) Clock() time.Time { return g.clock }

// Resume inserts the time between the game's clock and now as a pause, for a
// game restored after its activation was lost (node crash, grain moved). It
// returns the pause inserted: 0 when the game is waiting or finished, or when
// now is not after the clock (time never moves backwards).
//
// Everything still ahead on the game's timeline moves forward by the gap: the
// start (and with it the scheduled end and the moles still to come), the legacy spawn
// slot, the countdown's start when it lies at or after the clock, and the
// live moles' UpAt and DownAt. The clock becomes now. The game then continues
// exactly where the snapshot left it: the same remaining time, the same
// remaining visible time of each live mole, the same mole schedule and the
// same judging relative to the moles. Retired moles stay where they were, so
// DownAt remains non-decreasing in mole id. Players' whack times and
// ReachedAt are real past instants and are not moved: the rate limit counts
// real time and ties keep going to whoever scored first.
//
// For a grace after the resume (the outage, at most maxStaleGrace, plus the
// lag cap and the reaction time) a whack that would be judged too fast or
// over the rate is a MissStale instead, neither counted nor flagged: the
// client saw moles the snapshot never recorded (the resumed game spawns the
// same ids again, later) and may have queued whacks during the pause.
func (g *Game) Resume(now time.Time) time.Duration {
	if g.phase != PhaseCountdown && g.phase != PhaseRunning {
		return 0
	}
	gap := now.Sub(g.clock)
	if gap <= 0 {
		return 0
	}
	if !g.countdownAt.Before(g.clock) {
		g.countdownAt = g.countdownAt.Add(gap)
	}
	g.startedAt = g.startedAt.Add(gap)
	g.nextSpawn = g.nextSpawn.Add(gap)
	for i := g.firstLive; i < len(g.moles); i++ {
		m := &g.moles[i]
		m.UpAt, m.DownAt = m.UpAt.Add(gap), m.DownAt.Add(gap)
	}
	g.clock = now
	g.staleUntil = now.Add(min(gap, maxStaleGrace) + g.limits.LagCap + g.limits.MinReaction)
	return gap
}

// maxStaleGrace bounds the part of the post-resume grace that grows with the
// outage: only moles of the last snapshot interval can be replayed, and a
// longer grace would only widen a window in which cheats are not flagged.
const maxStaleGrace = 5 * time.Second

// Remaining returns the running time left at now: until the scheduled end
// while counting down or running (the whole Duration before the start), 0
// otherwise. It lets a re-attaching client show the right timer.
func (g *Game) Remaining(now time.Time) time.Duration {
	if g.phase != PhaseCountdown && g.phase != PhaseRunning {
		return 0
	}
	if now.Before(g.startedAt) {
		return g.mode.Duration
	}
	return max(0, g.EndsAt().Sub(now))
}
