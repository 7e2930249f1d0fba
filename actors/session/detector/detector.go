package detector

import (
	"errors"
	"math"
	"slices"
	"time"
)

// Reason is the flag reason of a result the detector found suspicious.
const Reason = "suspicious_consistency"

// Thresholds are the detector's rules as data. A spread is too consistent
// when it has at least MinSamples won moles and so many of their reaction
// times lie within Band of their game's median that a human (whose
// reactions land there with chance HumanBandShare) would have a chance of
// at most MaxTail to do as well. A result is suspicious when its game's
// spread is too consistent with an accuracy of at least MinAccuracy, or
// when the spread pooled over the player's last Window games is, with a
// pooled accuracy of at least MinAccuracy or a streak of at least
// MinFlawlessStreak games in a row without a miss.
type Thresholds struct {
	// MinSamples is the fewest won moles a judgement needs: fewer say
	// nothing about a spread.
	MinSamples int
	// Band is the half-width of the window around the median reaction.
	Band time.Duration
	// HumanBandShare is the chance, at most, of a human's reaction to land
	// within Band of their median (measured: 0.43–0.46 for the human
	// models of bench/detector; 0.5 leaves a margin).
	HumanBandShare float64
	// MaxTail is the largest binomial tail P(X ≥ in-band | samples,
	// HumanBandShare) that counts as too consistent: a bound on the share
	// of human games the spread test alone would flag.
	MaxTail float64
	// MinAccuracy is the share of scoring whacks (hits / (hits + misses))
	// from which the aim is a bot's.
	MinAccuracy float64
	// Window is how many of the player's games, this one included, the
	// pooled rule judges together (1: this game alone).
	Window int
	// MinFlawlessStreak is the run of most recent games without a miss
	// (this one included) that stands in for MinAccuracy in the pooled
	// rule: a bot that spoils its aim now and then to lower its accuracy
	// still plays its other games perfectly.
	MinFlawlessStreak int
}

// Default returns the thresholds measured in bench/detector.
func Default() Thresholds {
	return Thresholds{MinSamples: 20, Band: 75 * time.Millisecond, HumanBandShare: 0.5, MaxTail: 1e-6, MinAccuracy: 0.95,
		Window: 10, MinFlawlessStreak: 3}
}

// Validate reports every threshold out of range.
func (t Thresholds) Validate() error {
	var errs []error
	if t.MinSamples < 5 {
		errs = append(errs, errors.New("detector: MinSamples must be at least 5"))
	}
	if t.Band <= 0 {
		errs = append(errs, errors.New("detector: Band must be positive"))
	}
	if t.HumanBandShare <= 0 || t.HumanBandShare >= 1 {
		errs = append(errs, errors.New("detector: HumanBandShare must be in (0, 1)"))
	}
	if t.MaxTail <= 0 || t.MaxTail >= 1 {
		errs = append(errs, errors.New("detector: MaxTail must be in (0, 1)"))
	}
	if t.MinAccuracy < 0 || t.MinAccuracy > 1 {
		errs = append(errs, errors.New("detector: MinAccuracy must be in [0, 1]"))
	}
	if t.Window < 1 {
		errs = append(errs, errors.New("detector: Window must be at least 1"))
	}
	if t.MinFlawlessStreak < 2 {
		errs = append(errs, errors.New("detector: MinFlawlessStreak must be at least 2 (one perfect game is common)"))
	}
	return errors.Join(errs...)
}

// Game is one player's numbers of one game.
type Game struct {
	// ReactionsMs are the reaction times (after the lag allowance) of the
	// moles the player won, in milliseconds.
	ReactionsMs []int32
	Hits        int
	Misses      int
}

// Past is what one earlier game of the player left for the pooled rule:
// its won moles, how many of them were within Band of that game's median,
// and its aim. Findings.Past makes one; the store keeps them with the
// player's results.
type Past struct {
	Samples int
	InBand  int
	Hits    int
	Misses  int
}

// Findings is what the detector saw; Suspicious is its verdict and Rule
// the rule that held (RuleGame, RuleRecent; empty when none). The fields
// outside Recent are this game's; Tail is the chance a human would have
// put as large a share of reactions in the band (1 without samples).
type Findings struct {
	Samples    int
	InBand     int
	MedianMs   int32
	BandShare  float64
	Tail       float64
	Accuracy   float64
	Hits       int
	Misses     int
	Recent     Recent
	Suspicious bool
	Rule       string
}

