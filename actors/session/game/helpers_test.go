package game

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// t0 is the fixed origin of every test clock.
var t0 = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

// ms returns t0 plus n milliseconds.
func ms(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }

// classicMode is the default mode: 3×3, 30 s, a mole a second, up 800 ms.
func classicMode() Mode {
	return Mode{
		Name: "classic", Rows: 3, Cols: 3,
		Duration: 30 * time.Second, SpawnInterval: time.Second, Visible: 800 * time.Millisecond,
		Countdown: 3 * time.Second, MaxMolesUp: 1, HitPoints: 1, GoldenPoints: 5, BombPenalty: 3,
	}
}

// quickMode is classic without a countdown, so Begin spawns mole 1 at once.
func quickMode() Mode {
	m := classicMode()
	m.Name = "quick"
	m.Countdown = 0
	return m
}

func testLimits() Limits {
	return Limits{LagCap: 150 * time.Millisecond, MinReaction: 80 * time.Millisecond, MaxWhacksPerSecond: 15}
}

// newGame creates a game whose players (the first is the creator) have
// joined.
func newGame(tb testing.TB, mode Mode, seed uint64, players ...string) *Game {
	tb.Helper()
	g, err := New(mode, testLimits(), seedOf(seed), max(1, len(players)), players[0])
	require.NoError(tb, err)
	for _, p := range players[1:] {
		require.NoError(tb, g.Join(p))
	}
	return g
}

// begin starts g at t0 and returns the first mole it spawned (quickMode).
func begin(tb testing.TB, g *Game) Mole {
	tb.Helper()
	events, err := g.Begin(t0)
	require.NoError(tb, err)
	return moleUp(tb, events)
}

// moleUp returns the single MoleUp among events.
func moleUp(tb testing.TB, events []Event) Mole {
	tb.Helper()
	var ups []Mole
	for _, e := range events {
		if up, ok := e.(MoleUp); ok {
			ups = append(ups, up.Mole)
		}
	}
	require.Len(tb, ups, 1, "events %+v", events)
	return ups[0]
}

// whack judges w and returns its judgement, the last event: any before it
// reveal moles no Advance has yet.
func whack(tb testing.TB, g *Game, w Whack) Event {
	tb.Helper()
	events, err := g.Whack(w)
	require.NoError(tb, err)
	require.NotEmpty(tb, events)
	for _, e := range events[:len(events)-1] {
		require.IsType(tb, MoleUp{}, e)
	}
	return events[len(events)-1]
}

// seedOf widens a test's small seed number to a game seed.
func seedOf(n uint64) Seed { return LegacySeed(n) }

// otherHole is a hole that is not h.
func otherHole(h int) int { return (h + 1) % 9 }
