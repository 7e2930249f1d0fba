package main

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/session/detector"
)

// TestMeasure_Targets runs a smaller measurement than the bench and holds
// it to the same targets, so a change to the rules, the detector or the
// load generator's bot that breaks them fails here first.
func TestMeasure_Targets(t *testing.T) {
	t.Parallel()
	c := config{Games: 1000, PerPlayer: 10, Bots: 100, Cap: 20, Seed: 7}
	th := detector.Default()
	rep, err := measure(c, th)
	require.NoError(t, err)
	require.True(t, rep.pass(), rep.markdown(c, th, 0))
	for _, h := range rep.Honest {
		require.Equal(t, 1000, h.Games)
		require.Equal(t, 100, h.Players)
		require.Equal(t, th.Window, h.Window, "a player's tenth game is judged with its nine before")
		require.Greater(t, h.Judged, 800, "most honest games have enough won moles to judge")
		require.NotEmpty(t, h.RecentTails)
	}
	require.Len(t, rep.Caught, len(cheats))
	for _, k := range rep.Caught {
		require.Len(t, k.Games, 100)
	}
}

// TestReport_Pass: one honest game flagged, or one bot caught late or
// never, fails the run.
func TestReport_Pass(t *testing.T) {
	t.Parallel()
	good := func() report {
		return report{Honest: []honest{{Games: 10}}, Caught: []caught{{Within: 3, Games: []int{1, 3}}}}
	}
	require.True(t, good().pass())
	flagged := good()
	flagged.Honest[0].Flagged = 1
	require.False(t, flagged.pass())
	late := good()
	late.Caught[0].Games = []int{1, 4}
	require.False(t, late.pass())
	never := good()
	never.Caught[0].Games = []int{1, 0}
	require.False(t, never.pass())
}

// TestCareer_History: each game is judged with the player's earlier games,
// newest first, and the window pools at most Window of them.
func TestCareer_History(t *testing.T) {
	t.Parallel()
	th := detector.Default()
	rng := rand.New(rand.NewPCG(1, 2)) //nolint:gosec // simulation
	c := newCareer(loadgenBot{style: loadgenStyle, rng: rng}, rng)
	var samples []int
	for n := 1; n <= th.Window+3; n++ {
		f, err := c.next(th)
		require.NoError(t, err)
		samples = append([]int{f.Samples}, samples...)
		window := min(n, th.Window)
		require.Equal(t, window, f.Recent.Games)
		want := 0
		for _, s := range samples[:window] {
			want += s
		}
		require.Equal(t, want, f.Recent.Samples, "game %d pools its own and the newest earlier ones", n)
		require.Equal(t, f.Past(), c.earlier[0], "the newest game leads the history")
		require.LessOrEqual(t, len(c.earlier), th.Window-1)
	}
}

// TestSpoiltBot_OneGameOfThree: the third cheat misses only in its spoilt
// games, one of every three, and never flawlessly three games running.
func TestSpoiltBot_OneGameOfThree(t *testing.T) {
	t.Parallel()
	th := detector.Default()
	rng := rand.New(rand.NewPCG(8, 9)) //nolint:gosec // simulation
	b := newSpoiltBot(rng)
	c := newCareer(b, rng)
	for n := 1; n <= 9; n++ {
		f, err := c.next(th)
		require.NoError(t, err)
		if n%3 == b.phase {
			require.Greater(t, f.Misses, 0, "game %d is spoilt", n)
			continue
		}
		require.Zero(t, f.Misses, "game %d has perfect aim", n)
		require.Less(t, f.Recent.FlawlessStreak, 3)
	}
}

// TestPlayGame_Deterministic: a seed replays the same game and verdict.
func TestPlayGame_Deterministic(t *testing.T) {
	t.Parallel()
	play := func() detector.Findings {
		rng := rand.New(rand.NewPCG(3, 4)) //nolint:gosec // simulation
		f, err := playGame(detector.Default(), loadgenBot{style: loadgenStyle, rng: rng}, rng, nil)
		require.NoError(t, err)
		return f
	}
	first := play()
	require.Equal(t, first, play())
	require.GreaterOrEqual(t, first.Samples, 20)
}

func TestPlayGame_Bots(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6)) //nolint:gosec // simulation
	f, err := playGame(detector.Default(), steadyBot{}, rng, nil)
	require.NoError(t, err)
	require.True(t, f.Suspicious)
	require.Equal(t, 30, f.Samples, "the steady bot wins every mole of a classic game")
	require.InDelta(t, 1.0, f.Accuracy, 1e-9)
}

func TestParseConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		ok   bool
	}{
		{name: "defaults", ok: true},
		{name: "small run", args: []string{"-games", "10", "-bots", "2", "-cap", "3"}, ok: true},
		{name: "a player's history", args: []string{"-games", "100", "-per-player", "20"}, ok: true},
		{name: "no games", args: []string{"-games", "0"}},
		{name: "no games per player", args: []string{"-per-player", "0"}},
		{name: "no cap", args: []string{"-cap", "0"}},
		{name: "unknown flag", args: []string{"-nope"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := parseConfig(tc.args, &bytes.Buffer{})
			require.Equal(t, tc.ok, err == nil, err)
		})
	}
}
