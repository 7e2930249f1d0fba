package detector

import (
	"errors"
	"math"
	"slices"
	"time"
)

// Reason is the flag reason of a result the detector found suspicious.
const Reason = "suspicious_consistency"

// Thresholds are the detector's rules as data: a game is suspicious when it
// has at least MinSamples won moles, so many of their reaction times lie
// within Band of their median that a human (whose reactions land there with
// chance HumanBandShare) would have a chance of at most MaxTail to do as
// well, and the player's accuracy is at least MinAccuracy.
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
}

// Default returns the thresholds measured in bench/detector.
func Default() Thresholds {
	return Thresholds{MinSamples: 20, Band: 75 * time.Millisecond, HumanBandShare: 0.5, MaxTail: 1e-6, MinAccuracy: 0.95}
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

// Findings is what the detector saw in a game; Suspicious is its verdict.
// Tail is the chance a human would have put as large a share of reactions
// in the band (1 without samples).
type Findings struct {
	Samples    int
	MedianMs   int32
	BandShare  float64
	Tail       float64
	Accuracy   float64
	Suspicious bool
}

// Judge applies t to g.
func Judge(t Thresholds, g Game) Findings {
	f := Findings{Samples: len(g.ReactionsMs), Tail: 1, Accuracy: accuracy(g.Hits, g.Misses)}
	if f.Samples == 0 {
		return f
	}
	f.MedianMs = median(g.ReactionsMs)
	in := inBand(g.ReactionsMs, int64(f.MedianMs), t.Band.Milliseconds())
	f.BandShare = float64(in) / float64(f.Samples)
	f.Tail = binomialTail(f.Samples, in, t.HumanBandShare)
	f.Suspicious = f.Samples >= t.MinSamples && f.Tail <= t.MaxTail && f.Accuracy >= t.MinAccuracy
	return f
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

// binomialTail is P(X ≥ k) for X ~ Binomial(n, p), summed in log space so
// that hundreds of samples neither overflow nor underflow a term early.
func binomialTail(n, k int, p float64) float64 {
	tail := 0.0
	for i := k; i <= n; i++ {
		tail += math.Exp(logChoose(n, i) + float64(i)*math.Log(p) + float64(n-i)*math.Log1p(-p))
	}
	return min(tail, 1)
}

func logChoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}
