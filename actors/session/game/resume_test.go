package game

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestGame_ResumeContinuesAsIfPaused cuts a 3-player classic game, restores
// it from its snapshot after an outage and resumes it: from there on the
// resumed game must produce exactly the original's events and result, every
// time moved by the outage.
func TestGame_ResumeContinuesAsIfPaused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cut  int // ms since t0 the game is played to before the outage
		gap  time.Duration
	}{
		{"countdown", 1000, 5 * time.Second},
		{"first mole up", 3100, 5 * time.Second},
		{"mid game", 15370, 1500 * time.Millisecond},
		{"mole in lag grace", 20900, 25 * time.Second},
		{"just before the end", 32990, time.Minute},
	}
	players := []string{"a", "b", "c"}
	step := 10 * time.Millisecond
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGame(t, classicMode(), 99, players...)
			b := &bot{players: players, rtt: 45 * time.Millisecond}
			events, err := g.Begin(t0)
			require.NoError(t, err)
			b.observe(events)
			play(t, g, b, t0, ms(tt.cut), step)
			data, err := g.Snapshot()
			require.NoError(t, err)
			resumed, err := Restore(classicMode(), testLimits(), data)
			require.NoError(t, err)
			require.Equal(t, ms(tt.cut), resumed.Clock())

			back := ms(tt.cut).Add(tt.gap)
			require.Equal(t, tt.gap, resumed.Resume(back))
			// The stale grace (TestGame_ResumeGraceForStaleWhacks) is the one
			// intended difference from the uninterrupted game; switch it off.
			require.True(t, resumed.staleUntil.After(back))
			resumed.staleUntil = time.Time{}
			require.Equal(t, back, resumed.Clock())
			require.Equal(t, g.Remaining(ms(tt.cut)), resumed.Remaining(back), "the same time is left")
			require.Equal(t, g.NextWake(ms(tt.cut)).Add(tt.gap), resumed.NextWake(back))
			require.Equal(t, g.EndsAt().Add(tt.gap), resumed.EndsAt())

			rb := b.clone()
			for i := range rb.pending {
				rb.pending[i].At = rb.pending[i].At.Add(tt.gap)
			}
			want := play(t, g, b, ms(tt.cut).Add(step), ms(35000), step)
			got := play(t, resumed, rb, back.Add(step), ms(35000).Add(tt.gap), step)
			require.NotEmpty(t, want)
			require.Equal(t, want, shiftEvents(got, -tt.gap))
			require.Equal(t, g.Result(), shiftResult(resumed.Result(), ms(tt.cut), -tt.gap))
		})
	}
}

// shiftEvents moves every time in events by d.
func shiftEvents(events []Event, d time.Duration) []Event {
	out := make([]Event, len(events))
	for i, e := range events {
		switch e := e.(type) {
		case PhaseChanged:
			e.At = e.At.Add(d)
			out[i] = e
		case MoleUp:
			e.Mole.UpAt, e.Mole.DownAt = e.Mole.UpAt.Add(d), e.Mole.DownAt.Add(d)
			out[i] = e
		case MoleDown:
			e.Mole.UpAt, e.Mole.DownAt = e.Mole.UpAt.Add(d), e.Mole.DownAt.Add(d)
			out[i] = e
		default:
			out[i] = e
		}
	}
	return out
}

// shiftResult moves the result's times after cut by d.
func shiftResult(r Result, cut time.Time, d time.Duration) Result {
	r.StartedAt, r.EndedAt = r.StartedAt.Add(d), r.EndedAt.Add(d)
	for i, p := range r.Players {
		if p.ReachedAt.After(cut) {
			r.Players[i].ReachedAt = p.ReachedAt.Add(d)
		}
	}
	return r
}

// TestGame_ResumeJudgesLiveMoles checks the judging of a mole that was up
// when the game stopped: it keeps its remaining visible time after the
// pause, and the moles retired before it stay retired and ordered.
func TestGame_ResumeJudgesLiveMoles(t *testing.T) {
	t.Parallel()
	gap := 5 * time.Second
	tests := []struct {
		name   string
		at     time.Duration // after the resume
		moleOf func(first, second Mole) Mole
		want   any // Hit or a MissReason
	}{
		{"live mole hit in its remaining time", 300 * time.Millisecond, second, Hit{}},
		{"live mole expires on the shifted schedule", 651 * time.Millisecond, second, MissExpired},
		{"retired mole stays expired", 100 * time.Millisecond, first, MissExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGame(t, quickMode(), 3, "a")
			one := begin(t, g)
			require.Len(t, g.Advance(ms(950)), 1, "mole 1 retires")
			two := moleUp(t, g.Advance(ms(1000)))
			g.Advance(ms(1300))
			require.Equal(t, gap, g.Resume(ms(1300).Add(gap)))

			now := ms(1300).Add(gap)
			up := g.LiveMoles(now)
			require.Len(t, up, 1)
			require.Equal(t, two.DownAt.Add(gap), up[0].DownAt)
			require.Equal(t, 500*time.Millisecond, up[0].DownAt.Sub(now), "the mole keeps the 500 ms it had left")
			m := tt.moleOf(one, two)
			ev := whack(t, g, Whack{PlayerID: "a", Hole: m.Hole, MoleID: m.ID, At: now.Add(tt.at)})
			if reason, ok := tt.want.(MissReason); ok {
				require.Equal(t, reason, ev.(Miss).Reason)
				return
			}
			require.Equal(t, two.ID, ev.(Hit).MoleID)

			data, err := g.Snapshot()
			require.NoError(t, err)
			_, err = Restore(quickMode(), testLimits(), data)
			require.NoError(t, err, "moles stay in time order")
		})
	}
}

