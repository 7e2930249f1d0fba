package game

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func BenchmarkGame_Whack(b *testing.B) {
	mode := quickMode()
	mode.Duration, mode.Visible, mode.SpawnInterval = 24*time.Hour, 24*time.Hour, time.Hour
	limits := testLimits()
	limits.MaxWhacksPerSecond = 1000
	g, err := New(mode, limits, seedOf(1), 2, "a")
	require.NoError(b, err)
	require.NoError(b, g.Join("b"))
	events, err := g.Begin(t0)
	require.NoError(b, err)
	m := moleUp(b, events)
	players := [2]string{"a", "b"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		at := t0.Add(100*time.Millisecond + time.Duration(i)*time.Millisecond)
		if _, err := g.Whack(Whack{PlayerID: players[i%2], Hole: m.Hole, MoleID: m.ID, At: at, RTT: 40 * time.Millisecond}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGame_Advance(b *testing.B) {
	start := func() *Game {
		g := newGame(b, classicMode(), 1, "a")
		if _, err := g.Begin(t0); err != nil {
			b.Fatal(err)
		}
		return g
	}
	g := start()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		g.Advance(t0.Add(time.Duration(i%1700) * 20 * time.Millisecond))
		if g.Phase() == PhaseFinished {
			g = start()
		}
	}
}

// BenchmarkSchedule is the cost New pays to plan a classic game's moles.
func BenchmarkSchedule(b *testing.B) {
	mode := classicMode()
	b.ReportAllocs()
	for b.Loop() {
		Schedule(seedOf(1), mode)
	}
}

// BenchmarkReplay_Pack is what a finished ranked game adds to the session's
// mailbox on the commit path: building, encoding and compressing its replay.
func BenchmarkReplay_Pack(b *testing.B) {
	g := playedReplay(b)
	b.ReportAllocs()
	for b.Loop() {
		PackReplay(g.Replay("0b7e7f0e-3c1a-4f43-9a57-5d1c2f0e8a11"))
	}
}
