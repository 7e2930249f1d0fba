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
			f := Judge(def, tc.game)
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
	f := Judge(th, Game{ReactionsMs: ms, Hits: len(ms)})
	require.InDelta(t, 24.0/25, f.BandShare, 1e-9)
	require.InDelta(t, 26.0/(1<<25), f.Tail, 1e-15, "P(X ≥ 24) for Binomial(25, 0.5)")
	require.True(t, f.Suspicious)
	th.MaxTail = 7e-7
	require.False(t, Judge(th, Game{ReactionsMs: ms, Hits: len(ms)}).Suspicious)
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
	}
	for _, tc := range tests {
		require.InDelta(t, tc.want, binomialTail(tc.n, tc.k, tc.p), tc.want*1e-9+1e-300, "n %d k %d", tc.n, tc.k)
	}
}

func TestJudge_ExtremeValues(t *testing.T) {
	t.Parallel()
	ms := append(fixed(25, math.MaxInt32), 0, 0)
	f := Judge(Default(), Game{ReactionsMs: ms, Hits: len(ms)})
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
			require.False(t, Judge(Default(), Game{ReactionsMs: ms, Hits: len(ms)}).Suspicious, name)
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
		{name: "every problem", change: func(t *Thresholds) { *t = Thresholds{MinAccuracy: 2} },
			errs: []string{"MinSamples", "Band", "HumanBandShare", "MaxTail", "MinAccuracy"}},
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
