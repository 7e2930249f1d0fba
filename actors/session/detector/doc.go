// Package detector judges whether one player's play looks like a bot's
// that reacts in human time with inhuman consistency: no single whack
// breaks a rule (each is slower than MinReaction), while the game, or the
// player's recent games together, are not human.
//
// It is pure: Judge takes a game's numbers (the player's reaction time on
// each mole they won, hits and misses), the player's earlier games as
// Past counts and the Thresholds, and returns Findings. The session calls it when a game finishes; a suspicious
// result is flagged with the reason "suspicious_consistency" and held for
// review like any other flagged result (docs/FAIRNESS.md §10), the findings
// in its evidence, and clearing it restores it as for any flag.
//
// # The test
//
// A human's reactions spread: less than half of them fall within ±75 ms of
// their own median (the load generator's bots, uniform 250–600 ms: 43 %; a
// lognormal 200–900 ms human: about 45 %), and a human aims at the wrong
// hole now and then. A bot tuned to look human either does not spread (a
// fixed 180 ms: 100 % in the band) or spreads within a narrow window
// (150–300 ms: about 95 %), and aims well (98 % or better). The detector
// counts the won moles in the band and asks how likely a human, each
// reaction landing there with chance HumanBandShare (0.5, above every human
// model measured), would be to put as many there: the binomial tail. A
// game is suspicious when that tail is at most MaxTail (1e-6), the player
// won at least MinSamples moles and their accuracy is at least MinAccuracy
// (95 %). The tail, rather than a fixed share, is what keeps short games
// safe: 18 of 20 in the band is a human's luck about once in 5,000 games,
// 27 of 29 once in 1.2 million.
//
// # Recent games
//
// One game says little when the player won few moles or a bot spoils its
// aim now and then. Judge also pools the spread test over the player's
// last Window games (earlier, newest first, as the store returns them):
// each game's in-band count is at most a Binomial(samples,
// HumanBandShare) for a human, so their sum is at most one over all the
// samples, and the same MaxTail applies. The pooled rule asks for the
// pooled accuracy, or a streak of MinFlawlessStreak games without a miss
// ending with this one (a bot that lowers its average in one game plays
// the others perfectly). Findings.Rule names the rule that held;
// Findings.Past is what this game leaves for the next.
//
// Measured in bench/detector (each game judged with the player's history,
// as the session does): no false flag over 10,000 games of the load
// generator's bots nor 10,000 of the wider human model, five seeds; the
// fixed bot flagged in its first game, the jittered one within 4–8 games,
// one that spoils its aim in one game of three within 6–8.
package detector
