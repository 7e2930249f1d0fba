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
	c := config{Games: 1000, Bots: 100, Cap: 20, Seed: 7}
	rep, err := measure(c, detector.Default())
	require.NoError(t, err)
	require.True(t, rep.pass(c), rep.markdown(c, detector.Default(), 0))
	for _, h := range rep.Honest {
		require.Equal(t, 1000, h.Games)
		require.Greater(t, h.Judged, 800, "most honest games have enough won moles to judge")
	}
}

// TestPlayGame_Deterministic: a seed replays the same game and verdict.
func TestPlayGame_Deterministic(t *testing.T) {
	t.Parallel()
	play := func() detector.Findings {
		rng := rand.New(rand.NewPCG(3, 4)) //nolint:gosec // simulation
		f, err := playGame(detector.Default(), loadgenBot{style: loadgenStyle, rng: rng}, rng)
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
	f, err := playGame(detector.Default(), steadyBot{}, rng)
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
		{name: "no games", args: []string{"-games", "0"}},
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
