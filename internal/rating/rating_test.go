package rating

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// ms is a (mu, sigma) pair of a reference vector.
type ms struct{ mu, sigma float64 }

// TestParams_Rate compares the model with reference vectors computed by
// openskill.py 6.2.0 (PlackettLuce() with its defaults, which are
// DefaultParams; rate(teams, scores=…) with one player per team), generated
// by the script in testdata/reference.py.
func TestParams_Rate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		before []ms
		scores []int64
		after  []ms
	}{
		{"two players, first wins", []ms{{25, 8.333333333333334}, {25, 8.333333333333334}}, []int64{3, 1}, []ms{{27.635389493140497, 8.06590141354368}, {22.364610506859503, 8.06590141354368}}},
		{"two players, tie", []ms{{25, 8.333333333333334}, {25, 8.333333333333334}}, []int64{5, 5}, []ms{{25.0, 8.06590141354368}, {25.0, 8.06590141354368}}},
		{"two players, upset", []ms{{32.5, 2.1}, {21.0, 5.5}}, []int64{4, 9}, []ms{{32.076319774221595, 2.0989418234334885}, {23.902293477951858, 5.371996607487731}}},
		{"four players, tie in the middle", []ms{{25, 8.333333333333334}, {25, 8.333333333333334}, {25, 8.333333333333334}, {25, 8.333333333333334}}, []int64{10, 7, 7, 2}, []ms{{27.795252672501135, 8.263571791259416}, {24.689416369722096, 8.17961798837266}, {24.689416369722096, 8.17961798837266}, {22.825914588054673, 8.17961798837266}}},
		{"four players, tie at the top, mixed priors", []ms{{28.1, 4.0}, {25, 8.333333333333334}, {19.4, 6.2}, {30.0, 1.5}}, []int64{12, 12, 3, 8}, []ms{{28.34370599974987, 3.9912725952700208}, {26.340795447567302, 8.17613649958184}, {18.099162113312953, 6.105921539161851}, {29.998429353128767, 1.501905231015264}}},
		{"three players, all tied, mixed priors", []ms{{20, 3}, {25, 5}, {30, 7}}, []int64{0, 0, 0}, []ms{{20.10020351066416, 2.9969595729296223}, {25.04227234665657, 4.957643848744105}, {29.37194839159283, 6.806887420370909}}},
		{"eight players, ties", []ms{{25.0, 8.333}, {26.5, 7.633}, {28.0, 6.933}, {29.5, 6.2330000000000005}, {31.0, 5.533}, {32.5, 4.833}, {34.0, 4.133000000000001}, {35.5, 3.4330000000000007}}, []int64{5, 9, 9, 1, 0, 14, 5, 5}, []ms{{24.928183046032295, 8.250606879527627}, {27.273959033338986, 7.596562463597537}, {28.600406930764386, 6.906786619527032}, {29.644507500047897, 6.181739814067395}, {29.54742782435582, 5.500327275637713}, {33.4648384658167, 4.830169560787339}, {33.82596999958627, 4.126733881117082}, {35.35695810489299, 3.4304393465105334}}},
		{"settled sigma near the floor", []ms{{40, 0.05}, {10, 0.05}}, []int64{1, 2}, []ms{{39.99840746935451, 0.0971825302556253}, {10.001592530645487, 0.0971825302556253}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := make([]Rating, len(tc.before))
			for i, b := range tc.before {
				in[i] = Rating{Mu: b.mu, Sigma: b.sigma, Matches: i}
			}
			out := DefaultParams().Rate(in, tc.scores)
			require.Len(t, out, len(tc.after))
			for i, want := range tc.after {
				require.InDelta(t, want.mu, out[i].Mu, 1e-9, "mu of player %d", i)
				require.InDelta(t, want.sigma, out[i].Sigma, 1e-9, "sigma of player %d", i)
				require.Equal(t, i+1, out[i].Matches, "matches of player %d", i)
			}
			require.Equal(t, Rating{Mu: tc.before[0].mu, Sigma: tc.before[0].sigma}, in[0].withoutMatches(),
				"the input is not modified")
		})
	}
}

func (r Rating) withoutMatches() Rating { return Rating{Mu: r.Mu, Sigma: r.Sigma} }

// TestParams_RateUnrated: fewer than two players, or a score per player
// missing, teach the model nothing.
func TestParams_RateUnrated(t *testing.T) {
	t.Parallel()
	one := []Rating{Default()}
	require.Equal(t, one, DefaultParams().Rate(one, []int64{7}))
	two := []Rating{Default(), {Mu: 30, Sigma: 2, Matches: 4}}
	require.Equal(t, two, DefaultParams().Rate(two, []int64{1}))
	require.Empty(t, DefaultParams().Rate(nil, nil))
}

// TestParams_RateOrderFree: the result of a player does not depend on where
// the match lists them.
func TestParams_RateOrderFree(t *testing.T) {
	t.Parallel()
	in := []Rating{{Mu: 28, Sigma: 4}, {Mu: 25, Sigma: 8}, {Mu: 19, Sigma: 6}, {Mu: 30, Sigma: 1.5}}
	scores := []int64{12, 12, 3, 8}
	fwd := DefaultParams().Rate(in, scores)
	rev := DefaultParams().Rate([]Rating{in[3], in[2], in[1], in[0]}, []int64{8, 3, 12, 12})
	for i := range in {
		require.InDelta(t, fwd[i].Mu, rev[3-i].Mu, 1e-12)
		require.InDelta(t, fwd[i].Sigma, rev[3-i].Sigma, 1e-12)
	}
}

func TestRating_Ordinal(t *testing.T) {
	t.Parallel()
	require.InDelta(t, 0.0, Default().Ordinal(), 1e-12)
	require.InDelta(t, 24.0, Rating{Mu: 30, Sigma: 2}.Ordinal(), 1e-12)
	require.Equal(t, Default(), DefaultParams().Initial())
}
