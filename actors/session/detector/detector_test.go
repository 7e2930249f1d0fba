package detector

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// spread returns n reaction times from lo to hi ms, evenly apart.
func spread(n int, lo, hi int32) []int32 {
	out := make([]int32, n)
	for i := range out {
		out[i] = lo + int32(int64(hi-lo)*int64(i)/int64(max(n-1, 1))) //nolint:gosec // test values
	}
	return out
}

// fixed returns n reaction times of ms each.
func fixed(n int, ms int32) []int32 {
	out := make([]int32, n)
	for i := range out {
		out[i] = ms
	}
	return out
}

func TestJudge(t *testing.T) {
	t.Parallel()
	def := Default()
	tests := []struct {
		name       string
		game       Game
		suspicious bool
		median     int32
		band       float64
	}{
		{name: "fixed 180 ms, perfect aim", game: Game{ReactionsMs: fixed(30, 180), Hits: 30}, suspicious: true, median: 180, band: 1},
		{name: "jittered 150-300 ms, 29 of 30", game: Game{ReactionsMs: spread(29, 150, 300), Hits: 29, Misses: 1}, suspicious: true, median: 225, band: 1},
		{name: "loadgen human 250-600 ms, perfect aim", game: Game{ReactionsMs: spread(28, 250, 600), Hits: 28}, median: 418, band: 11.0 / 28},
		{name: "consistent but aims like a human", game: Game{ReactionsMs: fixed(30, 180), Hits: 27, Misses: 3}, median: 180, band: 1},
		{name: "too few samples to judge", game: Game{ReactionsMs: fixed(19, 180), Hits: 19}, median: 180, band: 1},
		{name: "exactly the minimum", game: Game{ReactionsMs: fixed(20, 180), Hits: 20}, suspicious: true, median: 180, band: 1},
		{name: "20 samples with one outlier: a human could", game: Game{ReactionsMs: append(fixed(19, 180), 400), Hits: 20}, median: 180, band: 19.0 / 20},
		{name: "no whacks", game: Game{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := Judge(def, tc.game, nil)
			require.Equal(t, tc.suspicious, f.Suspicious)
			require.Equal(t, len(tc.game.ReactionsMs), f.Samples)
			require.Equal(t, tc.median, f.MedianMs)
			require.InDelta(t, tc.band, f.BandShare, 1e-9)
		})
	}
}

func TestJudge_BandEdges(t *testing.T) {
	t.Parallel()
	th := Default()
	// 22 at 200 ms, one 75 ms each side (inside), one 76 ms above (outside).
	ms := append(fixed(22, 200), 125, 275, 276)
	f := Judge(th, Game{ReactionsMs: ms, Hits: len(ms)}, nil)
	require.InDelta(t, 24.0/25, f.BandShare, 1e-9)
	require.InDelta(t, 26.0/(1<<25), f.Tail, 1e-15, "P(X ≥ 24) for Binomial(25, 0.5)")
	require.True(t, f.Suspicious)
	th.MaxTail = 7e-7
	require.False(t, Judge(th, Game{ReactionsMs: ms, Hits: len(ms)}, nil).Suspicious)
}

func TestBinomialTail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n, k int
		p    float64
		want float64
	}{
		{n: 10, k: 0, p: 0.5, want: 1},
		{n: 10, k: 10, p: 0.5, want: 1.0 / 1024},
		{n: 10, k: 9, p: 0.5, want: 11.0 / 1024},
		{n: 4, k: 2, p: 0.25, want: 1 - 0.75*0.75*0.75*0.75 - 4*0.25*0.75*0.75*0.75},
		{n: 512, k: 512, p: 0.5, want: math.Pow(0.5, 512)},
		{n: 10, k: 11, p: 0.5, want: 0},
		{n: 3000, k: 1500, p: 0.5, want: 0.5 + 0.5*math.Exp(logChoose(3000, 1500)-3000*math.Ln2)},
	}
	for _, tc := range tests {
		require.InDelta(t, tc.want, binomialTail(tc.n, tc.k, tc.p), tc.want*1e-9+1e-300, "n %d k %d", tc.n, tc.k)
	}
}

func TestJudge_ExtremeValues(t *testing.T) {
	t.Parallel()
	ms := append(fixed(25, math.MaxInt32), 0, 0)
	f := Judge(Default(), Game{ReactionsMs: ms, Hits: len(ms)}, nil)
	require.Equal(t, int32(math.MaxInt32), f.MedianMs)
	require.InDelta(t, 25.0/27, f.BandShare, 1e-9)
}

// TestJudge_HumanModels: games of the human models the bench measures never
// look suspicious, whatever their luck with aim.
func TestJudge_HumanModels(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(17, 8)) //nolint:gosec // simulation
	models := map[string]func() int32{
		"loadgen uniform 250-600": func() int32 { return 250 + rng.Int32N(351) },
		"lognormal 200-900": func() int32 {
			v := math.Exp(math.Log(400) + 0.35*rng.NormFloat64())
			return int32(min(max(v, 200), 900))
		},
	}
	for name, draw := range models {
		for range 2000 {
			ms := make([]int32, 20+rng.IntN(20))
			for i := range ms {
				ms[i] = draw()
			}
			require.False(t, Judge(Default(), Game{ReactionsMs: ms, Hits: len(ms)}, nil).Suspicious, name)
		}
	}
}

