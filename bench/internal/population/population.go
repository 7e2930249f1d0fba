// Package population draws a reproducible population of rated players
// for the matchmaking benchmarks: OpenSkill ratings (internal/rating) as
// they stand after each player's own number of rated 2-player matches,
// rather than a guessed distribution of mu and sigma.
//
// The model: every player has a true skill drawn from N(25, (25/6)²), the
// rating model's prior mean and one β (a skill class: a player one β
// better wins about 76 % of duels). Each plays a number of rated matches
// drawn from a log-normal with median 20 (a few players have played
// none, a few have played 150, the cap). The matches are played in rounds:
// in round r every player with more than r matches to play meets a random
// other one, and the better performance on the day (true skill plus
// N(0, β²) noise) wins. The ratings start at the prior (mu 25, sigma
// 25/3) and move by rating.Params.Rate after each match, so sigma shrinks
// with the matches played and mu moves towards the true skill exactly as
// the server's ratings do. The matchmaker pairs by the ordinal
// (mu − 3σ): new players sit low (ordinal 0) and settle as they play.
package population

import (
	"math"
	"math/rand/v2"

	"github.com/proofstell/proofstell/internal/rating"
)

// Model constants (see the package documentation).
const (
	skillSD       = 25.0 / 6 // spread of true skill: one β
	medianMatches = 20.0
	matchesSpread = 1.0 // σ of ln(matches)
	maxMatches    = 150
)

// Draw returns n players' ratings, the same for the same n and seed.
func Draw(n int, seed uint64) []rating.Rating {
	rng := rand.New(rand.NewPCG(seed, 0x6d6d)) //nolint:gosec // a benchmark's reproducible population, not a secret
	params := rating.DefaultParams()
	skill := make([]float64, n)
	plays := make([]int, n)
	ratings := make([]rating.Rating, n)
	rounds := 0
	for i := range n {
		skill[i] = params.Mu + skillSD*rng.NormFloat64()
		plays[i] = min(maxMatches, int(math.Exp(math.Log(medianMatches)+matchesSpread*rng.NormFloat64())))
		ratings[i] = params.Initial()
		rounds = max(rounds, plays[i])
	}
	for r := range rounds {
		var active []int
		for i, p := range plays {
			if p > r {
				active = append(active, i)
			}
		}
		rng.Shuffle(len(active), func(a, b int) { active[a], active[b] = active[b], active[a] })
		for k := 0; k+1 < len(active); k += 2 {
			a, b := active[k], active[k+1]
			pa := skill[a] + params.Beta*rng.NormFloat64()
			pb := skill[b] + params.Beta*rng.NormFloat64()
			scores := []int64{0, 1}
			if pa > pb {
				scores = []int64{1, 0}
			}
			next := params.Rate([]rating.Rating{ratings[a], ratings[b]}, scores)
			ratings[a], ratings[b] = next[0], next[1]
		}
	}
	return ratings
}
