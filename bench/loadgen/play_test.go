package main

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
)

var t0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func testGame(style Style, seed uint64) *game {
	ack := events.SessionAck{SessionID: "s1", Board: events.Board{Rows: 3, Cols: 3}}
	return newGame(style, rand.New(rand.NewPCG(seed, 0)), ack)
}

func TestGame_OnMole(t *testing.T) {
	t.Parallel()
	human := Style{ReactMin: 250 * time.Millisecond, ReactMax: 600 * time.Millisecond}
	tests := []struct {
		name      string
		style     Style
		mole      events.Mole
		wantPlan  bool
		wrongHole bool
	}{
		{name: "whacks its own game's mole", style: human, mole: events.Mole{GameID: "s1", MoleID: 1, Hole: 4, Kind: "normal"}, wantPlan: true},
		{name: "ignores other games", style: human, mole: events.Mole{GameID: "other", MoleID: 1, Hole: 4}},
		{name: "never whacks bombs", style: human, mole: events.Mole{GameID: "s1", MoleID: 1, Hole: 4, Kind: "bomb"}},
		{name: "skips when told", style: Style{SkipRate: 1}, mole: events.Mole{GameID: "s1", MoleID: 1, Hole: 4}},
		{name: "misses when told", style: Style{MissRate: 1}, mole: events.Mole{GameID: "s1", MoleID: 1, Hole: 4}, wantPlan: true, wrongHole: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := testGame(tc.style, 1)
			g.onMole(tc.mole, t0)
			due, ok := g.nextDue()
			require.Equal(t, tc.wantPlan, ok)
			if !ok {
				return
			}
			d := due.Sub(t0)
			require.GreaterOrEqual(t, d, tc.style.ReactMin)
			require.LessOrEqual(t, d, max(tc.style.ReactMax, tc.style.ReactMin))
			w := g.due(due)
			require.Len(t, w, 1)
			require.Equal(t, tc.mole.MoleID, w[0].moleID)
			require.Equal(t, tc.wrongHole, w[0].hole != tc.mole.Hole)
			require.GreaterOrEqual(t, w[0].hole, 0)
			require.Less(t, w[0].hole, 9)
		})
	}
}

func TestGame_DueInOrder(t *testing.T) {
	t.Parallel()
	g := testGame(Style{ReactMin: 100 * time.Millisecond, ReactMax: 900 * time.Millisecond}, 7)
	for i := range 20 {
		g.onMole(events.Mole{GameID: "s1", MoleID: int64(i), Hole: i % 9}, t0)
	}
	require.Empty(t, g.due(t0.Add(99*time.Millisecond)))
	var last time.Time
	total := 0
	for now := t0; now.Before(t0.Add(time.Second)); now = now.Add(50 * time.Millisecond) {
		for _, w := range g.due(now) {
			require.False(t, w.due.After(now))
			require.False(t, w.due.Before(last))
			last = w.due
			total++
		}
	}
	require.Equal(t, 20, total)
	_, ok := g.nextDue()
	require.False(t, ok)
}

func TestGame_SeedReplays(t *testing.T) {
	t.Parallel()
	style := Style{ReactMin: 250 * time.Millisecond, ReactMax: 600 * time.Millisecond, MissRate: 0.3, SkipRate: 0.2}
	plan := func() []plannedWhack {
		g := testGame(style, 42)
		for i := range 50 {
			g.onMole(events.Mole{GameID: "s1", MoleID: int64(i), Hole: i % 9}, t0.Add(time.Duration(i)*time.Second))
		}
		return g.due(t0.Add(time.Hour))
	}
	first := plan()
	require.Equal(t, first, plan())
	require.Less(t, len(first), 50, "some moles are skipped")
	require.Greater(t, len(first), 25)
}

func TestGame_Judged(t *testing.T) {
	t.Parallel()
	g := testGame(Style{}, 1)
	g.whackSent(5, t0)
	require.Equal(t, 1, g.inFlight())
	_, ok := g.judged(6, t0)
	require.False(t, ok)
	rtt, ok := g.judged(5, t0.Add(1500*time.Microsecond))
	require.True(t, ok)
	require.Equal(t, 1500*time.Microsecond, rtt)
	_, ok = g.judged(5, t0)
	require.False(t, ok, "a reply counts once")
	require.Zero(t, g.inFlight())
}
