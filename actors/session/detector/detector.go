package detector

import (
	"errors"
	"slices"
	"time"
)

// Reason is the flag reason of a result the detector found suspicious.
const Reason = "suspicious_consistency"

// Thresholds are the detector's rules as data: a game is suspicious when it
// has at least MinSamples won moles, at least MinBandShare of their
// reaction times lie within Band of their median, and the player's
// accuracy is at least MinAccuracy.
type Thresholds struct {
	// MinSamples is the fewest won moles a judgement needs: fewer say
	// nothing about a spread.
	MinSamples int
	// Band is the half-width of the window around the median reaction.
	Band time.Duration
	// MinBandShare is the share of reactions within the band from which a
	// spread is too narrow to be human.
	MinBandShare float64
	// MinAccuracy is the share of scoring whacks (hits / (hits + misses))
	// from which the aim is a bot's.
	MinAccuracy float64
}

// Default returns the thresholds measured in bench/detector.
func Default() Thresholds {
	return Thresholds{MinSamples: 20, Band: 75 * time.Millisecond, MinBandShare: 0.9, MinAccuracy: 0.95}
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
	if t.MinBandShare <= 0 || t.MinBandShare > 1 {
		errs = append(errs, errors.New("detector: MinBandShare must be in (0, 1]"))
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
type Findings struct {
	Samples    int
	MedianMs   int32
	BandShare  float64
	Accuracy   float64
	Suspicious bool
}

// Judge applies t to g.
func Judge(t Thresholds, g Game) Findings {
	f := Findings{Samples: len(g.ReactionsMs), Accuracy: accuracy(g.Hits, g.Misses)}
	if f.Samples == 0 {
		return f
	}
	f.MedianMs = median(g.ReactionsMs)
	f.BandShare = bandShare(g.ReactionsMs, int64(f.MedianMs), t.Band.Milliseconds())
	f.Suspicious = f.Samples >= t.MinSamples && f.BandShare >= t.MinBandShare && f.Accuracy >= t.MinAccuracy
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

// bandShare is the share of samples within band of centre (inclusive).
func bandShare(ms []int32, centre, band int64) float64 {
	in := 0
	for _, v := range ms {
		if d := int64(v) - centre; d >= -band && d <= band {
			in++
		}
	}
	return float64(in) / float64(len(ms))
}