// Recent is the pooled view of the player's last games, this one included:
// Games judged together, their won moles and those in the band, the tail
// and accuracy over them all, and FlawlessStreak, the games in a row
// without a miss ending with this one.
type Recent struct {
	Games          int
	Samples        int
	InBand         int
	BandShare      float64
	Tail           float64
	Accuracy       float64
	FlawlessStreak int
}

// The rules a verdict names.
const (
	// RuleGame: this game alone was too consistent with a bot's aim.
	RuleGame = "game"
	// RuleRecent: the player's recent games together were.
	RuleRecent = "recent"
)

// Past is what this game leaves in the player's history.
func (f Findings) Past() Past {
	return Past{Samples: f.Samples, InBand: f.InBand, Hits: f.Hits, Misses: f.Misses}
}

// Judge applies t to g, pooled with the player's earlier games (newest
// first; only the first Window-1 are read). Pooling is sound because each
// game's in-band count is at most a Binomial(samples, HumanBandShare) for
// a human, and a sum of those is at most one Binomial over all samples.
func Judge(t Thresholds, g Game, earlier []Past) Findings {
	f := Findings{Samples: len(g.ReactionsMs), Tail: 1, Accuracy: accuracy(g.Hits, g.Misses), Hits: g.Hits, Misses: g.Misses}
	if f.Samples > 0 {
		f.MedianMs = median(g.ReactionsMs)
		f.InBand = inBand(g.ReactionsMs, int64(f.MedianMs), t.Band.Milliseconds())
		f.BandShare = float64(f.InBand) / float64(f.Samples)
		f.Tail = binomialTail(f.Samples, f.InBand, t.HumanBandShare)
	}
	f.Recent = pool(t, append([]Past{f.Past()}, earlier[:min(len(earlier), max(t.Window-1, 0))]...))
	switch {
	case tooConsistent(t, f.Samples, f.Tail) && f.Accuracy >= t.MinAccuracy:
		f.Suspicious, f.Rule = true, RuleGame
	case tooConsistent(t, f.Recent.Samples, f.Recent.Tail) &&
		(f.Recent.Accuracy >= t.MinAccuracy || f.Recent.FlawlessStreak >= t.MinFlawlessStreak):
		f.Suspicious, f.Rule = true, RuleRecent
	}
	return f
}

// tooConsistent is the spread rule: enough samples, and a tail a human
// reaches at most MaxTail of the time.
func tooConsistent(t Thresholds, samples int, tail float64) bool {
	return samples >= t.MinSamples && tail <= t.MaxTail
}

// pool sums games (newest first) into the Recent view.
func pool(t Thresholds, games []Past) Recent {
	r := Recent{Games: len(games), Tail: 1}
	hits, misses, flawless := 0, 0, true
	for _, g := range games {
		r.Samples += g.Samples
		r.InBand += g.InBand
		hits += g.Hits
		misses += g.Misses
		flawless = flawless && g.Misses == 0 && g.Hits > 0
		if flawless {
			r.FlawlessStreak++
		}
	}
	r.Accuracy = accuracy(hits, misses)
	if r.Samples > 0 {
		r.BandShare = float64(r.InBand) / float64(r.Samples)
		r.Tail = binomialTail(r.Samples, r.InBand, t.HumanBandShare)
	}
	return r
}

// accuracy is the share of scoring whacks; 0 without any whack.
func accuracy(hits, misses int) float64 {
	if hits+misses <= 0 {
		return 0
	}
	return float64(hits) / float64(hits+misses)
}

// median is the lower median: a sample that was observed.
func median(ms []int32) int32 {
	sorted := slices.Clone(ms)
	slices.Sort(sorted)
	return sorted[(len(sorted)-1)/2]
}

// inBand counts the samples within band of centre (inclusive).
func inBand(ms []int32, centre, band int64) int {
	in := 0
	for _, v := range ms {
		if d := int64(v) - centre; d >= -band && d <= band {
			in++
		}
	}
	return in
}

// binomialTail is P(X ≥ k) for X ~ Binomial(n, p). The first term is
// computed in log space (hundreds of samples would overflow a binomial
// coefficient) and each next one from it by the ratio of neighbours, so a
// pooled window of thousands of samples costs microseconds on the finish
// path; the sum stops once the terms no longer change it.
func binomialTail(n, k int, p float64) float64 {
	if k <= 0 {
		return 1
	}
	if k > n {
		return 0
	}
	term := math.Exp(logChoose(n, k) + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
	odds := p / (1 - p)
	tail := 0.0
	for i := k; i <= n && term > 0; i++ {
		tail += term
		if term < tail*1e-17 {
			break
		}
		term *= float64(n-i) / float64(i+1) * odds
	}
	return min(tail, 1)
}

func logChoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}
