// Package detector judges whether one player's game looks played by a bot
// that reacts in human time with inhuman consistency: no single whack
// breaks a rule (each is slower than MinReaction), while the whole game is
// not human.
//
// It is pure: Judge takes a game's numbers (the player's reaction time on
// each mole they won, hits and misses) and the Thresholds, and returns
// Findings. The session calls it when a game finishes; a suspicious
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
// # Why one game
//
// Judging each game alone needs no history, so the finish path reads and
// writes nothing more (no per-player rolling summary to load at start or
// upsert at commit) and it meets the measured targets (bench/detector: no
// false flag over 10,000 games of the load generator's bots nor 10,000 of
// the wider human model; the fixed bot flagged in its first game, the
// jittered one within 6–8 games over five seeds). A rolling summary over
// recent games would add power against slower or noisier bots and is the
// place to grow if one appears; its cost is one upsert per player per
// game on the benchmarked commit path.
package detector