// TestGame_ResumeGraceForStaleWhacks: right after a resume the client may
// whack moles it saw before the outage (the resumed game spawns the same ids
// again, later) or whacks it queued during the pause. Whacks that would flag
// the game are judged stale instead (not counted, not flagged) for the grace
// (the outage up to 5 s, plus the lag cap and the reaction time); after it,
// judging is strict again. Classic spawns every second: with a 2 s outage the
// grace ends 2.23 s after the resume, between the 2nd and 3rd new moles.
func TestGame_ResumeGraceForStaleWhacks(t *testing.T) {
	t.Parallel()
	gap := 2 * time.Second
	tests := []struct {
		name    string
		nth     int // mole spawned after the resume, whacked 10 ms after it rose
		want    MissReason
		flagged bool
	}{
		{"first new mole, too fast", 1, MissStale, false},
		{"second new mole, still in the grace", 2, MissStale, false},
		{"third new mole, after the grace", 3, MissTooFast, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGame(t, quickMode(), 3, "a")
			begin(t, g)
			g.Advance(ms(950))
			g.Advance(ms(1000))
			back := ms(1000).Add(gap)
			require.Equal(t, gap, g.Resume(back))
			var up Mole
			for seen := 0; seen < tt.nth; {
				for _, ev := range g.Advance(g.NextWake(g.Clock())) {
					if m, ok := ev.(MoleUp); ok {
						up, seen = m.Mole, seen+1
					}
				}
			}
			ev := whack(t, g, Whack{PlayerID: "a", Hole: up.Hole, MoleID: up.ID, At: up.UpAt.Add(10 * time.Millisecond)})
			require.Equal(t, tt.want, ev.(Miss).Reason)
			require.Equal(t, tt.flagged, g.Flagged())
			score, _ := g.Score("a")
			require.Equal(t, map[bool]int{true: 1, false: 0}[tt.flagged], score.Misses, "a stale whack is not a miss")
		})
	}
}

func first(a, _ Mole) Mole  { return a }
func second(_, b Mole) Mole { return b }

// TestGame_ResumeNoOp covers the games Resume must leave alone.
func TestGame_ResumeNoOp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(*Game) time.Time // plays the game, returns the resume time
	}{
		{"waiting", func(*Game) time.Time { return ms(5000) }},
		{"finished", func(g *Game) time.Time {
			_, _ = g.Begin(t0)
			g.Advance(ms(40000))
			return ms(50000)
		}},
		{"now before the clock", func(g *Game) time.Time {
			_, _ = g.Begin(t0)
			g.Advance(ms(4000))
			return ms(3500)
		}},
		{"now at the clock", func(g *Game) time.Time {
			_, _ = g.Begin(t0)
			g.Advance(ms(4000))
			return ms(4000)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGame(t, classicMode(), 7, "a")
			now := tt.setup(g)
			before, err := g.Snapshot()
			require.NoError(t, err)
			require.Zero(t, g.Resume(now))
			after, err := g.Snapshot()
			require.NoError(t, err)
			require.JSONEq(t, string(before), string(after), "nothing moved")
		})
	}
}

func TestGame_Remaining(t *testing.T) {
	t.Parallel()
	g := newGame(t, classicMode(), 7, "a")
	require.Zero(t, g.Remaining(t0), "waiting")
	_, err := g.Begin(t0)
	require.NoError(t, err)
	require.Equal(t, 30*time.Second, g.Remaining(ms(1000)), "counting down")
	g.Advance(ms(4000))
	require.Equal(t, 29*time.Second, g.Remaining(ms(4000)))
	require.Zero(t, g.Remaining(ms(40000)), "past the end")
	g.Advance(ms(40000))
	require.Zero(t, g.Remaining(ms(40000)), "finished")
}