func TestThresholds_Validate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*Thresholds)
		errs   []string
	}{
		{name: "default is valid", change: func(*Thresholds) {}},
		{name: "too few samples", change: func(t *Thresholds) { t.MinSamples = 4 }, errs: []string{"MinSamples"}},
		{name: "no band", change: func(t *Thresholds) { t.Band = 0 }, errs: []string{"Band"}},
		{name: "human share out of range", change: func(t *Thresholds) { t.HumanBandShare = 1 }, errs: []string{"HumanBandShare"}},
		{name: "no tail", change: func(t *Thresholds) { t.MaxTail = 0 }, errs: []string{"MaxTail"}},
		{name: "accuracy out of range", change: func(t *Thresholds) { t.MinAccuracy = -0.1 }, errs: []string{"MinAccuracy"}},
		{name: "no window", change: func(t *Thresholds) { t.Window = 0 }, errs: []string{"Window"}},
		{name: "a streak of one game", change: func(t *Thresholds) { t.MinFlawlessStreak = 1 }, errs: []string{"MinFlawlessStreak"}},
		{name: "every problem", change: func(t *Thresholds) { *t = Thresholds{MinAccuracy: 2} },
			errs: []string{"MinSamples", "Band", "HumanBandShare", "MaxTail", "MinAccuracy", "Window", "MinFlawlessStreak"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			th := Default()
			tc.change(&th)
			err := th.Validate()
			if len(tc.errs) == 0 {
				require.NoError(t, err)
				return
			}
			for _, e := range tc.errs {
				require.ErrorContains(t, err, e)
			}
		})
	}
}

// past repeats one earlier game n times.
func past(n int, g Past) []Past {
	out := make([]Past, n)
	for i := range out {
		out[i] = g
	}
	return out
}

// TestJudge_RecentGames: the pooled rule over the player's last games,
// with its accuracy and its streak of games without a miss.
func TestJudge_RecentGames(t *testing.T) {
	t.Parallel()
	// A game a human could play: 14 of 24 in the band (tail 0.27), 23 of 24 hit.
	humanLike := Game{ReactionsMs: append(fixed(14, 200), spread(10, 300, 600)...), Hits: 23, Misses: 1}
	// Earlier games of a jittered bot: 26 of 28 in the band, one miss each.
	jittered := Past{Samples: 28, InBand: 26, Hits: 28, Misses: 1}
	tests := []struct {
		name       string
		game       Game
		earlier    []Past
		rule       string
		games      int
		streak     int
		accuracyGE float64
	}{
		{name: "no history: the game alone", game: humanLike, rule: "", games: 1},
		{name: "a human's history: 45 % in the band", game: humanLike,
			earlier: past(9, Past{Samples: 28, InBand: 13, Hits: 26, Misses: 3}), rule: "", games: 10},
		{name: "a consistent history with a bot's aim", game: humanLike, earlier: past(3, jittered), rule: RuleRecent, games: 4,
			accuracyGE: 0.95},
		{name: "consistent history, human aim, no streak", game: humanLike,
			earlier: past(3, Past{Samples: 28, InBand: 26, Hits: 24, Misses: 4}), rule: "", games: 4},
		{name: "consistent, aim spoilt in one game, three flawless in a row",
			game:    Game{ReactionsMs: append(fixed(14, 200), spread(10, 300, 600)...), Hits: 24},
			earlier: []Past{{Samples: 28, InBand: 27, Hits: 28}, {Samples: 28, InBand: 27, Hits: 28}, {Samples: 20, InBand: 19, Hits: 20, Misses: 12}},
			rule:    RuleRecent, games: 4, streak: 3},
		{name: "the window ends at Window games", game: humanLike,
			earlier: append(past(9, Past{Samples: 28, InBand: 13, Hits: 26, Misses: 3}), past(20, jittered)...), rule: "", games: 10},
		{name: "the game alone still rules", game: Game{ReactionsMs: fixed(30, 180), Hits: 30},
			earlier: past(9, Past{Samples: 28, InBand: 13, Hits: 26, Misses: 3}), rule: RuleGame, games: 10, streak: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := Judge(Default(), tc.game, tc.earlier)
			require.Equal(t, tc.rule, f.Rule)
			require.Equal(t, tc.rule != "", f.Suspicious)
			require.Equal(t, tc.games, f.Recent.Games)
			require.Equal(t, tc.streak, f.Recent.FlawlessStreak)
			require.GreaterOrEqual(t, f.Recent.Accuracy, tc.accuracyGE)
			want := f.Samples
			for _, g := range tc.earlier[:tc.games-1] {
				want += g.Samples
			}
			require.Equal(t, want, f.Recent.Samples, "the window sums its games")
		})
	}
}

// TestFindings_Past: what a game leaves in the history is what the pooled
// rule reads of it.
func TestFindings_Past(t *testing.T) {
	t.Parallel()
	f := Judge(Default(), Game{ReactionsMs: append(fixed(20, 200), 400, 500), Hits: 22, Misses: 2}, nil)
	require.Equal(t, Past{Samples: 22, InBand: 20, Hits: 22, Misses: 2}, f.Past())
	again := Judge(Default(), Game{}, []Past{f.Past()})
	require.Equal(t, 22, again.Recent.Samples)
	require.Equal(t, 20, again.Recent.InBand)
	require.InDelta(t, 22.0/24, again.Recent.Accuracy, 1e-9)
}
