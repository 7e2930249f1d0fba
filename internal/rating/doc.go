// Package rating is the skill model of ranked matches: the Weng–Lin
// Bayesian approximation (Weng & Lin 2011, "A Bayesian Approximation Method
// for Online Ranking", JMLR 12) with the Plackett–Luce likelihood, as
// OpenSkill implements it. It is pure (no I/O, no clock) so the store can
// run it inside the transaction that commits a match and the matchmaker can
// read the same numbers.
//
// # Why this model
//
// A match is a free-for-all of 2–8 players with a full finishing order and
// ties (equal scores). Plackett–Luce rates a whole order in one update, in
// O(n²) for n players, with closed-form arithmetic (no numerical
// integration, unlike TrueSkill's factor graph), and ties share a rank.
// There is no maintained Go module of it on the module proxy
// (github.com/intinig/go-openskill is not served), so it is implemented
// here from the paper's Algorithm 1 with Plackett–Luce (its section 3.5)
// and checked against reference vectors computed by openskill.py 6.2.0
// (rating_test.go).
//
// # Parameters (DefaultParams)
//
//   - Mu = 25, the prior mean of a new player's skill.
//   - Sigma = 25/3, the prior standard deviation: a new player is uncertain.
//   - Beta = Sigma/2 = 25/6, the spread of performance around skill in one
//     game (how much luck a single game carries).
//   - Tau = 25/300, the additive dynamics: before each update sigma becomes
//     sqrt(sigma² + tau²), so a settled rating can still follow a player who
//     improves (openskill.py's default).
//   - Kappa = 0.0001, the floor of the variance shrink factor, so sigma stays
//     positive however many games are played.
//
// The conservative display value is Ordinal = mu − 3·sigma: about 99.7% of
// the belief lies above it, so a lucky newcomer does not top a list.
package rating
