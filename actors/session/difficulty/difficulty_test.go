package difficulty

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const ms = time.Millisecond

func games(n, hits, misses int, reaction time.Duration) []Game {
	out := make([]Game, n)
	for i := range out {
		out[i] = Game{Hits: hits, Misses: misses, MedianReaction: reaction}
	}
	return out
}

func TestTable_Mode(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		recent []Game
		want   string
	}{
		{"no solo game yet", nil, "classic"},
		{"two games are too few to judge", games(2, 0, 30, 0), "classic"},
		{"accurate and fast", games(5, 26, 2, 380*ms), "classic-hard"},
		{"accurate, exactly at the hard bounds", games(3, 85, 15, 450*ms), "classic-hard"},
		{"accurate but slow", games(5, 26, 2, 520*ms), "classic"},
		{"fast but sloppy", games(5, 20, 10, 300*ms), "classic"},
		{"just below 60% accuracy", games(4, 59, 41, 400*ms), "classic-easy"},
		{"accurate but very slow", games(4, 28, 2, 720*ms), "classic-easy"},
		{"never hits", games(3, 0, 12, 0), "classic-easy"},
		{"reaction unknown: accuracy decides", games(4, 27, 3, 0), "classic-hard"},
		{"mixed form: median of game medians", []Game{
			{Hits: 30, Misses: 1, MedianReaction: 300 * ms},
			{Hits: 30, Misses: 1, MedianReaction: 900 * ms},
			{Hits: 30, Misses: 1, MedianReaction: 440 * ms},
		}, "classic-hard"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, Default().Mode(tc.recent))
		})
	}
}

func TestSummarize(t *testing.T) {
	t.Parallel()
	f := Summarize([]Game{{Hits: 3, Misses: 1, MedianReaction: 400 * ms}, {Hits: 1, Misses: 3}, {Hits: 4, MedianReaction: 600 * ms}})
	require.Equal(t, Form{Games: 3, Hits: 8, Misses: 4, MedianReaction: 500 * ms}, f)
	require.InDelta(t, 8.0/12, f.Accuracy(), 1e-12)
	require.Zero(t, Form{}.Accuracy())
}
