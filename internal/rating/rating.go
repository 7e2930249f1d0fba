package rating

import "math"

// Rating is one player's skill belief in one mode: a normal distribution
// N(Mu, Sigma²), and how many rated matches shaped it.
type Rating struct {
	Mu      float64
	Sigma   float64
	Matches int
}

// Ordinal is the conservative skill estimate mu − 3·sigma, what lists show
// and sort by.
func (r Rating) Ordinal() float64 { return r.Mu - 3*r.Sigma }

// Params are the model's constants (see the package documentation).
type Params struct {
	Mu, Sigma, Beta, Tau, Kappa float64
}

// DefaultParams are the OpenSkill defaults for Plackett–Luce.
func DefaultParams() Params {
	return Params{Mu: 25, Sigma: 25.0 / 3, Beta: 25.0 / 6, Tau: 25.0 / 300, Kappa: 0.0001}
}

// Default is the rating of a player with no rated match.
func Default() Rating { return DefaultParams().Initial() }

// Initial is the rating these parameters give a player with no rated match.
func (p Params) Initial() Rating { return Rating{Mu: p.Mu, Sigma: p.Sigma} }

// Rate returns the ratings after one free-for-all match. scores[i] is the
// final score of the player rated ratings[i]: a higher score finishes
// ahead, and equal scores share a rank. Each returned rating counts one
// more match. Fewer than two players, or slices of different lengths, leave
// the ratings unchanged (nothing was learnt): the caller decides which
// matches are rated.
func (p Params) Rate(ratings []Rating, scores []int64) []Rating {
	out := make([]Rating, len(ratings))
	copy(out, ratings)
	if len(ratings) < 2 || len(scores) != len(ratings) {
		return out
	}
	sigma2 := make([]float64, len(ratings))
	for i, r := range ratings {
		// Dynamics first: the belief widens by tau before it learns.
		sigma2[i] = r.Sigma*r.Sigma + p.Tau*p.Tau
	}
	c := p.spread(sigma2)
	expMu := make([]float64, len(ratings))
	for i, r := range ratings {
		expMu[i] = math.Exp(r.Mu / c)
	}
	sumQ, tied := placements(expMu, scores)
	for i := range ratings {
		omega, delta := surprise(i, expMu, scores, sumQ, tied)
		omega *= sigma2[i] / c
		gamma := math.Sqrt(sigma2[i]) / c
		delta *= gamma * sigma2[i] / (c * c)
		out[i] = Rating{
			Mu:      ratings[i].Mu + omega,
			Sigma:   math.Sqrt(sigma2[i]) * math.Sqrt(math.Max(1-delta, p.Kappa)),
			Matches: ratings[i].Matches + 1,
		}
	}
	return out
}

// spread is c = sqrt(Σ (σᵢ² + β²)), the scale of the whole match.
func (p Params) spread(sigma2 []float64) float64 {
	var sum float64
	for _, s := range sigma2 {
		sum += s + p.Beta*p.Beta
	}
	return math.Sqrt(sum)
}

// placements returns, for each player q, the sum of exp(μ/c) over the
// players who finished level with or behind q (the paper's C_q), and how
// many players share q's rank (A_q).
func placements(expMu []float64, scores []int64) (sumQ []float64, tied []float64) {
	sumQ = make([]float64, len(scores))
	tied = make([]float64, len(scores))
	for q := range scores {
		for i := range scores {
			if scores[i] <= scores[q] {
				sumQ[q] += expMu[i]
			}
			if scores[i] == scores[q] {
				tied[q]++
			}
		}
	}
	return sumQ, tied
}

// surprise is the paper's Ω and Δ sums for player i (before scaling): over
// every player q who finished level with or ahead of i, how unexpected it
// was that i was still in the running at q's place.
func surprise(i int, expMu []float64, scores []int64, sumQ, tied []float64) (omega, delta float64) {
	for q := range scores {
		if scores[q] < scores[i] {
			continue // q finished behind i
		}
		share := expMu[i] / sumQ[q]
		delta += share * (1 - share) / tied[q]
		if q == i {
			omega += (1 - share) / tied[q]
		} else {
			omega -= share / tied[q]
		}
	}
	return omega, delta
}
