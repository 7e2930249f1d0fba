// Package detector judges whether one player's game looks played by a bot
// that reacts in human time with inhuman consistency: a reaction a rule
// such as MinReaction cannot catch, because each whack alone is humanly
// possible, while the whole game is not.
//
// It is pure: Judge takes a game's numbers (the player's reaction time on
// each mole they won, hits and misses) and the Thresholds, and returns
// Findings. The session calls it when a game finishes; a suspicious
// result is flagged with the reason "suspicious_consistency" and held for
// review like any other flagged result (docs/FAIRNESS.md), the findings in
// its evidence.
//
// # Why one game, and these statistics
//
// A human's reactions spread: over a game, less than half of them fall
// within ±75 ms of their own median (the load generator's human-like bots,
// uniform 250–600 ms: about 43 %; a lognormal 200–900 ms human: about 40 %),
// and a human aims at the wrong hole now and then. A bot tuned to look
// human either does not spread (a fixed 180 ms: 100 % in the band) or
// spreads within a narrow window (150–300 ms: ~100 %) and, being a bot,
// aims well (98 % or better). Judged together over at least MinSamples won
// moles, the two make the human and the bot far apart within one game: a
// human's band share over 20 samples reaching 90 % is a binomial tail of
// about 1e-7 per game at their 43 %, before the accuracy test even applies.
//
// Judging each game alone needs no history, so the finish path reads
// nothing (no per-player rolling summary to load or write) and meets the
// measured targets (bench/detector: 0 false flags over 10,000 human-like
// games; both bots flagged in their first game). A rolling summary over
// recent games would only add power against slower, noisier bots, and is
// the place to grow if one appears.
package detector
